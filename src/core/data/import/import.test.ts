import { describe, expect, it } from 'vitest';
import { strToU8, zipSync, gzipSync } from 'fflate';
import { readImageHeader } from './imageHeader';
import { isImagePath, isJunkPath, labelFromFolders, stripCommonRoot } from './paths';
import { parseCsv, parseCsvIndex, parseJsonIndex, pixelsFromNumbers } from './indexFile';
import { convertChannels, resizeArea, toDatasetPixels } from './resize';
import { readTar, readZip } from './archive';
import { writeTar } from '../../testing/tar';
import { CIFAR_RECORD, isCifarArchive, parseCifar } from './cifar';
import { assembleDataset, classCounts, type Example } from './assemble';
import { DataFormatError } from '../types';
import { gunzip, gunzipSync } from '../gzip';

function pngHeader(w: number, h: number): Uint8Array {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(b.buffer).setUint32(16, w);
  new DataView(b.buffer).setUint32(20, h);
  return b;
}

describe('readImageHeader', () => {
  it('reads PNG, GIF, BMP, JPEG and WebP sizes without decoding', () => {
    expect(readImageHeader(pngHeader(20000, 20000))).toEqual({ format: 'png', width: 20000, height: 20000 });
    const gif = new Uint8Array([...strToU8('GIF89a'), 40, 1, 30, 0]);
    expect(readImageHeader(gif)).toEqual({ format: 'gif', width: 296, height: 30 });
    const bmp = new Uint8Array(30);
    bmp.set([0x42, 0x4d]);
    new DataView(bmp.buffer).setInt32(18, 64, true);
    new DataView(bmp.buffer).setInt32(22, -48, true); // top-down BMP
    expect(readImageHeader(bmp)).toEqual({ format: 'bmp', width: 64, height: 48 });
    // SOI, APP0 (length 16), SOF0 with height 480, width 640.
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, ...new Array(14).fill(0), 0xff, 0xc0, 0, 17, 8, 0x01, 0xe0, 0x02, 0x80, 3, 0, 0, 0]);
    expect(readImageHeader(jpeg)).toEqual({ format: 'jpeg', width: 640, height: 480 });
    const webp = new Uint8Array(30);
    webp.set(strToU8('RIFF'), 0);
    webp.set(strToU8('WEBPVP8X'), 8);
    webp.set([99, 0, 0, 49, 0, 0], 24);
    expect(readImageHeader(webp)).toEqual({ format: 'webp', width: 100, height: 50 });
  });
  it('returns null for non-images', () => {
    expect(readImageHeader(strToU8('MIT License\nCopyright…'))).toBeNull();
    expect(readImageHeader(new Uint8Array(0))).toBeNull();
  });
});

describe('paths and folder layouts', () => {
  it('skips junk and non-images', () => {
    expect(isImagePath('cats/a.PNG')).toBe(true);
    expect(isImagePath('cats/a.jpeg')).toBe(true);
    expect(isImagePath('LICENSE')).toBe(false);
    expect(isImagePath('cats/.DS_Store')).toBe(false);
    expect(isImagePath('__MACOSX/cats/._a.png')).toBe(false);
    expect(isJunkPath('a/.hidden/b.png')).toBe(true);
  });
  it('strips the folder every path shares, but never train/test', () => {
    expect(stripCommonRoot(['pets/cat/a.png', 'pets/dog/b.png']).rel).toEqual(['cat/a.png', 'dog/b.png']);
    expect(stripCommonRoot(['pets/train/cat/a.png', 'pets/test/cat/b.png']).rel).toEqual(['train/cat/a.png', 'test/cat/b.png']);
    expect(stripCommonRoot(['pets/cat/a.png', 'pets/cat/b.png']).rel).toEqual(['a.png', 'b.png']);
    // For labelling, a one-class folder stays a class.
    expect(stripCommonRoot(['pets/cat/a.png', 'pets/cat/b.png'], true).rel).toEqual(['cat/a.png', 'cat/b.png']);
  });
  it('labels one folder per class, train/test folders, and nested classes at either depth', () => {
    expect(labelFromFolders(['cat/a.png', 'dog/b.png'], 'leaf').entries).toEqual([
      { path: 'cat/a.png', label: 'cat', split: null },
      { path: 'dog/b.png', label: 'dog', split: null },
    ]);
    expect(labelFromFolders(['train/cat/a.png', 'test/dog/b.png'], 'leaf').entries.map((e) => e.split)).toEqual(['train', 'test']);
    const nested = ['dog/beagle/1.png', 'dog/pug/2.png', 'cat/siamese/3.png'];
    expect(labelFromFolders(nested, 'top').entries.map((e) => e.label)).toEqual(['dog', 'dog', 'cat']);
    expect(labelFromFolders(nested, 'leaf').entries.map((e) => e.label)).toEqual(['beagle', 'pug', 'siamese']);
    expect(labelFromFolders(['cat/a.png', 'loose.png'], 'leaf').unlabelled).toEqual(['loose.png']);
  });
  it('explains images without class folders and a train/ without test/', () => {
    expect(() => labelFromFolders(['a.png', 'b.png'], 'leaf')).toThrow(/class folders/);
    expect(() => labelFromFolders(['train/cat/a.png', 'train/dog/b.png'], 'leaf')).toThrow(/no test\/ folder/);
  });
});

