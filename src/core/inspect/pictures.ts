/**
 * Pixels of the first layer's pictures (core/inspect/firstLayer), pure so the page draws them
 * without tfjs.
 */

/**
 * One picture's pixels (RGBA, for ImageData): weights around 0 mapped symmetrically so 0 is
 * white, positive red, negative blue (one channel); three channels are scaled together to
 * 0..255 around mid-grey. `scale`: the largest |weight| shown at full strength.
 */
export function pictureRgba(values: Float32Array, offset: number, shape: readonly number[], scale: number): Uint8ClampedArray {
  const [h, w, c] = shape as [number, number, number];
  const out = new Uint8ClampedArray(h * w * 4);
  const s = scale > 0 ? scale : 1;
  for (let i = 0; i < h * w; i++) {
    if (c === 3) {
      for (let k = 0; k < 3; k++) out[4 * i + k] = 128 + (127 * values[offset + i * 3 + k]!) / s;
    } else {
      const v = Math.max(-1, Math.min(1, values[offset + i * c]! / s));
      // White at 0; toward red (#dc2626-ish) for positive, blue (#2563eb-ish) for negative.
      const [r, g, b] = v >= 0 ? [255 - 35 * v, 255 - 217 * v, 255 - 217 * v] : [255 + 218 * v, 255 + 156 * v, 255 + 20 * v];
      out[4 * i] = r;
      out[4 * i + 1] = g;
      out[4 * i + 2] = b;
    }
    out[4 * i + 3] = 255;
  }
  return out;
}

/** The largest |value| of picture `index`, for per-picture contrast. */
export function pictureScale(values: Float32Array, index: number, size: number): number {
  let m = 0;
  for (let i = index * size; i < (index + 1) * size; i++) m = Math.max(m, Math.abs(values[i]!));
  return m;
}

/** How `count` pictures of h×w lie in one grid image: columns, rows, and the image's size. */
export function gridLayout(count: number, h: number, w: number, gap = 1): { cols: number; rows: number; width: number; height: number } {
  const cols = Math.max(1, Math.min(count, Math.ceil(Math.sqrt(count))));
  const rows = Math.ceil(count / cols);
  return { cols, rows, width: cols * (w + gap) - gap, height: rows * (h + gap) - gap };
}

/**
 * Every picture in one RGBA image (`gridLayout`), each with its own contrast, gaps white: one
 * canvas and one putImageData instead of one canvas per unit.
 */
export function gridRgba(values: Float32Array, count: number, shape: readonly number[], gap = 1): { rgba: Uint8ClampedArray; width: number; height: number; cols: number; rows: number } {
  const [h, w, c] = shape as [number, number, number];
  const size = h * w * c;
  const g = gridLayout(count, h, w, gap);
  const rgba = new Uint8ClampedArray(g.width * g.height * 4).fill(255);
  for (let k = 0; k < count; k++) {
    const one = pictureRgba(values, k * size, shape, pictureScale(values, k, size));
    const x0 = (k % g.cols) * (w + gap);
    const y0 = Math.floor(k / g.cols) * (h + gap);
    for (let y = 0; y < h; y++) rgba.set(one.subarray(y * w * 4, (y + 1) * w * 4), ((y0 + y) * g.width + x0) * 4);
  }
  return { rgba, ...g };
}
