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

  it('round-trips the seed and keeps other parameters', () => {
    const q = writeUrl('?backend=cpu&seed=1', { seed: 99 });
    expect(parseUrl(q).patch).toEqual({ backend: 'cpu', seed: 99 });
  });
});
