import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  applyAugmentation,
  augmentationTransform,
  DEFAULT_AUGMENTATION,
  IDENTITY_PARAMS,
  isAugmenting,
  noClipScale,
  sampleParams,
  augmentRng,
  validateAugmentation,
  type AugmentParams,
} from './augment';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const range = { black: 0, white: 1 };
// A 3×3 single-channel image with distinct values, row-major:
//  1 2 3
//  4 5 6
//  7 8 9
const img3 = [1, 2, 3, 4, 5, 6, 7, 8, 9];
const run = (pixels: number[], p: Partial<AugmentParams>, mode: 'roll' | 'pad' = 'pad', h = 3, w = 3) =>
  tf.tidy(() => {
    const x = tf.tensor4d(pixels, [1, h, w, 1]);
    return applyAugmentation(x, [{ ...IDENTITY_PARAMS, augmented: true, ...p }], mode, range).dataSync();
  });
const arr = (a: ArrayLike<number>) => Array.from(a);

describe('exact pixel moves', () => {
  it('flips left-right and top-bottom', () => {
    expect(arr(run(img3, { flipH: true }))).toEqual([3, 2, 1, 6, 5, 4, 9, 8, 7]);
    expect(arr(run(img3, { flipV: true }))).toEqual([7, 8, 9, 4, 5, 6, 1, 2, 3]);
    expect(arr(run(img3, { flipH: true, flipV: true }))).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('turns by 90, 180 and 270 degrees counter-clockwise, like np.rot90', () => {
    expect(arr(run(img3, { rot90: 1 }))).toEqual([3, 6, 9, 2, 5, 8, 1, 4, 7]);
    expect(arr(run(img3, { rot90: 2 }))).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(arr(run(img3, { rot90: 3 }))).toEqual([7, 4, 1, 8, 5, 2, 9, 6, 3]);
  });

  it('rolls with wrap-around and shifts with black padding', () => {
    expect(arr(run(img3, { dx: 1 }, 'roll'))).toEqual([3, 1, 2, 6, 4, 5, 9, 7, 8]);
    expect(arr(run(img3, { dy: -1 }, 'roll'))).toEqual([4, 5, 6, 7, 8, 9, 1, 2, 3]);
    expect(arr(run(img3, { dx: 1, dy: 1 }, 'pad'))).toEqual([0, 0, 0, 0, 1, 2, 0, 4, 5]);
  });

  it('pads with the preprocessed black, not with zero', () => {
    const out = tf.tidy(() =>
      applyAugmentation(tf.tensor4d(img3, [1, 3, 3, 1]), [{ ...IDENTITY_PARAMS, dx: -2 }], 'pad', { black: -1, white: 1 }).dataSync(),
    );
    expect(arr(out)).toEqual([3, -1, -1, 6, -1, -1, 9, -1, -1]);
  });

  it('moves every channel of a pixel together', () => {
    const rgb = [1, 10, 100, 2, 20, 200, 3, 30, 300, 4, 40, 400]; // 2×2×3
    const out = tf.tidy(() =>
      applyAugmentation(tf.tensor4d(rgb, [1, 2, 2, 3]), [{ ...IDENTITY_PARAMS, flipH: true }], 'pad', range).dataSync(),
    );
    expect(arr(out)).toEqual([2, 20, 200, 1, 10, 100, 4, 40, 400, 3, 30, 300]);
  });

  it('changes only the images whose parameters say so', () => {
    const out = tf.tidy(() =>
      applyAugmentation(
        tf.tensor4d([...img3, ...img3], [2, 3, 3, 1]),
        [{ ...IDENTITY_PARAMS }, { ...IDENTITY_PARAMS, augmented: true, flipH: true }],
        'pad',
        range,
      ).dataSync(),
    );
    expect(arr(out)).toEqual([...img3, 3, 2, 1, 6, 5, 4, 9, 8, 7]);
  });
});

/** A size×size image, 0 outside a centred bright square of side `side`. */
function square(size: number, side: number): number[] {
  const a = new Array<number>(size * size).fill(0);
  const o = Math.floor((size - side) / 2);
  for (let i = o; i < o + side; i++) for (let j = o; j < o + side; j++) a[i * size + j] = 1;
  return a;
}
const sum = (a: ArrayLike<number>) => arr(a).reduce((s, v) => s + v, 0);
const borderSum = (a: ArrayLike<number>, n: number) => {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! + a[(n - 1) * n + i]! + a[i * n]! + a[i * n + n - 1]!;
  return s;
};

describe('rotation and zoom', () => {
  it('keeps the image size and keeps a full-frame image inside the frame at any angle', () => {
    const n = 32;
    const full = new Array<number>(n * n).fill(1);
    for (const angle of [30, 45, -70, 135]) {
      const out = tf.tidy(() => {
        const y = applyAugmentation(tf.tensor4d(full, [1, n, n, 1]), [{ ...IDENTITY_PARAMS, angle }], 'pad', range);
        expect(y.shape).toEqual([1, n, n, 1]);
        return y.dataSync();
      });
      // Nothing clipped: the bright area is the whole frame scaled by s², within a pixel's edge.
      const s = noClipScale(angle, n, n);
      expect(sum(out) / (n * n * s * s)).toBeGreaterThan(0.93);
      expect(sum(out) / (n * n * s * s)).toBeLessThan(1.07);
      // The corners are uncovered (black).
      expect(out[0]).toBeLessThan(0.05);
      expect(out[n * n - 1]).toBeLessThan(0.05);
    }
  });

  it('zooms in and out about the centre, keeping an object inside the frame', () => {
    const n = 32;
    const obj = square(n, 12);
    for (const zoom of [0.6, 1.4]) {
      const out = tf.tidy(() => {
        const y = applyAugmentation(tf.tensor4d(obj, [1, n, n, 1]), [{ ...IDENTITY_PARAMS, zoom }], 'pad', range);
        expect(y.shape).toEqual([1, n, n, 1]);
        return y.dataSync();
      });
      expect(sum(out) / (144 * zoom * zoom)).toBeGreaterThan(0.85);
      expect(sum(out) / (144 * zoom * zoom)).toBeLessThan(1.15);
      expect(borderSum(out, n)).toBe(0);
      // Still centred: the centre pixel stays bright.
      expect(out[16 * n + 16]).toBeCloseTo(1, 5);
    }
  });

  it('scales brightness around black and clips at white', () => {
    const out = tf.tidy(() =>
      applyAugmentation(tf.tensor4d([0, 0.5, 0.8, 1], [1, 2, 2, 1]), [{ ...IDENTITY_PARAMS, brightness: 1.5 }], 'pad', range).dataSync(),
    );
    expect(arr(out).map((v) => +v.toFixed(5))).toEqual([0, 0.75, 1, 1]);
  });
});

describe('parameters, seeding and settings', () => {
  const all = { ...DEFAULT_AUGMENTATION, flipH: true, flipV: true, rot90: true, rotateDeg: 30, shiftW: 0.2, shiftH: 0.2, zoom: 0.2, brightness: 0.3 };

  it('augments about the chosen fraction and stays within the ranges', () => {
    const ps = sampleParams({ ...all, fraction: 0.5 }, 2000, 28, 28, augmentRng(1, 0));
    const share = ps.filter((p) => p.augmented).length / ps.length;
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.55);
    for (const p of ps) {
      expect(Math.abs(p.angle)).toBeLessThanOrEqual(30);
      expect(Math.abs(p.dx)).toBeLessThanOrEqual(5);
      expect(p.zoom).toBeGreaterThanOrEqual(0.8);
      expect(p.zoom).toBeLessThanOrEqual(1.2);
      if (!p.augmented) expect(p).toEqual(IDENTITY_PARAMS);
    }
    expect(sampleParams({ ...all, fraction: 0 }, 50, 28, 28, augmentRng(1, 0)).every((p) => !p.augmented)).toBe(true);
  });

  it('repeats exactly for the same seed and step, and differs between steps', () => {
    const t = augmentationTransform(all, 7, range);
    const x = tf.randomUniform([8, 10, 10, 1], 0, 1, 'float32', 3);
    const a = tf.tidy(() => t(x, { step: 5 }).dataSync());
    const b = tf.tidy(() => t(x, { step: 5 }).dataSync());
    const c = tf.tidy(() => t(x, { step: 6 }).dataSync());
    expect(arr(a)).toEqual(arr(b));
    expect(arr(a)).not.toEqual(arr(c));
    x.dispose();
  });

  it('knows when it is on, and explains bad values', () => {
    expect(isAugmenting(DEFAULT_AUGMENTATION)).toBe(false);
    expect(isAugmenting({ ...DEFAULT_AUGMENTATION, flipH: true })).toBe(true);
    expect(isAugmenting({ ...DEFAULT_AUGMENTATION, flipH: true, fraction: 0 })).toBe(false);
    expect(validateAugmentation(all)).toEqual([]);
    const bad = validateAugmentation({ ...all, fraction: 1.5, zoom: -1 });
    expect(bad.map((b) => b.key)).toEqual(['fraction', 'zoom']);
    expect(bad[0]!.message).toContain('Augmented fraction');
  });
});

describe('batches', () => {
  // Each image of a batch gets its own rotation and zoom, on every Node backend (tfjs' CPU
  // Transform kernel only handles the first image of a batch; applyAugmentation works around it).
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`rotates and zooms every image of a batch by its own parameters (${backend})`, async () => {
      const { useBackend } = await import('../testing/datasets');
      await useBackend(backend);
      try {
        // Pixel-exact moves on this backend too.
        // Flip top-bottom first, then a quarter turn counter-clockwise.
        expect(arr(run(img3, { rot90: 1, flipV: true }))).toEqual([9, 6, 3, 8, 5, 2, 7, 4, 1]);
        expect(arr(run(img3, { dx: 1, dy: 1 }, 'pad'))).toEqual([0, 0, 0, 0, 1, 2, 0, 4, 5]);
        expect(arr(run(img3, { dx: 2 }, 'roll'))).toEqual([2, 3, 1, 5, 6, 4, 8, 9, 7]);
        const n = 16;
        const obj = square(n, 8);
        const ps: AugmentParams[] = [
          { ...IDENTITY_PARAMS, angle: 30 },
          { ...IDENTITY_PARAMS, zoom: 0.7 },
          { ...IDENTITY_PARAMS, angle: -45, zoom: 1.2 },
        ];
        const batch = tf.tidy(() => applyAugmentation(tf.tensor4d([...obj, ...obj, ...obj], [3, n, n, 1]), ps, 'pad', range).dataSync());
        ps.forEach((p, i) => {
          const single = tf.tidy(() => applyAugmentation(tf.tensor4d(obj, [1, n, n, 1]), [p], 'pad', range).dataSync());
          const part = arr(batch.subarray(i * n * n, (i + 1) * n * n));
          expect(sum(part)).toBeGreaterThan(20);
          part.forEach((v, k) => expect(v).toBeCloseTo(single[k]!, 4));
        });
      } finally {
        await tf.setBackend('cpu');
      }
    });
  }
});
