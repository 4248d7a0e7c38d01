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
 * The stream is seeded per training step (`augmentSeed(seed, step)`), so a run, or a run
 * resumed at any step, repeats exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng, deriveSeed, type Rng } from '../rng';

/** How each training batch is augmented; plain data, everything off by default. */
export interface AugmentationConfig {
  /** Share of each training batch that is augmented, 0..1 (the chapter uses 0.5). */
  fraction: number;
  /** Mirror left-right with probability 1/2. */
  flipH: boolean;
  /** Mirror top-bottom with probability 1/2. */
  flipV: boolean;
  /** Turn by 0, 90, 180 or 270 degrees (uniformly); needs square images. */
  rot90: boolean;
  /** Rotate by a random angle in [-rotateDeg, rotateDeg], shrunk so nothing is clipped; 0 = off. */
  rotateDeg: number;
  /** Shift left/right by up to this fraction of the width, 0..1; 0 = off. */
  shiftW: number;
  /** Shift up/down by up to this fraction of the height, 0..1; 0 = off. */
  shiftH: number;
  /** 'roll' wraps what leaves one edge in at the other; 'pad' fills the uncovered part with black. */
  shiftMode: 'roll' | 'pad';
  /** Scale by a factor in [1-zoom, 1+zoom], then centre-crop or pad back to size; 0 = off. */
  zoom: number;
  /** Multiply pixel brightness by a factor in [1-brightness, 1+brightness]; 0 = off. */
  brightness: number;
}

export const DEFAULT_AUGMENTATION: Readonly<AugmentationConfig> = {
  fraction: 0.5,
  flipH: false,
  flipV: false,
  rot90: false,
  rotateDeg: 0,
  shiftW: 0,
  shiftH: 0,
  shiftMode: 'pad',
  zoom: 0,
  brightness: 0,
};

/** Key of a setting in `AugmentationConfig`. */
export type AugmentationKey = keyof AugmentationConfig;

/** What the UI shows for one augmentation, and the values that are valid. */
export interface AugmentationInfo {
  id: Exclude<AugmentationKey, 'fraction' | 'shiftMode'>;
  label: string;
  description: string;
  kind: 'toggle' | 'range';
  /** For ranges: the largest allowed value, and a useful step. */
  max?: number;
  step?: number;
}

/** The augmentations, keyed by their config field, in the order a form lists them. */
export const AUGMENTATIONS: Readonly<Record<AugmentationInfo['id'], AugmentationInfo>> = {
  flipH: { id: 'flipH', label: 'Flip horizontally', kind: 'toggle', description: 'Mirror left-right, half of the time.' },
  flipV: { id: 'flipV', label: 'Flip vertically', kind: 'toggle', description: 'Mirror top-bottom, half of the time.' },
  rot90: {
    id: 'rot90',
    label: 'Rotate by 90/180/270',
    kind: 'toggle',
    description: 'Turn by a random quarter turn (or not at all); needs square images.',
  },
  rotateDeg: {
    id: 'rotateDeg',
    label: 'Rotation range (degrees)',
    kind: 'range',
    max: 180,
    step: 5,
    description: 'Rotate by a random angle up to this many degrees either way, shrunk to fit so nothing is cut off.',
  },
  shiftW: {
    id: 'shiftW',
    label: 'Width shift (fraction)',
    kind: 'range',
    max: 1,
    step: 0.05,
    description: 'Move left or right by up to this share of the width (0.1 = 10%).',
  },
  shiftH: {
    id: 'shiftH',
    label: 'Height shift (fraction)',
    kind: 'range',
    max: 1,
    step: 0.05,
    description: 'Move up or down by up to this share of the height.',
  },
  zoom: {
    id: 'zoom',
    label: 'Zoom range',
    kind: 'range',
    max: 0.9,
    step: 0.05,
    description: 'Scale by a factor from 1 − zoom to 1 + zoom, then crop or pad back to the same size.',
  },
  brightness: {
    id: 'brightness',
    label: 'Brightness range',
    kind: 'range',
    max: 1,
    step: 0.05,
    description: 'Multiply the brightness by a factor from 1 − range to 1 + range.',
  },
};

/** True when any augmentation is switched on (and some share of the batch is augmented). */
export function isAugmenting(a: AugmentationConfig | undefined | null): a is AugmentationConfig {
  if (!a || !(a.fraction > 0)) return false;
  return a.flipH || a.flipV || a.rot90 || a.rotateDeg > 0 || a.shiftW > 0 || a.shiftH > 0 || a.zoom > 0 || a.brightness > 0;
}

/** Every problem with the augmentation settings, each naming the setting as the form does. */
export function validateAugmentation(a: AugmentationConfig): { key: AugmentationKey; message: string }[] {
  const out: { key: AugmentationKey; message: string }[] = [];
  const inRange = (v: number, max: number) => Number.isFinite(v) && v >= 0 && v <= max;
  if (!inRange(a.fraction, 1)) {
    out.push({ key: 'fraction', message: 'Augmented fraction is the share of each batch that is changed: pick a value from 0 to 1 (0.5 = half).' });
  }
  for (const info of Object.values(AUGMENTATIONS)) {
    if (info.kind !== 'range') continue;
    const v = a[info.id] as number;
    if (!inRange(v, info.max!)) {
      out.push({ key: info.id, message: `${info.label} must be a number from 0 (off) to ${info.max}.` });
    }
  }
  if (a.shiftMode !== 'roll' && a.shiftMode !== 'pad') {
    out.push({ key: 'shiftMode', message: 'Shift mode must be "roll" (wrap around) or "pad" (fill with black).' });
  }
  return out;
}

/** The random choices for one image; identity values when the image is not augmented. */
export interface AugmentParams {
  augmented: boolean;
  flipH: boolean;
  flipV: boolean;
  /** Quarter turns counter-clockwise, 0..3. */
  rot90: number;
  /** Degrees, counter-clockwise. */
  angle: number;
  zoom: number;
  /** Whole pixels; positive moves right / down. */
  dx: number;
  dy: number;
  brightness: number;
}

export const IDENTITY_PARAMS: Readonly<AugmentParams> = {
  augmented: false,
  flipH: false,
  flipV: false,
  rot90: 0,
  angle: 0,
  zoom: 1,
  dx: 0,
  dy: 0,
  brightness: 1,
};

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

/** The parameters as a short text for the preview ("flip ↔, 90°, rotate 12°, zoom 1.10…"). */
export function describeParams(p: AugmentParams): string {
  if (!p.augmented) return 'not augmented';
  const parts: string[] = [];
  if (p.flipH) parts.push('flip ↔');
  if (p.flipV) parts.push('flip ↕');
  if (p.rot90) parts.push(`turn ${p.rot90 * 90}°`);
  if (p.angle !== 0) parts.push(`rotate ${p.angle.toFixed(0)}°`);
  if (p.zoom !== 1) parts.push(`zoom ${p.zoom.toFixed(2)}`);
  if (p.dx !== 0 || p.dy !== 0) parts.push(`shift ${p.dx},${p.dy}px`);
  if (p.brightness !== 1) parts.push(`bright ×${p.brightness.toFixed(2)}`);
  return parts.length > 0 ? parts.join(', ') : 'unchanged';
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
