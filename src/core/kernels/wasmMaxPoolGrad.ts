/**
 * tfjs 4.22's wasm `MaxPoolGrad` (and `MaxPoolWithArgmax`) start each window's maximum at
 * the smallest positive float instead of the lowest float, so in a window whose values are
 * all negative the gradient goes to the first cell instead of the largest one. Any
 * MaxPooling2D after a layer that can output negatives (tanh, linear, BatchNormalization)
 * then trains with wrong gradients. This replaces the kernel with one that follows the cpu
 * backend exactly: the first largest cell of each window, padding cells ignored, overlapping
 * windows summed. It works on the wasm heap (no copies out of wasm memory): 2x2 windows with
 * stride 2 and no padding in WebAssembly SIMD (./wasmSimd.ts), any other pooling in a
 * JavaScript loop.
 *
 * Call `installWasmMaxPoolGrad()` before or after the wasm backend initialises; calling it
 * again does nothing.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { WasmHeap } from './wasmHeap';
import { simdMaxPoolGrad2x2 } from './wasmSimd';

type KernelArgs = Parameters<tf.KernelFunc>[0];
let installed = false;

function maxPoolGrad(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as unknown as WasmHeap;
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
  const { strideHeight, strideWidth } = info;
  const out = backend.makeOutput(input.shape, 'float32');
  // Views after makeOutput: allocating may grow (and so replace) the wasm memory buffer.
  const x = backend.typedArrayFromHeap(input);
  const g = backend.typedArrayFromHeap(dy);
  const dx = backend.typedArrayFromHeap(out);
  const { top, bottom, left, right } = info.padInfo;
  const twoByTwo = info.filterHeight === 2 && info.filterWidth === 2 && strideHeight === 2 && strideWidth === 2;
  if (twoByTwo && !top && !bottom && !left && !right && simdMaxPoolGrad2x2(backend, x, g, dx, [batchSize, inHeight, inWidth, channels])) {
    return out;
  }
  // Window bounds per output row and column, clipped to the input: padding cells never win.
  // (MaxPoolGrad has no dilation: tfjs always builds it with dilation 1.)
  const bounds = (n: number, stride: number, pad: number, size: number, limit: number) => {
    const start = new Int32Array(n), end = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      start[i] = Math.max(0, i * stride - pad);
      end[i] = Math.min(limit, i * stride - pad + size);
    }
    return [start, end] as const;
  };
  const [rowStart, rowEnd] = bounds(outHeight, strideHeight, info.padInfo.top, info.effectiveFilterHeight, inHeight);
  const [colStart, colEnd] = bounds(outWidth, strideWidth, info.padInfo.left, info.effectiveFilterWidth, inWidth);
  dx.fill(0);
  // Channels innermost, as they lie in memory: for each window, one pass per cell over all
  // channels keeps the running maximum of every channel (measured 1.5x faster than a window
  // per channel, which strides through memory).
  const best = new Float32Array(channels);
  const bestAt = new Int32Array(channels);
  let dyAt = 0;
  for (let b = 0; b < batchSize; b++) {
    const xBatch = b * inHeight * inWidth * channels;
    for (let oh = 0; oh < outHeight; oh++) {
      const h0 = rowStart[oh]!, h1 = rowEnd[oh]!;
      for (let ow = 0; ow < outWidth; ow++, dyAt += channels) {
        const w0 = colStart[ow]!, w1 = colEnd[ow]!;
        if (h0 >= h1 || w0 >= w1) continue; // a window of padding only: no gradient
        const first = xBatch + (h0 * inWidth + w0) * channels;
        for (let c = 0; c < channels; c++) {
          best[c] = x[first + c]!;
          bestAt[c] = first + c;
        }
        for (let h = h0; h < h1; h++) {
          for (let w = h === h0 ? w0 + 1 : w0; w < w1; w++) {
            const at = xBatch + (h * inWidth + w) * channels;
            for (let c = 0; c < channels; c++) {
              // Strictly greater: the first of equal maxima wins, as on the cpu backend.
              const v = x[at + c]!;
              if (v > best[c]!) {
                best[c] = v;
                bestAt[c] = at + c;
              }
            }
          }
        }
        for (let c = 0; c < channels; c++) dx[bestAt[c]!] = dx[bestAt[c]!]! + g[dyAt + c]!;
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