describe('CSV and JSON indexes', () => {
  it('parses quoted fields, escaped quotes, CRLF and a BOM', () => {
    expect(parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\n\n1,2')).toEqual([['a', 'b'], ['x, y', 'say "hi"'], ['1', '2']]);
    expect(() => parseCsv('a,"b')).toThrow(DataFormatError);
  });
  it('reads label and location: paths, URLs and embedded pixels', () => {
    const csv = 'label,location,split\ncat,cats/1.png,train\n"dog, big",https://example.org/d.png,test\nbird,"0 255 0 255",\nfish,"[[1,2],[3,4]]",';
    const { rows, problems } = parseCsvIndex(csv, 'index.csv');
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.label)).toEqual(['cat', 'dog, big', 'bird', 'fish']);
    expect(rows[0]!.location).toEqual({ kind: 'path', path: 'cats/1.png' });
    expect(rows[0]!.split).toBe('train');
    expect(rows[1]!.location).toEqual({ kind: 'url', url: 'https://example.org/d.png' });
    expect(rows[2]!.location).toMatchObject({ kind: 'pixels', pixels: { height: 2, width: 2, channels: 1 } });
    expect(rows[3]!.location).toMatchObject({ kind: 'pixels', pixels: { data: new Uint8Array([1, 2, 3, 4]) } });
  });
  it('lists bad rows and refuses a file without a header or with too many rows', () => {
    const { rows, problems } = parseCsvIndex('label,location\ncat,"1 2 3 4 5"\n,a.png\nok,javascript:alert(1)\nok,b.png', 'i.csv');
    expect(rows).toHaveLength(1);
    expect(problems.join(' ')).toMatch(/Row 2: a flat list of 5 numbers/);
    expect(problems.join(' ')).toMatch(/Row 3: the label is empty/);
    expect(problems.join(' ')).toMatch(/only http\(s\) URLs/);
    expect(() => parseCsvIndex('a,b\n1,2', 'i.csv')).toThrow(/"label" and "location"/);
    expect(parseCsvIndex('Filename,Label\nx/1.png,cat', 'i.csv').rows[0]).toMatchObject({ label: 'cat', location: { kind: 'path', path: 'x/1.png' } });
    const garbage = 'label,location\n' + 'x,@@@\n'.repeat(60_001);
    expect(() => parseCsvIndex(garbage, 'big.csv')).toThrow(/more than 60,000 examples/);
  });
  it('parses a JSON array, with nested or flat pixels', () => {
    const json = JSON.stringify([
      { label: 'a', location: [[[255, 0, 0], [0, 255, 0]]] },
      { label: 'b', location: new Array(12).fill(0.5) },
      { label: '<img src=x onerror=alert(1)>', location: 'x/1.png' },
      { label: 'c' },
    ]);
    const { rows, problems } = parseJsonIndex(json, 'i.json');
    expect(rows[0]!.location).toMatchObject({ kind: 'pixels', pixels: { height: 1, width: 2, channels: 3 } });
    expect(rows[1]!.location).toMatchObject({ kind: 'pixels', pixels: { height: 2, width: 2, channels: 3, data: new Uint8Array(12).fill(128) } });
    expect(rows[2]!.label).toBe('<img src=x onerror=alert(1)>');
    expect(problems).toEqual(['Entry 4: the location is missing (give a path, an http(s) URL, or an array of pixel values).']);
    expect(() => parseJsonIndex('{', 'i.json')).toThrow(/not valid JSON/);
    expect(() => parseJsonIndex('{}', 'i.json')).toThrow(/array of objects/);
  });
  it('checks pixel values', () => {
    expect(pixelsFromNumbers([1, 2, 3, 300])).toMatch(/300/);
    expect(pixelsFromNumbers([[1, 2], [3]])).toMatch(/same length/);
  });
});

