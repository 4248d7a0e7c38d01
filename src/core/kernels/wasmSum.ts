/**
 * tfjs 4.22's wasm `Sum` reduces only innermost axes, so a sum over the leading axes (the
 * bias gradient of every Conv2D and Dense layer: dy [batch, h, w, channels] -> [channels])
 * first transposes the whole tensor. This wrapper computes such a sum in one pass of
 * WebAssembly SIMD (./wasmSimd.ts), or as one matmul, ones [1, n] x dy [n, channels], where
 * SIMD or the channel count does not allow it; other sums run unchanged.
 *
 * Call `installWasmSum()` before the wasm backend initialises; calling it again does nothing.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { WasmHeap } from './wasmHeap';
import { KernelRunner } from './wasmConv';
import { simdColSum } from './wasmSimd';

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Below this many rows the original kernel is as fast (and exact in its summation order). */
const MIN_ROWS = 1024;
let installed = false;

function sumLeadingAxes(args: KernelArgs): tf.TensorInfo | null {
  const x = args.inputs.x as tf.TensorInfo;
  const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
  const rank = x.shape.length;
  if (x.dtype !== 'float32' || rank < 2) return null;
  const axes = [...tf.util.parseAxisParam(axis, x.shape)].sort((a, b) => a - b);
  if (axes.length !== rank - 1 || axes.some((a, i) => a !== i)) return null;
  const channels = x.shape[rank - 1]!;
  const rows = tf.util.sizeFromShape(x.shape) / Math.max(channels, 1);
  if (rows < MIN_ROWS || channels === 0) return null;
  const shape = keepDims ? [...Array.from({ length: rank - 1 }, () => 1), channels] : [channels];
  const heap = args.backend as unknown as WasmHeap;
  const sum = heap.makeOutput(shape, 'float32');
  if (simdColSum(args.backend, heap.typedArrayFromHeap(x), heap.typedArrayFromHeap(sum), [rows, channels])) return sum;
  heap.disposeData(sum.dataId);
  const k = new KernelRunner(args.backend);
  try {
    const ones = k.run('Fill', [], { shape: [1, 1, rows], value: 1, dtype: 'float32' });
    const xr = k.run('Reshape', { x }, { shape: [1, rows, channels] });
    const product = k.run('BatchMatMul', { a: ones, b: xr }, { transposeA: false, transposeB: false });
    const out = k.run('Reshape', { x: product }, { shape });
    k.dispose(out);
    return out;
  } catch (err) {
    k.dispose();
    throw err;
  }
}

export function installWasmSum(): void {
  if (installed) return;
  const original = tf.getKernel('Sum', 'wasm');
  if (!original) return;
  installed = true;
  tf.unregisterKernel('Sum', 'wasm');
  tf.registerKernel({
    kernelName: 'Sum',
    backendName: 'wasm',
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
    kernelFunc: (args: KernelArgs) => sumLeadingAxes(args) ?? original.kernelFunc(args),
  });
}
