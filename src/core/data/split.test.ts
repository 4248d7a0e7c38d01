import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { stratifiedSplit, stratifiedSubset } from './split';
import { DataFormatError } from './types';

/** Labels with `counts[k]` examples of class k, interleaved deterministically. */
function makeLabels(counts: number[]): Int32Array {
  const out: number[] = [];
  counts.forEach((c, k) => {
    for (let i = 0; i < c; i++) out.push(k);
  });
  // Deterministic scramble so classes are not contiguous.
  createRng(12345).shuffle(out);
  return Int32Array.from(out);
}

function classCounts(indices: Int32Array, labels: Int32Array, numClasses: number): number[] {
  const c = new Array<number>(numClasses).fill(0);
  for (const i of indices) c[labels[i]]++;
  return c;
}

const sorted = (a: Int32Array): number[] => Array.from(a).sort((x, y) => x - y);
const isSorted = (a: Int32Array): boolean => a.every((v, i) => i === 0 || a[i - 1] <= v);

describe('stratifiedSubset', () => {
  it.each([
    ['balanced', [100, 100, 100, 100], 50],
    ['skewed', [500, 30, 200, 7, 63], 100],
    ['with an empty class', [40, 0, 60], 10],
    ['MNIST-like', [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949], 1000],
    ['count below numClasses', [10, 10, 10, 10, 10], 3],
    ['count equals numClasses', [10, 10, 10, 10], 4],
  ])('%s: exact total, proportions within ±1, unique valid indices', (_name, counts, count) => {
    const labels = makeLabels(counts);
    const total = labels.length;
    const picked = stratifiedSubset(labels, counts.length, count, createRng(1));
    expect(picked).toBeInstanceOf(Int32Array);
    expect(picked.length).toBe(count);
    expect(new Set(picked).size).toBe(count);
    for (const i of picked) expect(i >= 0 && i < total).toBe(true);
    const got = classCounts(picked, labels, counts.length);
    counts.forEach((c, k) => expect(Math.abs(got[k] - (count * c) / total)).toBeLessThan(1 + 1e-9));
  });

  it('keeps every present class when count >= numClasses, even tiny ones', () => {
    // Exact shares of the small classes are 0.03; without the floor they would get 0.
    const counts = [1000, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    const labels = makeLabels(counts);
    const got = classCounts(stratifiedSubset(labels, 10, 30, createRng(4)), labels, 10);
    expect(got).toEqual([21, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    // The floor wins over proportions: one example per class even with a dominant class.
    const skewed = makeLabels([1000, 3, 3, 3]);
    expect(classCounts(stratifiedSubset(skewed, 4, 4, createRng(4)), skewed, 4)).toEqual([1, 1, 1, 1]);
  });

  it('uses largest remainders to reach the total', () => {
    const labels = makeLabels([5, 4, 1]);
    // Shares 1.0, 0.8, 0.2 → floors 1, 0, 0; the one left over goes to the largest
    // remainder (.8). count 2 < 3 classes, so no class is lifted to 1.
    expect(classCounts(stratifiedSubset(labels, 3, 2, createRng(0)), labels, 3)).toEqual([1, 1, 0]);
    // Shares 2.0, 1.6, 0.4 → floors 2, 1, 0; remainders .0, .6, .4 → [2, 2, 0]; then class 2
    // needs its one example, taken from class 1 (most above its share) → [2, 1, 1].
    expect(classCounts(stratifiedSubset(labels, 3, 4, createRng(0)), labels, 3)).toEqual([2, 1, 1]);
    // Shares 4.5, 3.6, 0.9 → floors 4, 3, 0; remainders .5, .6, .9 → [4, 3, 1].
    expect(classCounts(stratifiedSubset(labels, 3, 8, createRng(0)), labels, 3)).toEqual([4, 3, 1]);
  });

  it.each([
    ['count = length', 50],
    ['count > length', 80],
  ])('%s returns every index, shuffled', (_name, count) => {
    const labels = makeLabels([20, 30]);
    const picked = stratifiedSubset(labels, 2, count, createRng(9));
    expect(sorted(picked)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(isSorted(picked)).toBe(false);
  });

  it('returns an empty array for count 0 and for empty labels', () => {
    expect(stratifiedSubset(makeLabels([5, 5]), 2, 0, createRng(1)).length).toBe(0);
    expect(stratifiedSubset(new Int32Array(0), 3, 10, createRng(1)).length).toBe(0);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const labels = makeLabels([300, 300, 300]);
    const a = stratifiedSubset(labels, 3, 90, createRng(7));
    const b = stratifiedSubset(labels, 3, 90, createRng(7));
    const c = stratifiedSubset(labels, 3, 90, createRng(8));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(sorted(a)).not.toEqual(sorted(c));
  });

  it('returns the picks in shuffled order, not grouped by class', () => {
    const labels = makeLabels([100, 100]);
    const picked = stratifiedSubset(labels, 2, 40, createRng(3));
    const firstHalfClasses = new Set(Array.from(picked.subarray(0, 20), (i) => labels[i]));
    expect(firstHalfClasses.size).toBe(2);
    expect(isSorted(picked)).toBe(false);
  });

  it('picks each example about equally often', () => {
    const labels = makeLabels([20, 20]);
    const hits = new Array<number>(40).fill(0);
    const rng = createRng(5);
    for (let t = 0; t < 2000; t++) for (const i of stratifiedSubset(labels, 2, 10, rng)) hits[i]++;
    // Expected 500 each (10 of 40, 2000 times).
    for (const h of hits) expect(Math.abs(h - 500)).toBeLessThan(100);
  });

  it.each([
    ['negative count', () => stratifiedSubset(makeLabels([2]), 1, -1, createRng(0)), RangeError],
    ['fractional count', () => stratifiedSubset(makeLabels([2]), 1, 1.5, createRng(0)), RangeError],
    ['zero classes', () => stratifiedSubset(makeLabels([2]), 0, 1, createRng(0)), RangeError],
    ['label too large', () => stratifiedSubset(Int32Array.from([0, 3]), 3, 1, createRng(0)), DataFormatError],
    ['negative label', () => stratifiedSubset(Int32Array.from([0, -1]), 3, 1, createRng(0)), DataFormatError],
  ])('rejects %s', (_name, fn, type) => {
    expect(fn).toThrow(type);
  });
});

describe('stratifiedSplit', () => {
  it.each([
    ['balanced 10%', [100, 100, 100], 0.1],
    ['skewed 20%', [503, 31, 207, 7], 0.2],
    ['odd sizes 1/3', [10, 11, 13, 1, 2], 1 / 3],
    ['MNIST-like 1/6', [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949], 1 / 6],
  ])('%s: round(f × classCount) per class, disjoint, union = input', (_name, counts, f) => {
    const labels = makeLabels(counts);
    const indices = Int32Array.from({ length: labels.length }, (_, i) => i);
    const { train, validation } = stratifiedSplit(indices, labels, counts.length, f, createRng(2));
    expect(classCounts(validation, labels, counts.length)).toEqual(counts.map((c) => Math.round(f * c)));
    expect(classCounts(train, labels, counts.length)).toEqual(counts.map((c) => c - Math.round(f * c)));
    const trainSet = new Set(train);
    expect(validation.some((i) => trainSet.has(i))).toBe(false);
    expect(sorted(new Int32Array([...train, ...validation]))).toEqual(Array.from(indices));
  });

  it('splits a subset of indices without touching the others', () => {
    const labels = makeLabels([50, 50]);
    const indices = stratifiedSubset(labels, 2, 40, createRng(1));
    const { train, validation } = stratifiedSplit(indices, labels, 2, 0.25, createRng(2));
    expect(validation.length).toBe(10);
    expect(classCounts(validation, labels, 2)).toEqual([5, 5]);
    expect(sorted(new Int32Array([...train, ...validation]))).toEqual(sorted(indices));
  });

  it('fraction 0 gives an empty validation set and all of the input (shuffled) as train', () => {
    const labels = makeLabels([30, 30]);
    const indices = Int32Array.from({ length: 60 }, (_, i) => i);
    const { train, validation } = stratifiedSplit(indices, labels, 2, 0, createRng(3));
    expect(validation.length).toBe(0);
    expect(sorted(train)).toEqual(Array.from(indices));
    expect(isSorted(train)).toBe(false);
  });

  it.each([
    ['empty input', [], [], 0.5, 0, 0],
    ['one example, f=0.2', [0], [0], 0.2, 1, 0],
    ['one example, f=0.5 rounds to validation', [0], [0], 0.5, 0, 1],
    ['two of each class, f=0.5', [0, 1, 2, 3], [0, 1, 0, 1], 0.5, 2, 2],
  ])('tiny input: %s', (_name, idx, lab, f, nTrain, nVal) => {
    const { train, validation } = stratifiedSplit(Int32Array.from(idx), Int32Array.from(lab), 2, f, createRng(0));
    expect([train.length, validation.length]).toEqual([nTrain, nVal]);
    expect(sorted(new Int32Array([...train, ...validation]))).toEqual(idx);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const labels = makeLabels([200, 200]);
    const indices = Int32Array.from({ length: 400 }, (_, i) => i);
    const a = stratifiedSplit(indices, labels, 2, 0.2, createRng(10));
    const b = stratifiedSplit(indices, labels, 2, 0.2, createRng(10));
    const c = stratifiedSplit(indices, labels, 2, 0.2, createRng(11));
    expect(Array.from(a.train)).toEqual(Array.from(b.train));
    expect(Array.from(a.validation)).toEqual(Array.from(b.validation));
    expect(sorted(a.validation)).not.toEqual(sorted(c.validation));
  });

  it('shuffles both outputs and leaves the input untouched', () => {
    const labels = makeLabels([100, 100]);
    const indices = Int32Array.from({ length: 200 }, (_, i) => i);
    const { train, validation } = stratifiedSplit(indices, labels, 2, 0.3, createRng(4));
    expect(isSorted(train)).toBe(false);
    expect(isSorted(validation)).toBe(false);
    expect(isSorted(indices)).toBe(true);
  });

  it.each([-0.1, 1, 1.5, Number.NaN])('rejects validation fraction %d', (f) => {
    expect(() => stratifiedSplit(new Int32Array(0), new Int32Array(0), 2, f, createRng(0))).toThrow(RangeError);
  });

  it('rejects indices outside the labels and labels outside the classes', () => {
    expect(() => stratifiedSplit(Int32Array.from([5]), Int32Array.from([0]), 2, 0.1, createRng(0))).toThrow(RangeError);
    expect(() => stratifiedSplit(Int32Array.from([0]), Int32Array.from([7]), 2, 0.1, createRng(0))).toThrow(
      DataFormatError,
    );
  });
});
