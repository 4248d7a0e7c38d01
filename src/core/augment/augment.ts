/**
 * Data augmentation as tensor operations on a batch of preprocessed images [n, h, w, c].
 *
 * Per example, the random parameters (flip, quarter turns, angle, zoom, shift, brightness)
 * are drawn in JavaScript from a seeded stream (a few numbers per image), and the pixels are
 * moved on the device in at most three operations:
 *  1. every geometric change (padded shift, quarter turns, flips, rotation by a free angle,
 *     zoom) composed into one projective `tf.image.transform` row per image (bilinear; the
 *     integer moves land exactly on pixel centres, so alone they copy pixels exactly),
 *  2. wrap-around shifts ('roll'): one `tf.gather` with a per-pixel source index,
 *  3. brightness: one multiply around the value of a black pixel, clipped to white.
 * Only the examples picked by `fraction` are changed; the others get identity parameters.
 * The stream is seeded per training step (`augmentRng(seed, step)`), so a run, or a run
 * resumed at any step, repeats exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng, deriveSeed, type Rng } from '../rng';
import { IDENTITY_PARAMS, type AugmentationConfig, type AugmentParams } from './settings';

export * from './settings';

/** The stream for one training step: independent of every other step, so resuming repeats it. */
export function augmentRng(seed: number, step: number): Rng {
  return createRng(deriveSeed(deriveSeed(seed, 'augment'), `step ${step}`));
}

/**
 * Draws the parameters of `count` images of size h×w. Each image is augmented with
 * probability `fraction`; every enabled augmentation then draws its own value. The same
 * number of draws is made per image whatever the outcome, so streams stay aligned.
 */
export function sampleParams(a: AugmentationConfig, count: number, h: number, w: number, rng: Rng): AugmentParams[] {
  const out: AugmentParams[] = [];
  const maxDx = Math.floor(a.shiftW * w);
  const maxDy = Math.floor(a.shiftH * h);
  for (let i = 0; i < count; i++) {
    const u = rng.next();
    const draws = [rng.next(), rng.next(), rng.next(), rng.next(), rng.next(), rng.next(), rng.next(), rng.next()] as const;
    if (!(u < a.fraction)) {
      out.push({ ...IDENTITY_PARAMS });
      continue;
    }
    const pick = (n: number, d: number) => Math.min(n - 1, Math.floor(d * n));
    out.push({
      augmented: true,
      flipH: a.flipH && draws[0] < 0.5,
      flipV: a.flipV && draws[1] < 0.5,
      rot90: a.rot90 ? pick(4, draws[2]) : 0,
      angle: a.rotateDeg > 0 ? -a.rotateDeg + 2 * a.rotateDeg * draws[3] : 0,
      zoom: a.zoom > 0 ? 1 - a.zoom + 2 * a.zoom * draws[4] : 1,
      dx: maxDx > 0 ? pick(2 * maxDx + 1, draws[5]) - maxDx : 0,
      dy: maxDy > 0 ? pick(2 * maxDy + 1, draws[6]) - maxDy : 0,
      brightness: a.brightness > 0 ? 1 - a.brightness + 2 * a.brightness * draws[7] : 1,
    });
  }
  return out;
}

/**
 * The scale that makes an h×w frame rotated by `deg` fit inside the original frame
 * (rotate inside a larger bound, then resize back): 1 for quarter turns, 1/√2 at 45° on
 * a square.
 */
export function noClipScale(deg: number, h: number, w: number): number {
  const t = (deg * Math.PI) / 180;
  const c = Math.abs(Math.cos(t));
  const s = Math.abs(Math.sin(t));
  return Math.min(1, w / (w * c + h * s), h / (w * s + h * c));
}

/**
 * The 8 numbers of a `tf.image.transform` row that rotates by `deg` (counter-clockwise on
 * screen) and scales by `scale` about the image centre. The row maps output to input pixels.
 */
