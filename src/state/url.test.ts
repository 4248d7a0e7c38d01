import { describe, expect, it } from 'vitest';
import { parseUrl, writeUrl } from './url';

describe('parseUrl', () => {
  it.each([
    ['?seed=7', { seed: 7 }, 0],
    ['?seed=0&backend=wasm', { seed: 0, backend: 'wasm' }, 0],
    ['?seed=abc', {}, 1],
    ['?seed=-3', {}, 1],
    ['?seed=1.5', {}, 1],
    ['?seed=', {}, 1],
    ['?backend=tpu', {}, 1],
    ['?other=1', {}, 0],
  ])('%s', (search, patch, warnings) => {
    const r = parseUrl(search);
    expect(r.patch).toEqual(patch);
    expect(r.warnings).toHaveLength(warnings);
  });

  it.each([
    ['?threads=2', 2, 0],
    ['?threads=1&backend=wasm', 1, 0],
    ['?threads=8', 8, 0],
    ['?threads=auto', undefined, 0],
    ['?threads=0', undefined, 1],
    ['?threads=9', undefined, 1],
    ['?threads=1.5', undefined, 1],
    ['?threads=', undefined, 1],
    ['?threads=two', undefined, 1],
  ])('threads: %s', (search, threads, warnings) => {
    const r = parseUrl(search);
    expect(r.threads).toBe(threads);
    expect(r.warnings).toHaveLength(warnings);
    expect(r.patch).not.toHaveProperty('threads'); // a device setting, not part of the run's config
  });

  it('says what an ignored thread count means for the learner', () => {
    expect(parseUrl('?threads=16').warnings[0]).toMatch(/"16" .* from 1 to 8 .* measured instead/);
  });

  it('round-trips the seed and keeps other parameters', () => {
    const q = writeUrl('?backend=cpu&seed=1', { seed: 99 });
    expect(parseUrl(q).patch).toEqual({ backend: 'cpu', seed: 99 });
  });
});

describe('parseUrl: presenter view', () => {
  it('reads present=1 and present=0, and explains anything else', () => {
    expect(parseUrl('?present=1').present).toBe(true);
    expect(parseUrl('?present=0').present).toBe(false);
    expect(parseUrl('?seed=3').present).toBeUndefined();
    const bad = parseUrl('?present=yes');
    expect(bad.present).toBeUndefined();
    expect(bad.warnings).toEqual(['"present=yes" in the address is not 1 or 0, so it was ignored.']);
  });
});

describe('parseUrl: lessons', () => {
  it('opens a known lesson and names the known ones for an unknown id', () => {
    expect(parseUrl('?lesson=scaling').lesson).toBe('scaling');
    const bad = parseUrl('?lesson=nope');
    expect(bad.lesson).toBeUndefined();
    expect(bad.warnings[0]).toMatch(/no lesson "nope".*scaling.*deep-network/);
  });

  it('quick=1 asks for the quick version; another value is named and ignored', () => {
    expect(parseUrl('?lesson=scaling&quick=1')).toMatchObject({ lesson: 'scaling', quick: true });
    expect(parseUrl('?lesson=scaling').quick).toBeUndefined();
    const bad = parseUrl('?lesson=scaling&quick=fast');
    expect(bad.quick).toBeUndefined();
    expect(bad.warnings[0]).toMatch(/"quick=fast".*not 1 or 0/);
  });
});

describe('parseUrl: long values', () => {
  it('a 10 kB seed is not echoed whole in the warning', () => {
    const r = parseUrl(`?seed=${'9x'.repeat(5000)}`);
    expect(r.patch.seed).toBeUndefined();
    expect(r.warnings[0]!.length).toBeLessThan(200);
    expect(r.warnings[0]).toMatch(/The seed "9x9x.*…" in the address is not a whole number/);
  });
});
