import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BUILTIN_DATASETS, isBuiltinDatasetId, loadBuiltinDataset } from './builtin';
import { DataFormatError } from './types';

const publicDir = new URL('../../../public/', import.meta.url);
const fsFetch = async (path: string): Promise<Uint8Array> => new Uint8Array(await readFile(new URL(path, publicDir)));

function idx(magic: number, dims: number[], data: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(Array.from(data), 4 + 4 * dims.length);
  return out;
}

interface FakeSplit {
  count: number;
  rows?: number;
  labels?: number[];
}

/** A fetchBytes serving tiny synthetic IDX files; `gzip` chooses compressed or inflated bodies. */
function fakeFetch(train: FakeSplit, test: FakeSplit, gzip: boolean, requested: string[] = []) {
  const files: Record<string, Uint8Array> = {};
  for (const [prefix, s] of [['train', train], ['t10k', test]] as const) {
    const rows = s.rows ?? 28;
    const pixels = Array.from({ length: s.count * rows * 28 }, (_, i) => i % 256);
    files[`${prefix}-images-idx3-ubyte.gz`] = idx(0x803, [s.count, rows, 28], pixels);
    const labels = s.labels ?? Array.from({ length: s.count }, (_, i) => i % 10);
    files[`${prefix}-labels-idx1-ubyte.gz`] = idx(0x801, [labels.length], labels);
  }
  return async (path: string): Promise<Uint8Array> => {
    requested.push(path);
    const body = files[path.slice(path.lastIndexOf('/') + 1)];
    if (!body) throw new Error(`404 ${path}`);
    return gzip ? new Uint8Array(gzipSync(body)) : body;
  };
}