export function rotateZoomMatrix(deg: number, scale: number, h: number, w: number): number[] {
  const t = (deg * Math.PI) / 180;
  const cos = Math.cos(t) / scale;
  const sin = Math.sin(t) / scale;
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  // input = centre + M (output - centre), M = R(θ)ᵀ / scale in (x right, y down) coordinates.
  const a0 = cos;
  const a1 = -sin;
  const b0 = sin;
  const b1 = cos;
  return [a0, a1, cx - a0 * cx - a1 * cy, b0, b1, cy - b0 * cx - b1 * cy, 0, 0];
}

/** 2×3 affine maps [a0 a1 a2; b0 b1 b2]; `compose(a, b)` applies b first, then a. */
type Affine = [number, number, number, number, number, number];
const compose = (a: Affine, b: Affine): Affine => [
  a[0] * b[0] + a[1] * b[3],
  a[0] * b[1] + a[1] * b[4],
  a[0] * b[2] + a[1] * b[5] + a[2],
  a[3] * b[0] + a[4] * b[3],
  a[3] * b[1] + a[4] * b[4],
  a[3] * b[2] + a[4] * b[5] + a[5],
];

/**
 * One `tf.image.transform` row (output → input pixel) for all of an image's geometric
 * changes: a padded shift, then quarter turns and flips (integer maps, so they stay
 * pixel-exact), then rotation and zoom about the centre.
 */
export function composedMatrix(p: AugmentParams, h: number, w: number, padShift: boolean): number[] {
  let m: Affine = padShift ? [1, 0, -p.dx, 0, 1, -p.dy] : [1, 0, 0, 0, 1, 0];
  // np.rot90 (counter-clockwise): the output pixel (x, y) reads (w-1-y, x), once per turn.
  for (let k = 0; k < p.rot90; k++) m = compose([0, -1, w - 1, 1, 0, 0], m);
  if (p.flipH) m = compose([-1, 0, w - 1, 0, 1, 0], m);
  if (p.flipV) m = compose([1, 0, 0, 0, -1, h - 1], m);
  if (p.angle !== 0 || p.zoom !== 1) {
    const scale = p.zoom * (p.angle !== 0 ? noClipScale(p.angle, h, w) : 1);
    m = compose(rotateZoomMatrix(p.angle, scale, h, w).slice(0, 6) as Affine, m);
  }
  return [...m, 0, 0];
}

/**
 * Per output pixel of each image, the flat index of its source pixel in the batch, or -1
 * where a padded shift uncovers the frame. Output → shift → quarter turns → flips → input.
 */
export function permutationIndex(params: AugmentParams[], h: number, w: number, shiftMode: 'roll' | 'pad'): Int32Array {
  const hw = h * w;
  const idx = new Int32Array(params.length * hw);
  const mod = (a: number, n: number) => ((a % n) + n) % n;
  for (let b = 0; b < params.length; b++) {
    const p = params[b]!;
    const base = b * hw;
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        let si = i - p.dy;
        let sj = j - p.dx;
        let valid = true;
        if (shiftMode === 'roll') {
          si = mod(si, h);
          sj = mod(sj, w);
        } else if (si < 0 || si >= h || sj < 0 || sj >= w) {
          valid = false;
        }
        if (!valid) {
          idx[base + i * w + j] = -1;
          continue;
        }
        // np.rot90 (counter-clockwise): out[i][j] = in[j][w-1-i], applied rot90 times.
        for (let k = 0; k < p.rot90; k++) {
          const t = si;
          si = sj;
          sj = w - 1 - t;
        }
        if (p.flipH) sj = w - 1 - sj;
        if (p.flipV) si = h - 1 - si;
        idx[base + i * w + j] = base + si * w + sj;
      }
    }
  }
  return idx;
}

/** Values of a black and a white pixel after preprocessing (fill colour and brightness clip). */
export interface PixelRange {
  black: number;
  white: number;
}

