import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from './rng';

const take = (rng: { next(): number }, n: number): number[] => Array.from({ length: n }, () => rng.next());

describe('createRng', () => {
  it('gives the same sequence for the same seed', () => {
    expect(take(createRng(42), 100)).toEqual(take(createRng(42), 100));
  });

  it.each([
    [0, 1],
    [1, 2],
    [42, 43],
    [0, 2 ** 31],
    [123456789, 987654321],
  ])('gives different sequences for seeds %d and %d', (s1, s2) => {
    const a = take(createRng(s1), 20);
    const b = take(createRng(s2), 20);
    // Not a single position should coincide for unrelated streams.
    expect(a.filter((x, i) => x === b[i])).toEqual([]);
  });

  it('is pinned: seed 42 starts with known values', () => {
    expect(take(createRng(42), 3)).toEqual([0.8907801888417453, 0.4310670436825603, 0.3220651443116367]);
  });

  it('matches the reference sfc32 from a given state', () => {
    const rng = createRng(0);
    rng.setState([1, 2, 3, 4]);
    // Reference outputs of C sfc32 with a=1, b=2, c=3, counter=4.
    expect(take(rng, 3).map((x) => x * 2 ** 32)).toEqual([7, 34, 56623200]);
  });

  it('treats seeds as uint32 (negatives wrap, fractions truncate)', () => {
    expect(take(createRng(-1), 5)).toEqual(take(createRng(2 ** 32 - 1), 5));
    expect(take(createRng(7.9), 5)).toEqual(take(createRng(7), 5));
  });

  it('rejects non-finite seeds', () => {
    expect(() => createRng(Number.NaN)).toThrow(RangeError);
    expect(() => createRng(Infinity)).toThrow(RangeError);
  });

  it('produces values in [0, 1)', () => {
    const xs = take(createRng(5), 10_000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });

  it('is roughly uniform (chi-square over 10 bins, mean, variance)', () => {
    const rng = createRng(2024);
    const n = 100_000;
    const bins = new Array<number>(10).fill(0);
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.next();
      bins[Math.floor(x * 10)]++;
      sum += x;
      sumSq += x * x;
    }
    const expected = n / 10;
    const chi2 = bins.reduce((acc, o) => acc + (o - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: P(chi2 > 27.9) = 0.001.
    expect(chi2).toBeLessThan(27.9);
    const mean = sum / n;
    expect(mean).toBeCloseTo(0.5, 2);
    expect(sumSq / n - mean * mean).toBeCloseTo(1 / 12, 2);
  });

  it('continues identically after a state round-trip', () => {
    const rng = createRng(99);
    take(rng, 37);
    const state = rng.getState();
    expect(state).toHaveLength(4);
    for (const w of state) {
      expect(Number.isInteger(w) && w >= 0 && w < 2 ** 32).toBe(true);
    }
    const expected = take(rng, 50);

    // Restore into the same stream and into a fresh one seeded differently.
    rng.setState(state);
    expect(take(rng, 50)).toEqual(expected);
    const other = createRng(1);
    other.setState(JSON.parse(JSON.stringify(state)) as number[]);
    expect(take(other, 50)).toEqual(expected);
  });

  it('getState returns a copy, not a live view', () => {
    const rng = createRng(3);
    const s = rng.getState();
    rng.next();
    expect(rng.getState()).not.toEqual(s);
  });

  it.each([
    [[1, 2, 3]],
    [[1, 2, 3, -1]],
    [[1, 2, 3, 2 ** 32]],
    [[1, 2, 3, 0.5]],
    [[1, 2, 3, 4, 5]],
  ])('setState rejects malformed state %j', (bad) => {
    expect(() => createRng(0).setState(bad)).toThrow(RangeError);
  });

  describe('int', () => {
    it('covers 0..n-1 and nothing else', () => {
      const rng = createRng(8);
      const seen = new Set<number>();
      for (let i = 0; i < 2000; i++) seen.add(rng.int(7));
      expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    });

    it('returns 0 for n = 1', () => {
      const rng = createRng(8);
      expect(take({ next: () => rng.int(1) }, 10)).toEqual(new Array(10).fill(0));
    });

    it.each([0, -3, 2.5, Number.NaN, 2 ** 32 + 1])('rejects n = %d', (n) => {
      expect(() => createRng(0).int(n)).toThrow(RangeError);
    });
  });

  describe('shuffle', () => {
    it.each([
      ['array', () => Array.from({ length: 100 }, (_, i) => i)],
      ['Int32Array', () => Int32Array.from({ length: 100 }, (_, i) => i)],
      ['Uint32Array', () => Uint32Array.from({ length: 100 }, (_, i) => i)],
    ])('permutes a %s in place', (_name, make) => {
      const a = make();
      const out = createRng(11).shuffle(a);
      expect(out).toBe(a);
      const values = Array.from(a as ArrayLike<number>);
      expect(values).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
      expect([...values].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    });

    it('is deterministic for a seed', () => {
      const a = createRng(5).shuffle(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
      const b = createRng(5).shuffle(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
      expect(a).toEqual(b);
    });

    it('handles empty and single-element arrays', () => {
      expect(createRng(1).shuffle([])).toEqual([]);
      expect(createRng(1).shuffle([9])).toEqual([9]);
    });

    it('puts each element at each position about equally often', () => {
      const rng = createRng(77);
      const n = 4;
      const trials = 40_000;
      const counts = Array.from({ length: n }, () => new Array<number>(n).fill(0));
      for (let t = 0; t < trials; t++) {
        const a = rng.shuffle([0, 1, 2, 3]);
        a.forEach((v, pos) => counts[v][pos]++);
      }
      for (const row of counts) {
        for (const c of row) expect(Math.abs(c - trials / n)).toBeLessThan(400);
      }
    });
  });
});

describe('deriveSeed', () => {
  it('is stable (pinned values guard against accidental changes of the hash)', () => {
    expect(deriveSeed(42, 'init')).toBe(deriveSeed(42, 'init'));
    const pinned = [deriveSeed(0, ''), deriveSeed(1, 'init'), deriveSeed(42, 'dropout')];
    for (const v of pinned) expect(Number.isInteger(v) && v >= 0 && v < 2 ** 32).toBe(true);
    expect(pinned).toEqual(PINNED);
  });

  it('differs across labels and across seeds', () => {
    const labels = ['init', 'split', 'shuffle', 'dropout', '', '\0', 'init2', 'tini'];
    const seeds = [0, 1, 2, 42, 2 ** 31];
    const all = seeds.flatMap((s) => labels.map((l) => deriveSeed(s, l)));
    expect(new Set(all).size).toBe(all.length);
  });

  it('gives streams that are uncorrelated with each other', () => {
    const n = 20_000;
    const a = take(createRng(deriveSeed(7, 'init')), n);
    const b = take(createRng(deriveSeed(7, 'dropout')), n);
    const ma = a.reduce((s, x) => s + x, 0) / n;
    const mb = b.reduce((s, x) => s + x, 0) / n;
    let cov = 0;
    let va = 0;
    let vb = 0;
    for (let i = 0; i < n; i++) {
      cov += (a[i] - ma) * (b[i] - mb);
      va += (a[i] - ma) ** 2;
      vb += (b[i] - mb) ** 2;
    }
    // Standard error of r is about 1/sqrt(n) = 0.007.
    expect(Math.abs(cov / Math.sqrt(va * vb))).toBeLessThan(0.03);
  });
});

// Pinned so a refactor that changes derived seeds or the generator (and thereby every saved
// experiment's reproduction) fails loudly.
const PINNED = [2856213345, 2492374976, 916443204];