describe('BUILTIN_DATASETS', () => {
  it('describes MNIST', () => {
    const m = BUILTIN_DATASETS.mnist;
    expect(m.id).toBe('mnist');
    expect(m.name).toBe('MNIST');
    expect(m.shape).toEqual([28, 28, 1]);
    expect(m.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('describes Fashion-MNIST with class names in label order', () => {
    const f = BUILTIN_DATASETS['fashion-mnist'];
    expect(f.id).toBe('fashion-mnist');
    expect(f.name).toBe('Fashion-MNIST');
    expect(f.shape).toEqual([28, 28, 1]);
    expect(f.classNames).toEqual([
      'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
    ]);
  });

  it.each(['mnist', 'fashion-mnist'] as const)('%s lists its four files under datasets/<id>/', (id) => {
    expect(BUILTIN_DATASETS[id].files).toEqual({
      trainImages: `datasets/${id}/train-images-idx3-ubyte.gz`,
      trainLabels: `datasets/${id}/train-labels-idx1-ubyte.gz`,
      testImages: `datasets/${id}/t10k-images-idx3-ubyte.gz`,
      testLabels: `datasets/${id}/t10k-labels-idx1-ubyte.gz`,
    });
  });

  it.each([
    ['mnist', true],
    ['fashion-mnist', true],
    ['cifar10', false],
    ['toString', false],
    ['', false],
  ])('isBuiltinDatasetId(%j) → %s', (id, expected) => {
    expect(isBuiltinDatasetId(id)).toBe(expected);
  });
});

describe('loadBuiltinDataset on the real files', () => {
  it.each([
    ['mnist', [5, 0, 4, 1, 9], [7, 2, 1, 0, 4]],
    ['fashion-mnist', [9, 0, 0, 3, 0], [9, 2, 1, 1, 6]],
  ])('loads %s', async (id, firstTrain, firstTest) => {
    const ds = await loadBuiltinDataset(id, fsFetch);
    expect(ds.id).toBe(id);
    expect(ds.shape).toEqual([28, 28, 1]);
    expect(ds.classNames).toHaveLength(10);
    expect(ds.train.count).toBe(60000);
    expect(ds.train.images.length).toBe(60000 * 784);
    expect(ds.train.labels.length).toBe(60000);
    expect(ds.test.count).toBe(10000);
    expect(ds.test.images.length).toBe(10000 * 784);
    expect(ds.test.labels.length).toBe(10000);
    expect(Array.from(ds.train.labels.subarray(0, 5))).toEqual(firstTrain);
    expect(Array.from(ds.test.labels.subarray(0, 5))).toEqual(firstTest);
    // Both sets are balanced-ish: every class occurs at least 5% of the time.
    const counts = new Array<number>(10).fill(0);
    for (const l of ds.train.labels) counts[l]++;
    for (const c of counts) expect(c).toBeGreaterThan(3000);
  });
});

describe('loadBuiltinDataset on synthetic files', () => {
  it('hands out copies of the registry arrays', async () => {
    const ds = await loadBuiltinDataset('mnist', fakeFetch({ count: 1 }, { count: 1 }, false));
    ds.classNames[0] = 'zero';
    ds.shape[0] = 1;
    expect(BUILTIN_DATASETS.mnist.classNames[0]).toBe('0');
    expect(BUILTIN_DATASETS.mnist.shape[0]).toBe(28);
  });

  it.each([true, false])('reads gzip=%s bodies and asks for the four relative paths', async (gzip) => {
    const requested: string[] = [];
    const ds = await loadBuiltinDataset('fashion-mnist', fakeFetch({ count: 3 }, { count: 2 }, gzip, requested));
    expect(requested.sort()).toEqual(Object.values(BUILTIN_DATASETS['fashion-mnist'].files).sort());
    expect(ds.name).toBe('Fashion-MNIST');
    expect(ds.train.count).toBe(3);
    expect(Array.from(ds.train.labels)).toEqual([0, 1, 2]);
    expect(Array.from(ds.train.images.subarray(0, 3))).toEqual([0, 1, 2]);
    expect(ds.test.count).toBe(2);
  });

  it.each([
    [
      'image and label counts differ',
      { count: 3, labels: [0, 1] },
      [/train-images-idx3-ubyte\.gz and train-labels-idx1-ubyte\.gz do not match/, /3 images/, /2 labels/],
    ],
    ['wrong image size', { count: 1, rows: 32 }, [/train-images-idx3-ubyte\.gz/, /32×28/, /28×28/]],
    ['label out of range', { count: 3, labels: [0, 10, 1] }, [/train-labels-idx1-ubyte\.gz/, /image 1 the label 10/, /0\.\.9/]],
  ])('rejects files where the %s', async (_name, train, patterns) => {
    const err = await loadBuiltinDataset('mnist', fakeFetch(train, { count: 1 }, true)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataFormatError);
    for (const p of patterns) expect((err as Error).message).toMatch(p);
  });

  it('rejects an unknown id, listing the known ones, without fetching', async () => {
    const requested: string[] = [];
    const err = await loadBuiltinDataset('cifar10', fakeFetch({ count: 1 }, { count: 1 }, true, requested)).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DataFormatError);
    expect((err as Error).message).toMatch(/"cifar10"/);
    expect((err as Error).message).toMatch(/"mnist", "fashion-mnist"/);
    expect(requested).toEqual([]);
  });

  it('passes fetch errors through', async () => {
    const failing = async (): Promise<Uint8Array> => {
      throw new Error('network down');
    };
    await expect(loadBuiltinDataset('mnist', failing)).rejects.toThrow('network down');
  });
});

describe('loadBuiltinDataset with a cache of inflated files', () => {
  /** A cache in memory that records what is read and stored. */
  function memoryCache() {
    const files = new Map<string, Uint8Array>();
    const puts: string[] = [];
    return {
      files,
      puts,
      cache: {
        get: async (path: string) => files.get(path) ?? null,
        put: (path: string, bytes: Uint8Array) => {
          puts.push(path);
          files.set(path, bytes.slice());
        },
      },
    };
  }

  it('stores the inflated files of a download, then loads from them without fetching', async () => {
    const m = memoryCache();
    const first: string[] = [];
    const a = await loadBuiltinDataset('mnist', fakeFetch({ count: 4 }, { count: 2 }, true, first), m.cache);
    expect(first).toHaveLength(4);
    expect(m.puts.sort()).toEqual(Object.values(BUILTIN_DATASETS.mnist.files).sort());
    // Stored inflated (IDX magic), not as the gzip bodies that were downloaded.
    for (const bytes of m.files.values()) expect([bytes[0], bytes[1]]).toEqual([0, 0]);

    const second: string[] = [];
    const b = await loadBuiltinDataset('mnist', fakeFetch({ count: 4 }, { count: 2 }, true, second), m.cache);
    expect(second).toEqual([]);
    expect(b.train.count).toBe(4);
    expect(Array.from(b.train.images)).toEqual(Array.from(a.train.images));
    expect(Array.from(b.test.labels)).toEqual(Array.from(a.test.labels));
  });

  it('downloads a split again when a cached file is missing or damaged, and replaces it', async () => {
    const m = memoryCache();
    await loadBuiltinDataset('mnist', fakeFetch({ count: 4 }, { count: 2 }, false), m.cache);
    const { trainImages, trainLabels, testLabels } = BUILTIN_DATASETS.mnist.files;
    m.files.set(trainImages, m.files.get(trainImages)!.subarray(0, 20)); // cut off
    m.files.delete(testLabels);
    m.puts.length = 0;
    const requested: string[] = [];
    const d = await loadBuiltinDataset('mnist', fakeFetch({ count: 4 }, { count: 2 }, false, requested), m.cache);
    expect(d.train.count).toBe(4);
    expect(requested.sort()).toEqual(Object.values(BUILTIN_DATASETS.mnist.files).sort());
    expect(m.puts).toContain(trainImages);
    expect(m.puts).toContain(trainLabels);
    expect(m.puts).toContain(testLabels);
  });

  it('a cache that fails to read is no worse than none', async () => {
    const broken = {
      get: async (): Promise<Uint8Array | null> => {
        throw new Error('storage unavailable');
      },
      put: () => {},
    };
    const d = await loadBuiltinDataset('mnist', fakeFetch({ count: 3 }, { count: 1 }, true), broken);
    expect(d.train.count).toBe(3);
  });
});