describe('resize and channels', () => {
  it('converts RGBA to grey (alpha dropped) and grey to RGB', () => {
    expect(Array.from(convertChannels([255, 0, 0, 7, 0, 0, 255, 0], 2, 4, 1))).toEqual([0.299 * 255, 0.114 * 255].map(Math.fround));
    expect(Array.from(convertChannels([10, 20], 2, 1, 3))).toEqual([10, 10, 10, 20, 20, 20]);
  });
  it('averages areas when shrinking, also by a fractional factor', () => {
    // 4×1 -> 2×1: means of pairs.
    expect(Array.from(resizeArea(Float32Array.from([0, 100, 200, 50]), 4, 1, 1, 2, 1))).toEqual([50, 125]);
    // 3×1 -> 2×1: each output covers 1.5 source pixels.
    const r = resizeArea(Float32Array.from([0, 90, 180]), 3, 1, 1, 2, 1);
    expect(r[0]).toBeCloseTo((0 + 0.5 * 90) / 1.5);
    expect(r[1]).toBeCloseTo((0.5 * 90 + 180) / 1.5);
    // A checkerboard shrinks to flat grey (antialiased), not to one of its colours.
    const board = Float32Array.from({ length: 64 }, (_, i) => ((i % 8) + Math.floor(i / 8)) % 2 ? 255 : 0);
    expect(Array.from(resizeArea(board, 8, 8, 1, 2, 2))).toEqual([127.5, 127.5, 127.5, 127.5]);
  });
  it('writes uint8 pixels of the dataset shape', () => {
    const out = new Uint8Array(8);
    toDatasetPixels(new Uint8Array(4 * 4 * 4).fill(200), 4, 4, 4, 2, 1, out, 4);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 200, 200, 200, 200]);
  });
});

