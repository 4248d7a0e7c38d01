/**
 * The wasm kernel behind fused optimizer steps (../optimizers/fused.ts): the optimizer's own
 * loop reads the weight, its gradient and its slots straight from the wasm heap and writes
 * the new weight and slots into fresh outputs, in one pass with no copies out of wasm memory.
 * Inputs are never changed in place: a checkpoint or early-stopping snapshot that shares a
 * buffer with a weight keeps its values.
 *
 * Call `installWasmFusedUpdate()` once; calling it again does nothing.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { WasmHeap } from './wasmHeap';
import { FUSED_UPDATE, takeFusedLoop, type FusedUpdateAttrs } from '../optimizers/fused';
import { AdamOptimizer } from '../optimizers/rules';
import { simdAdam } from './wasmSimd';

/** Loops also written in WebAssembly SIMD: they take a weight's first floats (a multiple of 4). */
const SIMD: Record<string, typeof simdAdam> = { [AdamOptimizer.className]: simdAdam };

let installed = false;

function kernel(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo[] {
  const backend = args.backend as unknown as WasmHeap;
  const { loop: name, scalars, slotCount } = args.attrs as unknown as FusedUpdateAttrs;
  const value = args.inputs.value as tf.TensorInfo;
  const gradient = args.inputs.gradient as tf.TensorInfo;
  const slots = Array.from({ length: slotCount }, (_, i) => args.inputs[`slot${i}`] as tf.TensorInfo);
  const size = tf.util.sizeFromShape(value.shape);
  for (const t of [value, gradient, ...slots]) {
    if (tf.util.sizeFromShape(t.shape) !== size || t.dtype !== 'float32') {
      throw new Error(`Fused ${name} update: every input must be float32 of shape [${value.shape}]`);
    }
  }
  const loop = takeFusedLoop(name);
  const outs = [value, ...slots].map((t) => backend.makeOutput([...t.shape], 'float32'));
  // Views only after every allocation: allocating may grow (and so replace) the wasm memory.
  const view = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t);
  const arrays = [view(value), view(gradient), slots.map(view), view(outs[0]!), outs.slice(1).map(view)] as const;
  const done = SIMD[name]?.(backend, ...arrays, scalars) ?? 0;
  const rest = (a: Float32Array) => (done ? a.subarray(done) : a);
  const [w, g, s, ow, os] = arrays;
  if (done < w.length) loop(rest(w), rest(g), s.map(rest), rest(ow), os.map(rest), scalars);
  return outs;
}

export function installWasmFusedUpdate(): void {
  if (installed) return;
  if (!tf.getKernel('Add', 'wasm')) return; // wasm backend not registered
  installed = true;
  tf.registerKernel({ kernelName: FUSED_UPDATE, backendName: 'wasm', kernelFunc: kernel as unknown as tf.KernelFunc });
}
