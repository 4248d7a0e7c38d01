/**
 * tfjs 4.22's wasm `MaxPoolGrad` (and `MaxPoolWithArgmax`) start each window's maximum at
 * the smallest positive float instead of the lowest float, so in a window whose values are
 * all negative the gradient goes to the first cell instead of the largest one. Any
 * MaxPooling2D after a layer that can output negatives (tanh, linear, BatchNormalization)
 * then trains with wrong gradients. This replaces the kernel with a plain loop over the
 * wasm heap (no copies out of wasm memory) that follows the cpu backend exactly: the first
 * largest cell of each window, padding cells ignored, overlapping windows summed.
 *
 * Call `installWasmMaxPoolGrad()` before or after the wasm backend initialises; calling it
 * again does nothing.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

type KernelArgs = Parameters<tf.KernelFunc>[0];
type WasmBackend = {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
};

let installed = false;

function maxPoolGrad(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as unknown as WasmBackend;
  const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as {
    filterSize: number | [number, number];
    strides: number | [number, number];
    pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  };
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, effectiveFilterHeight, effectiveFilterWidth, dilationHeight, dilationWidth } = info;
  const out = backend.makeOutput(input.shape, 'float32');
  // Views after makeOutput: allocating may grow (and so replace) the wasm memory buffer.
  const x = backend.typedArrayFromHeap(input);
  const g = backend.typedArrayFromHeap(dy);
  const dx = backend.typedArrayFromHeap(out);
  dx.fill(0);
  const best = new Float32Array(channels);
  const where = new Int32Array(channels);
  for (let b = 0; b < batchSize; b++) {
    const xBatch = b * inHeight * inWidth * channels;
    for (let oh = 0; oh < outHeight; oh++) {
      const top = oh * strideHeight - info.padInfo.top;
      for (let ow = 0; ow < outWidth; ow++) {
        const left = ow * strideWidth - info.padInfo.left;
        best.fill(Number.NEGATIVE_INFINITY);
        where.fill(-1);
        for (let fh = 0; fh < effectiveFilterHeight; fh += dilationHeight) {
          const h = top + fh;
          if (h < 0 || h >= inHeight) continue;
          for (let fw = 0; fw < effectiveFilterWidth; fw += dilationWidth) {
            const w = left + fw;
            if (w < 0 || w >= inWidth) continue;
            const base = xBatch + (h * inWidth + w) * channels;
            for (let c = 0; c < channels; c++) {
              const v = x[base + c]!;
              // Strictly greater: the first of equal maxima wins, as on the cpu backend.
              if (v > best[c]! || where[c] === -1) {
                best[c] = v;
                where[c] = base + c;
              }
            }
          }
        }
        const dyBase = ((b * outHeight + oh) * outWidth + ow) * channels;
        for (let c = 0; c < channels; c++) {
          const at = where[c]!;
          if (at >= 0) dx[at] = dx[at]! + g[dyBase + c]!;
        }
      }
    }
  }
  return out;
}

/** Replaces wasm's MaxPoolGrad with the correct one above. */
export function installWasmMaxPoolGrad(): void {
  if (installed) return;
  if (!tf.getKernel('MaxPoolGrad', 'wasm')) {
    if (!tf.getKernel('MaxPool', 'wasm')) return; // wasm backend not registered
  } else {
    tf.unregisterKernel('MaxPoolGrad', 'wasm');
  }
  installed = true;
  tf.registerKernel({ kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: maxPoolGrad });
}
