/**
 * A faster BatchMatMul for tfjs 4.22's wasm backend, as a wrapper around its own kernel.
 *
 * That kernel runs XNNPACK's fast matmul only when neither operand is transposed (the
 * backward pass of every Dense layer asks for a transposed one), and XNNPACK first *packs*
 * the right operand `b` into its own layout, caching the packed copy per tensor. In training
 * every weight matrix is new at every step, so the packing is paid at every call: measured
 * here, about 5 ns per element of `b` against under 1 ns per element for a plain transpose,
 * which made packing a 784x512 kernel cost twice the arithmetic of a batch of 32.
 *
 * For each product this wrapper picks the cheaper of two equivalent forms:
 * - direct: out = op(a) @ op(b), transposing an operand explicitly where asked, packing op(b);
 * - swapped: out = (op(b)^T @ op(a)^T)^T, which packs op(a)^T instead (the batch-sized
 *   operand in a forward pass) and needs no transpose of an operand that was to be transposed.
 * A matrix already used untransposed as `b` before (weights at evaluation time, batch after
 * batch) goes direct, so XNNPACK's cached packing is reused.
 *
 * With the batch side at most `ROWS_MATMUL_MAX` rows (a Dense layer's a·W and dy·W^T at the
 * usual batch sizes), both forms pay a whole transpose or packing of W at every step (W is new
 * at every step): those go to the SIMD loops of simd/rows.wat, which read W as it lies.
 *
 * Call `installFastWasmMatMul()` before the wasm backend initialises (kernels' setup
 * functions run at initialisation); calling it again does nothing.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { WasmHeap } from './wasmHeap';
import { simdRowsMatMul } from './wasmSimd';

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Relative costs per element, measured in headless Chromium (bench-profile, README). */
const PACK_COST = 5;
const TRANSPOSE_COST = 1;

export interface MatMulShape {
  /** Rows of the result, inner (shared) dimension, columns of the result. */
  rows: number;
  inner: number;
  cols: number;
  transposeA: boolean;
  transposeB: boolean;
}

/**
 * Which form is cheaper for one product: 'direct' or 'swapped' (see above). Pure; exported
 * for the tests. Equal costs go direct.
 */
export function matMulPlan({ rows, inner, cols, transposeA, transposeB }: MatMulShape): 'direct' | 'swapped' {
  const direct = TRANSPOSE_COST * ((transposeA ? rows * inner : 0) + (transposeB ? inner * cols : 0)) + PACK_COST * inner * cols;
  const swapped =
    TRANSPOSE_COST * ((transposeB ? 0 : inner * cols) + (transposeA ? 0 : rows * inner) + rows * cols) + PACK_COST * inner * rows;
  return swapped < direct ? 'swapped' : 'direct';
}

/**
 * The most rows of `a` that go to the SIMD row loops (simd/rows.wat) rather than XNNPACK.
 * Measured on a quiet 2-core machine, the row loops win at every batch size up to 128 once
 * XNNPACK's per-step packing or transposing of W is counted: the chapter MLP trained at 1.9×
 * (batch 1), 1.3× (32) and 1.4× (128) the samples/s in `npm run bench` and in Node, the Small
 * CNN the same (its products are mostly the convolutions' tall im2col ones, untouched). Larger
 * batches, untimed, keep XNNPACK. `setRowsMatMulMax` changes it (tests, bench).
 */
export let ROWS_MATMUL_MAX = 128;
export function setRowsMatMulMax(n: number): void {
  ROWS_MATMUL_MAX = n;
}

let installed = false;

/** Swaps the last two axes of `x` with the backend's own Transpose kernel. */
function transposeLastTwo(x: tf.TensorInfo, backend: KernelArgs['backend'], transpose: tf.KernelConfig): tf.TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
  return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
}

export function installFastWasmMatMul(): void {
  if (installed) return;
  const original = tf.getKernel('BatchMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!original || !transpose) return; // wasm backend not registered: nothing to speed up
  installed = true;
  /** Data of tensors already used untransposed as `b`: XNNPACK keeps their packing. */
  const packed = new WeakSet<object>();
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({
    kernelName: 'BatchMatMul',
    backendName: 'wasm',
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
    kernelFunc: (args: KernelArgs) => {
      const { inputs, backend, attrs } = args;
      const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
      const a = inputs.a as tf.TensorInfo;
      const b = inputs.b as tf.TensorInfo;
      const temps: tf.TensorInfo[] = [];
      const t = (x: tf.TensorInfo) => {
        const y = transposeLastTwo(x, backend, transpose);
        temps.push(y);
        return y;
      };
      const run = (x: tf.TensorInfo, y: tf.TensorInfo) =>
        original.kernelFunc({ inputs: { a: x, b: y }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } }) as tf.TensorInfo;
      const ra = a.shape.length;
      const rb = b.shape.length;
      const single = a.shape.slice(0, -2).every((d) => d === 1) && b.shape.slice(0, -2).every((d) => d === 1);
      if (single && !transposeA && a.shape[ra - 2]! <= ROWS_MATMUL_MAX && a.dtype === 'float32' && b.dtype === 'float32') {
        const rows = a.shape[ra - 2]!;
        const inner = a.shape[ra - 1]!;
        const cols = b.shape[transposeB ? rb - 2 : rb - 1]!;
        const heap = backend as unknown as WasmHeap;
        const outShape = [...(ra >= rb ? a.shape : b.shape).slice(0, -2), rows, cols];
        const result = heap.makeOutput(outShape, 'float32');
        // Views after makeOutput: allocating may grow (and so replace) the wasm memory.
        const view = (x: tf.TensorInfo) => heap.typedArrayFromHeap(x);
        if (simdRowsMatMul(backend, view(a), view(b), view(result), [rows, inner, cols], transposeB)) return result;
        heap.disposeData(result.dataId); // no SIMD, or a shape the loops do not take
      }
      let out: tf.TensorInfo;
      try {
        const plan =
          !single || (!transposeB && packed.has(b.dataId))
            ? 'direct'
            : matMulPlan({
                rows: a.shape[transposeA ? ra - 1 : ra - 2]!,
                inner: a.shape[transposeA ? ra - 2 : ra - 1]!,
                cols: b.shape[transposeB ? rb - 2 : rb - 1]!,
                transposeA,
                transposeB,
              });
        if (plan === 'direct') {
          if (!transposeA && !transposeB) return original.kernelFunc(args);
          out = run(transposeA ? t(a) : a, transposeB ? t(b) : b);
        } else {
          if (!transposeB) packed.add(b.dataId); // seen once: a second use goes direct
          const outT = run(transposeB ? b : t(b), transposeA ? a : t(a));
          temps.push(outT);
          out = transposeLastTwo(outT, backend, transpose);
        }
      } finally {
        for (const x of temps) (backend as unknown as WasmHeap).disposeData(x.dataId);
      }
      return out;
    },
  });
}
