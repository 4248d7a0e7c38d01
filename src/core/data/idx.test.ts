import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { maybeGunzip } from './gzip';
import { parseIdxImages, parseIdxLabels } from './idx';
import { DataFormatError } from './types';

/** Builds an IDX buffer: big-endian magic, uint32 dims, then `data`. */
function idx(magic: number, dims: number[], data: ArrayLike<number>, extra = 0): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length + extra);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(Array.from(data), 4 + 4 * dims.length);
  return out;
}

const seq = (n: number): number[] => Array.from({ length: n }, (_, i) => (i * 7) & 0xff);

function errorOf(fn: () => unknown): DataFormatError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DataFormatError);
    return e as DataFormatError;
  }
  throw new Error('expected a DataFormatError, nothing was thrown');
}

describe('parseIdxImages', () => {
  it('reads header and pixels', () => {
    const data = seq(2 * 3 * 4);
    const r = parseIdxImages(idx(0x803, [2, 3, 4], data));
    expect({ count: r.count, rows: r.rows, cols: r.cols }).toEqual({ count: 2, rows: 3, cols: 4 });
    expect(Array.from(r.pixels)).toEqual(data);
  });

  it('returns a view, not a copy', () => {
    const bytes = idx(0x803, [1, 2, 2], [1, 2, 3, 4]);
    const r = parseIdxImages(bytes);
    expect(r.pixels.buffer).toBe(bytes.buffer);
    expect(r.pixels.byteOffset).toBe(16);
  });

  it('reads from a view at an offset in a larger buffer', () => {
    const inner = idx(0x803, [1, 1, 3], [9, 8, 7]);
    const big = new Uint8Array(inner.length + 3);
    big.set(inner, 3);
    expect(Array.from(parseIdxImages(big.subarray(3)).pixels)).toEqual([9, 8, 7]);
  });

  it('ignores trailing bytes', () => {
    const r = parseIdxImages(idx(0x803, [1, 2, 2], [1, 2, 3, 4], 5));
    expect(Array.from(r.pixels)).toEqual([1, 2, 3, 4]);
  });

  it('accepts zero images', () => {
    expect(parseIdxImages(idx(0x803, [0, 28, 28], [])).pixels.length).toBe(0);
  });

  it.each([
    ['empty', new Uint8Array(0), [/too short/, /0 byte/]],
    ['shorter than the magic', new Uint8Array([0, 0, 8]), [/too short/]],
    ['header cut off', idx(0x803, [5], []), [/too short/, /16 bytes/, /only 8/]],
    ['labels file', idx(0x801, [3], [1, 2, 3]), [/0x00000801/, /0x00000803/, /labels file/]],
    ['float IDX file', idx(0x0d03, [1, 1, 1], [0, 0, 0, 0]), [/0x00000d03/, /32-bit floats with 3 dimension/]],
    ['PNG file', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0, 0, 0, 0, 0, 0, 0, 0]), [/0x89504e47/, /not an IDX file/]],
    ['still gzipped', new Uint8Array(gzipSync(idx(0x803, [1, 1, 1], [0]))), [/gzip-compressed/]],
    ['zero rows', idx(0x803, [1, 0, 28], []), [/0×28/]],
    [
      'truncated pixels',
      idx(0x803, [60000, 28, 28], seq(1000)),
      [/truncated/, /60,000 images of 28×28 pixels \(47,040,000 bytes\) but only 1,000 bytes follow/, /Download it again/],
    ],
    ['one byte short', idx(0x803, [2, 2, 2], seq(7)), [/truncated/, /\(8 bytes\) but only 7 bytes/]],
  ])('rejects %s with a helpful message', (_name, bytes, patterns) => {
    const err = errorOf(() => parseIdxImages(bytes, 'train-images-idx3-ubyte'));
    expect(err.message).toMatch(/^The file train-images-idx3-ubyte /);
    for (const p of patterns) expect(err.message).toMatch(p);
  });

  it('says "The data" without a file name', () => {
    expect(errorOf(() => parseIdxImages(new Uint8Array(2))).message).toMatch(/^The data /);
  });
});

describe('parseIdxLabels', () => {
  it('reads labels as Int32Array', () => {
    const r = parseIdxLabels(idx(0x801, [5], [5, 0, 4, 1, 255]));
    expect(r).toBeInstanceOf(Int32Array);
    expect(Array.from(r)).toEqual([5, 0, 4, 1, 255]);
  });

  it('ignores trailing bytes and accepts zero labels', () => {
    expect(Array.from(parseIdxLabels(idx(0x801, [2], [3, 4], 10)))).toEqual([3, 4]);
    expect(parseIdxLabels(idx(0x801, [0], [])).length).toBe(0);
  });

  it.each([
    ['empty', new Uint8Array(0), [/too short/]],
    ['header cut off', new Uint8Array([0, 0, 8, 1, 0, 0]), [/too short/, /8 bytes/, /only 6/]],
    ['images file', idx(0x803, [1, 1, 1], [0]), [/0x00000803/, /0x00000801/, /images file was given where the labels/]],
    ['truncated', idx(0x801, [10000], seq(9999)), [/truncated/, /10,000 labels/, /only 9,999 bytes follow/]],
  ])('rejects %s with a helpful message', (_name, bytes, patterns) => {
    const err = errorOf(() => parseIdxLabels(bytes, 't10k-labels-idx1-ubyte.gz'));
    expect(err.message).toContain('t10k-labels-idx1-ubyte.gz');
    for (const p of patterns) expect(err.message).toMatch(p);
  });
});

describe('real MNIST files', () => {
  const read = async (name: string): Promise<Uint8Array> =>
    maybeGunzip(new Uint8Array(readFileSync(new URL(`../../../public/datasets/mnist/${name}`, import.meta.url))), name);

  it.each([
    ['train', 60000],
    ['t10k', 10000],
  ])('%s split has %d 28×28 images and as many labels in 0..9', async (prefix, count) => {
    const images = parseIdxImages(await read(`${prefix}-images-idx3-ubyte.gz`));
    const labels = parseIdxLabels(await read(`${prefix}-labels-idx1-ubyte.gz`));
    expect([images.count, images.rows, images.cols, images.pixels.length]).toEqual([count, 28, 28, count * 784]);
    expect(labels.length).toBe(count);
    expect(Math.min(...labels)).toBe(0);
    expect(Math.max(...labels)).toBe(9);
  });

  it('starts with the well-known training labels 5, 0, 4, 1, 9', async () => {
    const labels = parseIdxLabels(await read('train-labels-idx1-ubyte.gz'));
    expect(Array.from(labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
  });

  it('has sensible pixels: corners blank, the first digit has ink', async () => {
    const { pixels } = parseIdxImages(await read('train-images-idx3-ubyte.gz'));
    const first = pixels.subarray(0, 784);
    expect(first[0]).toBe(0);
    expect(first[783]).toBe(0);
    expect(Math.max(...first)).toBe(255);
    expect(first.filter((p) => p > 0).length).toBeGreaterThan(50);
  });
});
