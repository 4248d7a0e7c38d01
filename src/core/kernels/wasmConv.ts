/**
 * Convolution training on tfjs 4.22's wasm backend, which has no `Conv2DBackpropFilter`
 * kernel at all and only a naive loop for `Conv2DBackpropInput`.
 *
 * - `Conv2DBackpropFilter` (the weight gradient) as im2col plus one matmul: the input is
 *   rearranged into a patch matrix P [batch*outH*outW, kh*kw*inC] (one JavaScript pass over
 *   the wasm heap, `im2col`) and dW = P^T x dy [batch*outH*outW, outC] runs in WebAssembly
 *   SIMD (./wasmSimd.ts; XNNPACK's matmul where SIMD or the shape does not allow it).
 * - `Conv2DBackpropInput` (the gradient passed to the layer below), for stride 1: a forward
 *   convolution of the zero-padded dy with the filter flipped in space and its channel axes
 *   swapped, which wasm runs with XNNPACK. Other strides keep tfjs' own kernel.
 *
 * Everything works in wasm memory (data never leaves it) through the backend's kernels or
 * loops over its heap, and every intermediate is disposed. Call `installWasmConvGradients()`
 * before the wasm backend initialises; calling it again does nothing.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { WasmHeap } from './wasmHeap';
import { simdAtb } from './wasmSimd';

type KernelArgs = Parameters<tf.KernelFunc>[0];
type Backend = KernelArgs['backend'];
type Conv4 = [number, number, number, number];

let installed = false;

/**
 * Runs wasm kernels by name and remembers their outputs, so that one `dispose()` frees every
 * intermediate of a kernel.
 */
export class KernelRunner {
  private readonly made: tf.TensorInfo[] = [];
  constructor(private readonly backend: Backend) {}

  run(name: string, inputs: Record<string, tf.TensorInfo> | tf.TensorInfo[], attrs: Record<string, unknown> = {}): tf.TensorInfo {
    const kernel = tf.getKernel(name, 'wasm');
    if (!kernel) throw new Error(`wasm has no ${name} kernel`);
    const out = kernel.kernelFunc({ inputs: inputs as KernelArgs['inputs'], backend: this.backend, attrs: attrs as KernelArgs['attrs'] }) as tf.TensorInfo;
    this.made.push(out);
    return out;
  }

  /** Frees every intermediate except `keep` (the kernel's result). */
  dispose(keep?: tf.TensorInfo): void {
    for (const t of this.made) if (t !== keep) (this.backend as unknown as WasmHeap).disposeData(t.dataId);
    this.made.length = 0;
  }
}

type ConvAttrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/**
 * The patch matrix P [batch·outH·outW, kh·kw·inC] of x [batch, h, w, inC], row by row: each
 * row is the receptive field of one output position (zeros where it covers padding), with
 * its cells in the filter's order (row, column, channel). Reads and writes run along memory.
 */
export function im2col(x: Float32Array, p: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize, inHeight: h, inWidth: w, inChannels: c, outHeight, outWidth } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  let at = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        for (let r = 0; r < kh; r++) {
          const ih = oh * sh + r - padInfo.top;
          if (ih < 0 || ih >= h) {
            p.fill(0, at, at + kw * c);
            at += kw * c;
            continue;
          }
          for (let q = 0; q < kw; q++) {
            const iw = ow * sw + q - padInfo.left;
            if (iw < 0 || iw >= w) {
              p.fill(0, at, at + c);
            } else {
              const from = ((b * h + ih) * w + iw) * c;
              if (c === 1) p[at] = x[from]!;
              else p.set(x.subarray(from, from + c), at);
            }
            at += c;
          }
        }
      }
    }
  }
}

