/**
 * The parts of tfjs' wasm backend (BackendWasm) our kernels use to work in its memory
 * directly: new outputs, typed-array views of a tensor's bytes, and freeing.
 * Views are valid until the next allocation, which may grow (and so replace) the memory:
 * take them after every `makeOutput` of a kernel.
 */
import type * as tf from '@tensorflow/tfjs';

export type WasmHeap = {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
  disposeData(dataId: object): void;
};
