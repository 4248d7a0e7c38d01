/**
 * Convolution training on tfjs 4.22's wasm backend, which has no `Conv2DBackpropFilter`
 * kernel at all and only a naive loop for `Conv2DBackpropInput`.
 *
 * - `Conv2DBackpropFilter` (the weight gradient) as im2col plus one matmul: the input is
 *   rearranged into a patch matrix P^T [kh*kw*inC, batch*outH*outW] and
 *   dW = P^T x dy [batch*outH*outW, outC], run on wasm's fast (XNNPACK) matmul.
 * - `Conv2DBackpropInput` (the gradient passed to the layer below), for stride 1: a forward
 *   convolution of the zero-padded dy with the filter flipped in space and its channel axes
 *   swapped, which wasm runs with XNNPACK. Other strides keep tfjs' own kernel.
 *
 * Everything runs through the wasm backend's own kernels (data never leaves wasm memory),
 * and every intermediate is disposed. Call `installWasmConvGradients()` before the wasm
 * backend initialises; calling it again does nothing.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

type KernelArgs = Parameters<tf.KernelFunc>[0];
type Backend = KernelArgs['backend'];
type WasmBackend = { disposeData(dataId: object): void };
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
    for (const t of this.made) if (t !== keep) (this.backend as unknown as WasmBackend).disposeData(t.dataId);
    this.made.length = 0;
  }
}

type ConvAttrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

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
  const { strideHeight, strideWidth, padInfo } = info;
  const k = new KernelRunner(backend);
  try {
    let xp = x;
    if (padInfo.top || padInfo.bottom || padInfo.left || padInfo.right) {
      const paddings = [[0, 0], [Math.max(0, padInfo.top), Math.max(0, padInfo.bottom)], [Math.max(0, padInfo.left), Math.max(0, padInfo.right)], [0, 0]];
      xp = k.run('PadV2', { x }, { paddings, constantValue: 0 });
    }
    // Channels first, so each patch slice is already a row block of P^T.
    const xt = k.run('Transpose', { x: xp }, { perm: [3, 0, 1, 2] }); // [inC, b, hp, wp]
    const pieces: tf.TensorInfo[] = [];
    for (let r = 0; r < filterHeight; r++) {
      for (let c = 0; c < filterWidth; c++) {
        if (strideHeight === 1 && strideWidth === 1) {
          pieces.push(k.run('Slice', { x: xt }, { begin: [0, 0, r, c], size: [inChannels, batchSize, outHeight, outWidth] }));
        } else {
          pieces.push(
            k.run('StridedSlice', { x: xt }, {
              begin: [0, 0, r, c],
              end: [inChannels, batchSize, r + strideHeight * (outHeight - 1) + 1, c + strideWidth * (outWidth - 1) + 1],
              strides: [1, 1, strideHeight, strideWidth],
              beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0,
            }),
          );
        }
      }
    }
    const rows = filterHeight * filterWidth * inChannels;
    const n = batchSize * outHeight * outWidth;
    const patches = pieces.length === 1 ? pieces[0]! : k.run('Concat', pieces, { axis: 0 });
    const a = k.run('Reshape', { x: patches }, { shape: [1, rows, n] });
    const b = k.run('Reshape', { x: dy }, { shape: [1, n, outChannels] });
    const product = k.run('BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
    const dw = k.run('Reshape', { x: product }, { shape: [filterHeight, filterWidth, inChannels, outChannels] });
    k.dispose(dw);
    return dw;
  } catch (err) {
    k.dispose();
    throw err;
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