describe('archives', () => {
  const zip = zipSync({ 'pets/cat/a.png': new Uint8Array([1, 2, 3]), 'pets/LICENSE': strToU8('MIT'), 'pets/dog/': new Uint8Array(0) });
  it('reads the files a zip holds, filtered', () => {
    const files = readZip(zip, 'pets.zip', (p) => !p.endsWith('LICENSE'));
    expect(files.map((f) => f.path)).toEqual(['pets/cat/a.png']);
    expect(Array.from(files[0]!.bytes)).toEqual([1, 2, 3]);
  });
  it('refuses a zip bomb from its headers, before inflating', () => {
    const bomb = zipSync({ 'a.bin': new Uint8Array(8 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(20_000);
    // Many members that each declare a big size add up past the total limit.
    const many = zipSync(Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`f${i}.png`, new Uint8Array(1000)])));
    expect(() => readZip(many, 'm.zip', () => true, { maxEntries: 10, maxBytes: 4000, maxFileBytes: 1e9 })).toThrow(
      'The archive m.zip would unpack to 5.0 kB in all (5 files), and an import reads files of up to 1.0 GB and archives of up to 4.0 kB unpacked',
    );
    expect(() => readZip(bomb, 'bomb.zip', () => true)).toThrow(/zip bombs/);
    expect(() => readZip(zip, 'z.zip', () => true, { maxEntries: 1, maxBytes: 1e9, maxFileBytes: 1e9 })).toThrow(/more than 1 files/);
    expect(() => readZip(strToU8('not a zip at all, sorry'), 'x.zip', () => true)).toThrow(/could not be read as a zip/);
  });
  it('never inflates a member past the size its headers declare (a zip that lies)', () => {
    const z = zipSync({ 'a/x.png': new Uint8Array(4 * 1024 * 1024) }, { level: 9 });
    const dv = new DataView(z.buffer, z.byteOffset);
    dv.setUint32(22, 100, true); // local header: uncompressed size
    const cd = z.length - 22 - (46 + 'a/x.png'.length);
    expect(dv.getUint32(cd, true)).toBe(0x02014b50);
    dv.setUint32(cd + 24, 100, true); // central directory: uncompressed size
    const files = readZip(z, 'liar.zip', () => true);
    expect(files[0]!.bytes.length).toBe(100);
  });
  it('stops inflating a gzip bomb at the limit', () => {
    const gz = gzipSync(new Uint8Array(3 * 1024 * 1024));
    expect(gunzipSync(gz, 'ok.tar.gz', { maxBytes: 4 * 1024 * 1024 }).length).toBe(3 * 1024 * 1024);
    expect(() => gunzipSync(gz, 'bomb.tar.gz', { maxBytes: 1_000_000 })).toThrow(/bomb\.tar\.gz unpacks to more than 1\.0 MB/);
    expect(() => gunzipSync(strToU8('plain text'), 'x.tar.gz')).toThrow(/x\.tar\.gz is not gzip-compressed/);
  });
  it('round-trips a tar archive', () => {
    const tar = writeTar([{ path: 'cifar-10-batches-bin/test_batch.bin', bytes: new Uint8Array(700).fill(3) }, { path: 'readme.html', bytes: strToU8('hi') }]);
    const files = readTar(tar, 't.tar');
    expect(files.map((f) => [f.path, f.bytes.length])).toEqual([['cifar-10-batches-bin/test_batch.bin', 700], ['readme.html', 2]]);
    expect(() => readTar(tar.subarray(0, 800), 't.tar')).toThrow(/cut short/);
  });
  it('parses a CIFAR-10 binary archive from a tar.gz', async () => {
    const rec = (label: number, r: number) => {
      const b = new Uint8Array(CIFAR_RECORD);
      b[0] = label;
      b.fill(r, 1, 1025); // red plane
      return b;
    };
    const batch = (...recs: Uint8Array[]) => {
      const out = new Uint8Array(recs.length * CIFAR_RECORD);
      recs.forEach((r, i) => out.set(r, i * CIFAR_RECORD));
      return out;
    };
    const tgz = gzipSync(
      writeTar([
        { path: 'cifar-10-batches-bin/batches.meta.txt', bytes: strToU8('airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n') },
        { path: 'cifar-10-batches-bin/data_batch_2.bin', bytes: batch(rec(3, 30)) },
        { path: 'cifar-10-batches-bin/data_batch_1.bin', bytes: batch(rec(1, 10), rec(2, 20)) },
        { path: 'cifar-10-batches-bin/test_batch.bin', bytes: batch(rec(9, 90)) },
      ]),
    );
    const entries = readTar(await gunzip(tgz, 'c.tar.gz'), 'c.tar');
    expect(isCifarArchive(entries)).toBe(true);
    const c = parseCifar(entries);
    expect(c.classNames[9]).toBe('truck');
    expect(Array.from(c.train.labels)).toEqual([1, 2, 3]);
    expect(Array.from(c.train.images.subarray(3072, 3075))).toEqual([20, 0, 0]); // HWC
    expect(c.test.count).toBe(1);
    expect(() => parseCifar([{ path: 'data_batch_1.bin', bytes: new Uint8Array(5) }])).toThrow(/not the CIFAR-10 binary/);
  });
});

describe('assembleDataset', () => {
  const ex = (label: string, v: number, split: Example['split'] = null): Example => ({ label, split, pixels: new Uint8Array(4).fill(v) });
  it('splits stratified 80/20 when the source has no split, class names in natural order', () => {
    const examples = [...Array.from({ length: 10 }, (_, i) => ex('class10', i)), ...Array.from({ length: 20 }, (_, i) => ex('class9', 100 + i))];
    const d = assembleDataset(examples, { id: 'import:x', name: 'x', shape: [2, 2, 1] });
    expect(d.classNames).toEqual(['class9', 'class10']);
    expect(classCounts(d)).toEqual({ train: [16, 8], test: [4, 2] });
    expect(d.train.images.length).toBe(24 * 4);
    // Every pixel block is one example's, with its own label.
    for (let i = 0; i < d.train.count; i++) expect(d.train.images[i * 4]! >= 100).toBe(d.train.labels[i] === 0);
  });
  it('keeps the split of train/test folders', () => {
    const d = assembleDataset([ex('a', 1, 'train'), ex('b', 2, 'train'), ex('a', 3, 'test')], { id: 'i', name: 'n', shape: [2, 2, 1] });
    expect([d.train.count, d.test.count]).toEqual([2, 1]);
  });
  it('explains one class, no images, and an empty split', () => {
    expect(() => assembleDataset([ex('a', 1), ex('a', 2)], { id: 'i', name: 'n', shape: [2, 2, 1] })).toThrow(/at least two/);
    expect(() => assembleDataset([], { id: 'i', name: 'n', shape: [2, 2, 1] })).toThrow(/nothing to train on/);
    expect(() => assembleDataset([ex('a', 1, 'train'), ex('b', 1, 'train')], { id: 'i', name: 'n', shape: [2, 2, 1] })).toThrow(/test split is empty/);
  });
});