/**
 * `tf.image.transform` with one row per image. tfjs 4.22's CPU kernel returns after the first
 * image of a batch (the rest stay at the fill value), so on that backend each image goes
 * through on its own; WebGL, WebGPU and wasm transform the whole batch in one call.
 */
function transformBatch(x: tf.Tensor4D, rows: number[], fill: number): tf.Tensor4D {
  const n = x.shape[0];
  if (tf.getBackend() !== 'cpu' || n === 1) {
    return tf.image.transform(x, tf.tensor2d(rows, [n, 8]), 'bilinear', 'constant', fill);
  }
  const parts = tf.split(x, n, 0).map((img, i) =>
    tf.image.transform(img as tf.Tensor4D, tf.tensor2d(rows.slice(8 * i, 8 * i + 8), [1, 8]), 'bilinear', 'constant', fill),
  );
  return tf.concat(parts, 0);
}

/**
 * Applies `params` (one per image) to the batch `x` [n, h, w, c]. Call inside tf.tidy.
 * `shiftMode` only matters for shifts. Quarter turns need h = w.
 */
export function applyAugmentation(
  x: tf.Tensor,
  params: AugmentParams[],
  shiftMode: 'roll' | 'pad',
  range: PixelRange,
): tf.Tensor {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  if (params.length !== n) throw new Error(`applyAugmentation: ${params.length} parameter sets for ${n} images.`);
  let out = x as tf.Tensor4D;
  if (h !== w && params.some((p) => p.rot90 % 2 === 1)) {
    throw new Error(`Quarter turns need square images, but these are ${h}×${w}. Switch off "Rotate by 90/180/270".`);
  }
  const pad = shiftMode === 'pad';
  const moves = (p: AugmentParams) =>
    p.angle !== 0 || p.zoom !== 1 || p.flipH || p.flipV || p.rot90 !== 0 || (pad && (p.dx !== 0 || p.dy !== 0));
  if (params.some(moves)) {
    out = transformBatch(out, params.flatMap((p) => composedMatrix(p, h, w, pad)), range.black);
  }
  if (!pad && params.some((p) => p.dx !== 0 || p.dy !== 0)) {
    // Wrap-around shifts: one gather with a per-pixel source index (tfjs' 'wrap' fill mode
    // maps shifts of more than one pixel wrongly, so it is not used).
    const shifts = params.map((p) => ({ ...IDENTITY_PARAMS, dx: p.dx, dy: p.dy }));
    const idx = permutationIndex(shifts, h, w, 'roll');
    out = tf.reshape(tf.gather(tf.reshape(out, [n * h * w, c]), tf.tensor1d(idx, 'int32')), [n, h, w, c]);
  }
  if (params.some((p) => p.brightness !== 1)) {
    // v' = black + k (v - black) = k v + (1 - k) black, clipped to [black, white].
    const k = tf.tensor4d(Float32Array.from(params, (p) => p.brightness), [n, 1, 1, 1]);
    const offset = tf.tensor4d(Float32Array.from(params, (p) => (1 - p.brightness) * range.black), [n, 1, 1, 1]);
    const lo = Math.min(range.black, range.white);
    const hi = Math.max(range.black, range.white);
    out = tf.clipByValue(tf.add(tf.mul(out, k), offset), lo, hi);
  }
  return out;
}

/**
 * The batch transform for train()'s `transformBatch` option: draws the parameters of step
 * `step` from the run's seed and applies them.
 */
export function augmentationTransform(
  a: AugmentationConfig,
  seed: number,
  range: PixelRange,
): (x: tf.Tensor, info: { step: number }) => tf.Tensor {
  return (x, info) => {
    const [n, h, w] = x.shape as [number, number, number, number];
    const params = sampleParams(a, n, h, w, augmentRng(seed, info.step));
    return applyAugmentation(x, params, a.shiftMode, range);
  };
}
