import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzip, gunzipSync, isGzip, maybeGunzip } from './gzip';
import { DataFormatError } from './types';

const gz = (data: Uint8Array): Uint8Array => new Uint8Array(gzipSync(data));
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Deterministic, poorly compressible bytes so the output spans many stream chunks. */
function noise(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('isGzip', () => {
  it.each([
    ['gzip magic', [0x1f, 0x8b, 0x08], true],
    ['exactly the two magic bytes', [0x1f, 0x8b], true],
    ['empty', [], false],
    ['one byte', [0x1f], false],
    ['swapped magic', [0x8b, 0x1f, 0x08], false],
    ['IDX header', [0x00, 0x00, 0x08, 0x03], false],
  ])('%s → %s', (_name, bytes, expected) => {
    expect(isGzip(new Uint8Array(bytes))).toBe(expected);
  });
});

describe('gunzip', () => {
  it('inflates a small stream', async () => {
    expect(new TextDecoder().decode(await gunzip(gz(text('hello, playground'))))).toBe('hello, playground');
  });

  it('inflates an empty payload', async () => {
    expect(await gunzip(gz(new Uint8Array(0)))).toEqual(new Uint8Array(0));
  });

  it('inflates a large stream that arrives in many chunks', async () => {
    const data = noise(3_000_000);
    const out = await gunzip(gz(data));
    expect(out.length).toBe(data.length);
    expect(Buffer.compare(Buffer.from(out), Buffer.from(data))).toBe(0);
  });

  // Node's DecompressionStream joins members; browsers' refuse them, hence gunzipSync for archives.
  it('joins concatenated gzip members under Node', async () => {
    const both = new Uint8Array([...gz(text('ab')), ...gz(text('cd'))]);
    expect(new TextDecoder().decode(await gunzip(both))).toBe('abcd');
  });

  it('accepts a view into a larger buffer', async () => {
    const packed = gz(text('view'));
    const big = new Uint8Array(packed.length + 10);
    big.set(packed, 5);
    expect(new TextDecoder().decode(await gunzip(big.subarray(5, 5 + packed.length)))).toBe('view');
  });

  const packed = gz(noise(10_000));
  it.each([
    ['truncated', packed.subarray(0, packed.length - 100)],
    ['cut right after the header', packed.subarray(0, 12)],
    ['unknown compression method', new Uint8Array([0x1f, 0x8b, 0x01, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3])],
    ['corrupt deflate body', (() => { const c = packed.slice(); c.fill(0xff, 20, 60); return c; })()],
  ])('turns a %s stream into a DataFormatError naming the file', async (_name, bad) => {
    const err = await gunzip(bad, 'train-images-idx3-ubyte.gz').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataFormatError);
    expect((err as Error).message).toContain('train-images-idx3-ubyte.gz');
    expect((err as Error).message).toMatch(/download it again/);
  });

  it('refuses data that is not gzip at all', async () => {
    const err = await gunzip(new Uint8Array([0, 0, 8, 3]), 'x.gz').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataFormatError);
    expect((err as Error).message).toContain('x.gz');
    expect((err as Error).message).toContain('00 00 08 03');
  });

  it('says "The data" when no file name is given', async () => {
    const err = await gunzip(packed.subarray(0, 30)).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^The data /);
  });
});

describe('maybeGunzip', () => {
  it('returns non-gzip bytes unchanged (same object)', async () => {
    const raw = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 0]);
    expect(await maybeGunzip(raw, 'labels.gz')).toBe(raw);
  });

  it('inflates gzip bytes whatever the name says', async () => {
    expect(new TextDecoder().decode(await maybeGunzip(gz(text('abc')), 'plain.bin'))).toBe('abc');
  });

  it('passes errors of a corrupt gzip stream through', async () => {
    await expect(maybeGunzip(gz(noise(1000)).subarray(0, 20), 'a.gz')).rejects.toBeInstanceOf(DataFormatError);
  });
});

describe('the size cap (a gzip bomb)', () => {
  const zeros = gz(new Uint8Array(3_000_000));

  it('gunzip stops once the output passes the cap, naming the file and the cap', async () => {
    const err = await gunzip(zeros, 'bomb.gz', { maxBytes: 1_000_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataFormatError);
    expect((err as Error).message).toMatch(/^The file bomb\.gz unpacks to more than 1\.0 MB, far more than any dataset/);
  });

  it('a caller words what comes after the size', async () => {
    await expect(gunzip(zeros, 'x.tar.gz', { maxBytes: 1_000_000, tooLarge: 'the most an import reads.' })).rejects.toThrow(
      'The file x.tar.gz unpacks to more than 1.0 MB, the most an import reads.',
    );
  });

  it('output up to the cap is kept whole', async () => {
    expect((await gunzip(zeros, 'ok.gz', { maxBytes: 3_000_000 })).length).toBe(3_000_000);
    expect(gunzipSync(zeros, 'ok.gz', { maxBytes: 3_000_000 }).length).toBe(3_000_000);
  });
});

describe('gunzipSync (fflate, for archives)', () => {
  it('inflates what gunzip inflates', async () => {
    const data = noise(3_000_000);
    expect(Buffer.compare(Buffer.from(gunzipSync(gz(data))), Buffer.from(await gunzip(gz(data))))).toBe(0);
  });

  it('joins concatenated gzip members (which browsers refuse in DecompressionStream)', () => {
    const both = new Uint8Array([...gz(text('ab')), ...gz(text('cd'))]);
    expect(new TextDecoder().decode(gunzipSync(both))).toBe('abcd');
  });

  it('gives the messages gunzip gives', async () => {
    const cases: [Uint8Array, string][] = [
      [new Uint8Array([0, 0, 8, 3]), 'not gzip'],
      [gz(noise(10_000)).subarray(0, 30), 'cut off'],
      [gz(new Uint8Array(3_000_000)), 'too large'],
    ];
    for (const [bytes] of cases) {
      const sync = (() => {
        try {
          gunzipSync(bytes, 'f.gz', { maxBytes: 1_000_000 });
          return 'nothing';
        } catch (err) {
          return (err as Error).message.replace(/ \(.*\)\./, '.');
        }
      })();
      const async = await gunzip(bytes, 'f.gz', { maxBytes: 1_000_000 }).then(
        () => 'nothing',
        (err: Error) => err.message.replace(/ \(.*\)\./, '.'),
      );
      expect(sync).toBe(async);
      expect(sync).toMatch(/^The file f\.gz /);
    }
  });
});