/** dW [kh, kw, inC, outC] from x [b, h, w, inC] and dy [b, outH, outW, outC] (NHWC only). */
function backpropFilter(args: KernelArgs): tf.TensorInfo {
  const { backend } = args;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as ConvAttrs & { filterShape: Conv4 };
  if (attrs.dataFormat === 'NCHW') {
    throw new Error('Conv2DBackpropFilter on wasm supports channels-last data only');
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Conv4,
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const { batchSize, inChannels, outChannels, outHeight, outWidth, filterHeight, filterWidth } = info;
  const rows = filterHeight * filterWidth * inChannels;
  const n = batchSize * outHeight * outWidth;
  const wasm = backend as unknown as WasmHeap;
  const patches = wasm.makeOutput([1, n, rows], 'float32');
  const k = new KernelRunner(backend);
  try {
    // Views after makeOutput: allocating may grow (and so replace) the wasm memory buffer.
    im2col(wasm.typedArrayFromHeap(x), wasm.typedArrayFromHeap(patches), info);
    const filterShape = [filterHeight, filterWidth, inChannels, outChannels];
    const dw = wasm.makeOutput(filterShape, 'float32');
    const views = [patches, dy, dw].map((t) => wasm.typedArrayFromHeap(t));
    if (simdAtb(backend, views[0]!, views[1]!, views[2]!, [n, rows, outChannels])) return dw;
    wasm.disposeData(dw.dataId);
    // Without SIMD (or with a channel count that is not a multiple of 4): wasm's matmul.
    const b = k.run('Reshape', { x: dy }, { shape: [1, n, outChannels] });
    const product = k.run('BatchMatMul', { a: patches, b }, { transposeA: true, transposeB: false });
    const out = k.run('Reshape', { x: product }, { shape: filterShape });
    k.dispose(out);
    return out;
  } catch (err) {
    k.dispose();
    throw err;
  } finally {
    wasm.disposeData(patches.dataId);
  }
}

/**
 * dx for a stride-1 convolution: conv(pad(dy, k-1-pad), flip(W) with in/out swapped), or null
 * where that identity does not apply (then tfjs' own kernel runs).
 */
function backpropInputFast(args: KernelArgs): tf.TensorInfo | null {
  const { backend } = args;
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as ConvAttrs & { inputShape: Conv4 };
  if (attrs.dataFormat === 'NCHW') return null;
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as Conv4,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const { strideHeight, strideWidth, filterHeight, filterWidth, padInfo, inHeight, inWidth } = info;
  if (strideHeight !== 1 || strideWidth !== 1) return null;
  const top = filterHeight - 1 - padInfo.top;
  const left = filterWidth - 1 - padInfo.left;
  const bottom = inHeight + filterHeight - 1 - info.outHeight - top;
  const right = inWidth + filterWidth - 1 - info.outWidth - left;
  if (Math.min(top, left, bottom, right) < 0) return null;
  const k = new KernelRunner(backend);
  try {
    const padded = top || left || bottom || right
      ? k.run('PadV2', { x: dy }, { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 })
      : dy;
    const swapped = k.run('Transpose', { x: filter }, { perm: [0, 1, 3, 2] }); // [kh, kw, outC, inC]
    const flipped = k.run('Reverse', { x: swapped }, { dims: [0, 1] });
    const dx = k.run('Conv2D', { x: padded, filter: flipped }, {
      strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined,
    });
    k.dispose(dx);
    return dx;
  } catch (err) {
    k.dispose();
    throw err;
  }
}

/** Registers the convolution gradient kernels on wasm (see the file comment). */
export function installWasmConvGradients(): void {
  if (installed) return;
  if (!tf.getKernel('Conv2D', 'wasm')) return; // wasm backend not registered
  installed = true;
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
    tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: backpropFilter });
  }
  const original = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (original) {
    tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
    tf.registerKernel({
      kernelName: 'Conv2DBackpropInput',
      backendName: 'wasm',
      setupFunc: original.setupFunc,
      disposeFunc: original.disposeFunc,
      kernelFunc: (args: KernelArgs) => backpropInputFast(args) ?? original.kernelFunc(args),
    });
  }
}
