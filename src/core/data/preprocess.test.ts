import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { computeStats, MIN_STD, preprocess, PREPROCESSING, type PreprocessingId } from './preprocess';

const f32 = (xs: number[]): number[] => xs.map(Math.fround);
const idx = (...xs: number[]): Int32Array => Int32Array.from(xs);

// Three images of 2 pixels each.
const images = Uint8Array.from([0, 255, 51, 102, 127, 128]);

describe('PREPROCESSING', () => {
  it('lists the four methods with a label and a one-sentence description', () => {
    expect(Object.keys(PREPROCESSING)).toEqual(['raw', 'normalize', 'center', 'standardize']);
    for (const [id, info] of Object.entries(PREPROCESSING)) {
      expect(info.id).toBe(id);
      expect(info.label.length).toBeGreaterThan(0);
      expect(info.description).toMatch(/^[A-Z].*\.$/);
      expect(info.description.split(/\.\s/).length).toBe(1);
    }
    expect(PREPROCESSING.standardize.description).toMatch(/training split only/);
  });
});

describe('computeStats', () => {
  it.each([
    ['one image', [0], 127.5, 127.5],
    ['two images', [0, 1], 102, Math.sqrt((102 ** 2 + 153 ** 2 + 51 ** 2 + 0) / 4)],
    ['reordered and repeated', [2, 2], 127.5, 0.5],
    ['constant values', [1], 76.5, 25.5],
  ])('%s', (_name, indices, mean, std) => {
    const s = computeStats(images, 2, idx(...indices));
    expect(s.mean).toBeCloseTo(mean, 12);
    expect(s.std).toBeCloseTo(std, 12);
  });

  it('uses only the given images', () => {
    // Image 1 is [51, 102]: mean 76.5, std 25.5 regardless of the rest.
    expect(computeStats(images, 2, idx(1))).toEqual({ mean: 76.5, std: 25.5 });
  });

  it('floors the std of a constant set so nothing divides by zero', () => {
    const s = computeStats(new Uint8Array(10).fill(7), 5, idx(0, 1));
    expect(s).toEqual({ mean: 7, std: MIN_STD });
    expect(MIN_STD).toBeGreaterThan(0);
    const out = preprocess(new Uint8Array(10).fill(7), 5, idx(0, 1), 'standardize', s);
    expect(Array.from(out)).toEqual(new Array(10).fill(0));
  });

  it('is exact on many pixels (float64 accumulation)', () => {
    // 200,000 pixels alternating 0 and 255: mean 127.5, std 127.5 exactly.
    const big = Uint8Array.from({ length: 200_000 }, (_, i) => (i % 2 ? 255 : 0));
    expect(computeStats(big, 1000, Int32Array.from({ length: 200 }, (_, i) => i))).toEqual({ mean: 127.5, std: 127.5 });
  });

  it('rejects empty selections and out-of-range indices', () => {
    expect(() => computeStats(images, 2, idx())).toThrow(/zero images/);
    expect(() => computeStats(images, 2, idx(3))).toThrow(RangeError);
    expect(() => computeStats(images, 2, idx(-1))).toThrow(RangeError);
    expect(() => computeStats(images, 0, idx(0))).toThrow(RangeError);
  });
});

describe('preprocess', () => {
  it.each<[PreprocessingId, number[]]>([
    ['raw', [0, 255, 51, 102, 127, 128]],
    ['normalize', [0, 1, 0.2, 0.4, 127 / 255, 128 / 255]],
    ['center', [-1, 1, 51 / 127.5 - 1, 102 / 127.5 - 1, 127 / 127.5 - 1, 128 / 127.5 - 1]],
  ])('%s scales every pixel exactly', (method, expected) => {
    const out = preprocess(images, 2, idx(0, 1, 2), method);
    expect(out).toBeInstanceOf(Float32Array);
    expect(Array.from(out)).toEqual(f32(expected));
  });

  it('standardizes with the given stats', () => {
    const out = preprocess(images, 2, idx(0, 1), 'standardize', { mean: 100, std: 50 });
    expect(Array.from(out)).toEqual(f32([-2, 3.1, -0.98, 0.04]));
  });

  it('gathers images in the order of indices, repeats included', () => {
    const out = preprocess(images, 2, idx(2, 0, 2), 'raw');
    expect(Array.from(out)).toEqual([127, 128, 0, 255, 127, 128]);
  });

  it('returns an empty array for no indices', () => {
    expect(preprocess(images, 2, idx(), 'normalize').length).toBe(0);
  });

  it('ignores stats for methods that do not use them', () => {
    expect(Array.from(preprocess(images, 2, idx(0), 'normalize', { mean: 9, std: 9 }))).toEqual([0, 1]);
  });

  it.each([
    ['missing', undefined],
    ['NaN mean', { mean: Number.NaN, std: 1 }],
  ])('standardize without usable stats (%s) throws a clear error', (_name, stats) => {
    expect(() => preprocess(images, 2, idx(0), 'standardize', stats)).toThrow(/computeStats on the training split/);
  });

  it('rejects unknown methods and out-of-range indices', () => {
    expect(() => preprocess(images, 2, idx(0), 'whiten' as PreprocessingId)).toThrow(/Unknown preprocessing "whiten"/);
    expect(() => preprocess(images, 2, idx(5), 'raw')).toThrow(RangeError);
  });

  it('with training stats, training data ends up with mean ≈ 0 and std ≈ 1; other data need not', () => {
    const rng = createRng(1);
    const ppi = 64;
    const n = 500;
    // Skewed pixel values like MNIST: mostly dark, some bright.
    const data = Uint8Array.from({ length: n * ppi }, () => (rng.next() < 0.8 ? rng.int(20) : 200 + rng.int(56)));
    const train = Int32Array.from({ length: 400 }, (_, i) => i);
    const other = Int32Array.from({ length: 100 }, (_, i) => 400 + i);
    const stats = computeStats(data, ppi, train);
    const moments = (xs: Float32Array): [number, number] => {
      let s = 0;
      let s2 = 0;
      for (const x of xs) {
        s += x;
        s2 += x * x;
      }
      const m = s / xs.length;
      return [m, Math.sqrt(s2 / xs.length - m * m)];
    };
    const [m, sd] = moments(preprocess(data, ppi, train, 'standardize', stats));
    expect(m).toBeCloseTo(0, 5);
    expect(sd).toBeCloseTo(1, 5);
    const [mo, sdo] = moments(preprocess(data, ppi, other, 'standardize', stats));
    expect(Math.abs(mo)).toBeLessThan(0.1);
    expect(Math.abs(sdo - 1)).toBeLessThan(0.1);
  });
});
