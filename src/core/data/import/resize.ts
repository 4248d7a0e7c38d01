/**
 * Channel conversion and resizing on raw pixel arrays (pure, so it is tested in Node). The
 * worker decodes an image to RGBA with the browser; this turns it into the dataset's shape.
 */

export type Channels = 1 | 3;

/**
 * HWC pixels with `srcChannels` (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA) to `channels`: alpha is
 * dropped, RGB to grey uses the ITU-R BT.601 luma weights, grey to RGB repeats the value.
 */
export function convertChannels(src: ArrayLike<number>, pixels: number, srcChannels: number, channels: Channels): Float32Array {
  const out = new Float32Array(pixels * channels);
  for (let p = 0; p < pixels; p++) {
    const s = p * srcChannels;
    const colour = srcChannels >= 3;
    const r = src[s]!;
    const g = colour ? src[s + 1]! : r;
    const b = colour ? src[s + 2]! : r;
    if (channels === 1) out[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    else {
      out[p * 3] = r;
      out[p * 3 + 1] = g;
      out[p * 3 + 2] = b;
    }
  }
  return out;
}

const weightCache = new Map<string, { start: number; weights: Float32Array }[]>();

/** For each output cell along one axis: the source cells it covers and their weights (sum 1). Cached per size pair. */
function areaWeights(srcLen: number, dstLen: number): { start: number; weights: Float32Array }[] {
  const key = `${srcLen}>${dstLen}`;
  let w = weightCache.get(key);
  if (!w) {
    if (weightCache.size > 64) weightCache.clear();
    w = computeAreaWeights(srcLen, dstLen);
    weightCache.set(key, w);
  }
  return w;
}

function computeAreaWeights(srcLen: number, dstLen: number): { start: number; weights: Float32Array }[] {
  const scale = srcLen / dstLen;
  const out: { start: number; weights: Float32Array }[] = [];
  for (let d = 0; d < dstLen; d++) {
    const a = d * scale;
    const b = (d + 1) * scale;
    const start = Math.floor(a);
    const end = Math.min(srcLen, Math.ceil(b - 1e-9));
    const weights = new Float32Array(Math.max(1, end - start));
    for (let s = start; s < end; s++) weights[s - start] = (Math.min(b, s + 1) - Math.max(a, s)) / scale;
    out.push({ start, weights });
  }
  return out;
}

/**
 * Area-averaging resize of HWC float pixels to `dstW`×`dstH`: every output pixel is the mean of
 * the source area it covers (exact antialiasing when shrinking; nearest-like when enlarging).
 */
export function resizeArea(
  src: Float32Array,
  srcW: number,
  srcH: number,
  channels: number,
  dstW: number,
  dstH: number,
): Float32Array {
  if (srcW === dstW && srcH === dstH) return src;
  const wx = areaWeights(srcW, dstW);
  const wy = areaWeights(srcH, dstH);
  // Horizontal pass: srcH rows × dstW.
  const tmp = new Float32Array(srcH * dstW * channels);
  for (let y = 0; y < srcH; y++) {
    const row = y * srcW * channels;
    for (let x = 0; x < dstW; x++) {
      const { start, weights } = wx[x]!;
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let k = 0; k < weights.length; k++) acc += weights[k]! * src[row + (start + k) * channels + c]!;
        tmp[(y * dstW + x) * channels + c] = acc;
      }
    }
  }
  const out = new Float32Array(dstH * dstW * channels);
  for (let y = 0; y < dstH; y++) {
    const { start, weights } = wy[y]!;
    for (let x = 0; x < dstW * channels; x++) {
      let acc = 0;
      for (let k = 0; k < weights.length; k++) acc += weights[k]! * tmp[(start + k) * dstW * channels + x]!;
      out[y * dstW * channels + x] = acc;
    }
  }
  return out;
}

/**
 * One source image to the dataset's square `size`×`size`×`channels` uint8 pixels, written at
 * `out[offset…]`. The image is stretched to a square (no cropping).
 */
export function toDatasetPixels(
  src: ArrayLike<number>,
  width: number,
  height: number,
  srcChannels: number,
  size: number,
  channels: Channels,
  out: Uint8Array,
  offset: number,
): void {
  if (width === size && height === size && srcChannels === channels) {
    for (let i = 0; i < size * size * channels; i++) out[offset + i] = src[i]!; // already the right shape
    return;
  }
  const conv = convertChannels(src, width * height, srcChannels, channels);
  const resized = resizeArea(conv, width, height, channels, size, size);
  for (let i = 0; i < resized.length; i++) out[offset + i] = Math.min(255, Math.max(0, Math.round(resized[i]!)));
}
