import { describe, expect, it } from 'vitest';
import { strToU8, zipSync, gzipSync } from 'fflate';
import { runImport, ImportCancelled, type ImportHooks, type SourceFile } from './pipeline';
import { writeTar } from '../../testing/tar';
import { CIFAR_RECORD } from './cifar';
import { HOSTS_DECLINED, type UrlHost } from './hosts';

/** A PNG header (what the pipeline checks) followed by one byte: the grey value our stand-in decoder returns. */
function fakePng(w: number, h: number, grey: number): Uint8Array {
  const b = new Uint8Array(34);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(b.buffer).setUint32(16, w);
  new DataView(b.buffer).setUint32(20, h);
  b[33] = grey;
  return b;
}

// The browser decodes in the app; here a stand-in gives a solid RGBA image of the header's size.
function hooks(over: Partial<ImportHooks> = {}): ImportHooks & { stages: string[]; asked: UrlHost[][] } {
  const stages: string[] = [];
  const asked: UrlHost[][] = [];
  return {
    stages,
    asked,
    origin: 'https://playground.example',
    confirmHosts: async (hosts) => (asked.push(hosts), true),
    decode: async (b) => {
      const dv = new DataView(b.buffer, b.byteOffset);
      const w = dv.getUint32(16);
      const h = dv.getUint32(20);
      if (b[32] === 1) throw new Error('The source image cannot be decoded');
      return { width: w, height: h, channels: 4, data: new Uint8Array(w * h * 4).fill(b[33]!) };
    },
    fetchUrl: async (url) => {
      throw new Error(`${url} could not be fetched`);
    },
    progress: (stage) => void stages.push(stage),
    cancelled: () => false,
    ...over,
  };
}

const file = (path: string, bytes: Uint8Array): SourceFile => ({ path, size: bytes.length, read: async () => bytes });
const settings = { id: 'import:t', name: 't', size: 4, channels: 1 as const, labelDepth: 'leaf' as const, testFraction: 0.2 };

describe('runImport', () => {
  it('imports a zip of class folders, listing what it skipped: non-images, a zip inside, broken images (system files silently)', async () => {
    const entries: Record<string, Uint8Array> = {
      'pets/LICENSE': strToU8('MIT'),
      'pets/cat/.DS_Store': new Uint8Array(3),
      'pets/more.zip': zipSync({ 'cat/9.png': fakePng(8, 8, 10) }),
    };
    for (let i = 0; i < 5; i++) {
      entries[`pets/cat/${i}.png`] = fakePng(8, 8, 10);
      entries[`pets/dog/${i}.png`] = fakePng(6, 9, 200);
    }
    const broken = fakePng(8, 8, 0);
    broken[32] = 1;
    entries['pets/dog/broken.png'] = broken;
    entries['pets/dog/huge.png'] = fakePng(20000, 20000, 0);
    entries['pets/dog/notreally.jpg'] = strToU8('hello');
    entries['pets/../../evil/cat.png'] = fakePng(8, 8, 10);
    const r = await runImport([file('pets.zip', zipSync(entries))], settings, hooks());
    expect(r.dataset.classNames).toEqual(['cat', 'dog']);
    expect([r.dataset.train.count, r.dataset.test.count]).toEqual([8, 2]);
    expect(r.dataset.shape).toEqual([4, 4, 1]);
    for (let i = 0; i < r.dataset.train.count; i++) {
      expect(r.dataset.train.images[i * 16]).toBe(r.dataset.train.labels[i] === 0 ? 10 : 200);
    }
    expect(r.skipped).toHaveLength(6);
    expect(r.skipped.join('\n')).toMatch(/pets\/\.\.\/\.\.\/evil\/cat\.png: its path leaves the import's folder/);
    expect(r.skipped.join('\n')).toMatch(/pets\/LICENSE: not an image/);
    expect(r.skipped.join('\n')).toMatch(/pets\/more\.zip: an archive inside the import is not opened/);
    expect(r.skipped.join('\n')).not.toMatch(/DS_Store/);
    expect(r.skipped.join('\n')).toMatch(/broken\.png: The source image cannot be decoded\./);
    expect(r.skipped.join('\n')).toMatch(/huge\.png: 20,000×20,000 pixels is larger than the limit/);
    expect(r.skipped.join('\n')).toMatch(/notreally\.jpg: not a PNG, JPEG/);
  });

  it('imports a CSV with embedded pixels and URLs that fail per file', async () => {
    const rows = ['label,location'];
    for (let i = 0; i < 6; i++) rows.push(`a,"${new Array(16).fill(i).join(' ')}"`, `<b>b</b>,"${JSON.stringify(new Array(4).fill([9, 9, 9, 9]))}"`);
    rows.push('a,https://example.invalid/x.png');
    const r = await runImport([file('digits.csv', strToU8(rows.join('\n')))], { ...settings, size: 2 }, hooks());
    expect(r.dataset.classNames).toEqual(['<b>b</b>', 'a']);
    expect(r.dataset.train.count + r.dataset.test.count).toBe(12);
    expect(r.skipped).toEqual(['https://example.invalid/x.png: https://example.invalid/x.png could not be fetched.']);
  });

  it('resolves index paths inside a folder and keeps a split column', async () => {
    const json = JSON.stringify([
      { label: 'x', location: 'img/1.png', split: 'train' },
      { label: 'y', location: 'img/2.png', split: 'train' },
      { label: 'x', location: 'img/3.png', split: 'test' },
      { label: 'y', location: 'img/missing.png', split: 'test' },
    ]);
    const files = [file('set/index.json', strToU8(json)), ...[1, 2, 3].map((i) => file(`set/img/${i}.png`, fakePng(4, 4, i)))];
    const r = await runImport(files, settings, hooks());
    expect([r.dataset.train.count, r.dataset.test.count]).toEqual([2, 1]);
    expect(r.skipped[0]).toMatch(/img\/missing\.png \(row 4\): not found/);
  });

  it('imports a CIFAR-10 binary tar.gz with its own split, converting to greyscale 16×16', async () => {
    const batch = (labels: number[]) => {
      const b = new Uint8Array(labels.length * CIFAR_RECORD);
      labels.forEach((l, i) => {
        b[i * CIFAR_RECORD] = l;
        b.fill(100, i * CIFAR_RECORD + 1, (i + 1) * CIFAR_RECORD);
      });
      return b;
    };
    const tgz = gzipSync(writeTar([
      { path: 'cifar-10-batches-bin/data_batch_1.bin', bytes: batch([0, 1, 2, 0]) },
      { path: 'cifar-10-batches-bin/test_batch.bin', bytes: batch([1, 0]) },
    ]));
    const r = await runImport([file('cifar-10-binary.tar.gz', tgz)], { ...settings, size: 16 }, hooks());
    expect(r.dataset.classNames).toEqual(['airplane', 'automobile', 'bird']);
    expect([r.dataset.train.count, r.dataset.test.count]).toEqual([4, 2]);
    expect(r.dataset.train.images.length).toBe(4 * 16 * 16);
    expect(r.dataset.train.images[0]).toBe(100);
  });

  it('stops when cancelled, and refuses more images than the limit before decoding', async () => {
    const files = [1, 2, 3, 4].map((i) => file(`c${i % 2}/${i}.png`, fakePng(4, 4, i)));
    await expect(runImport(files, settings, hooks({ cancelled: () => true }))).rejects.toBeInstanceOf(ImportCancelled);
    const many = 'label,location\n' + Array.from({ length: 60_000 }, (_, i) => `c${i % 2},"1 2 3 4"`).join('\n') + '\nc,"1 2 3 4"';
    await expect(runImport([file('big.csv', strToU8(many))], settings, hooks())).rejects.toThrow(/more than 60,000 examples/);
  });
});

describe('runImport: which index counts', () => {
  it('ignores a JSON file inside a class folder, and falls back to folders when a top-level CSV is not an index', async () => {
    const files = [1, 2, 3, 4, 5].flatMap((i) => [file(`pets/cat/${i}.png`, fakePng(4, 4, 1)), file(`pets/dog/${i}.png`, fakePng(4, 4, 2))]);
    const stray = file('pets/cat/info.json', strToU8('{"photographer": "me"}'));
    const r = await runImport([...files, stray], settings, hooks());
    expect(r.dataset.classNames).toEqual(['cat', 'dog']);
    expect(r.problems).toEqual([]);
    const notes = file('pets/notes.csv', strToU8('when,who\nmonday,me'));
    const r2 = await runImport([...files, notes], settings, hooks());
    expect(r2.dataset.train.count + r2.dataset.test.count).toBe(10);
    expect(r2.problems[0]).toMatch(/pets\/notes\.csv was not used as an index: The first row of notes\.csv must name the columns/);
  });
  it('finds images picked together with a CSV by their file name', async () => {
    const csv = 'label,location\n' + [1, 2, 3, 4, 5, 6].map((i) => `${i % 2 ? 'odd' : 'even'},photos/${i}.png`).join('\n');
    const files = [file('list.csv', strToU8(csv)), ...[1, 2, 3, 4, 5, 6].map((i) => file(`${i}.png`, fakePng(4, 4, i)))];
    const r = await runImport(files, settings, hooks());
    expect(r.dataset.train.count + r.dataset.test.count).toBe(6);
    expect(r.source).toBe('index list.csv');
  });
});

describe('runImport: a tar.gz of a folder', () => {
  it('explains a folder with a single class', async () => {
    const files = [1, 2, 3].map((i) => file(`pets/cat/${i}.png`, fakePng(4, 4, 1)));
    await expect(runImport(files, settings, hooks())).rejects.toThrow(/All the images have the same class \("cat"\)/);
  });
  it('reads class folders from a tar.gz that is not CIFAR', async () => {
    const members = [1, 2, 3, 4, 5].flatMap((i) => [
      { path: `shapes/round/${i}.png`, bytes: fakePng(4, 4, 50) },
      { path: `shapes/square/${i}.png`, bytes: fakePng(4, 4, 150) },
    ]);
    const r = await runImport([file('shapes.tar.gz', gzipSync(writeTar(members)))], settings, hooks());
    expect(r.dataset.classNames).toEqual(['round', 'square']);
    expect(r.dataset.train.count + r.dataset.test.count).toBe(10);
  });
});

describe('image URLs in an index', () => {
  const csv = (urls: string[]) => file('web.csv', strToU8(['label,location', ...urls.map((u, i) => `${i % 2 ? 'a' : 'b'},${u}`)].join('\n')));
  // 8 on one host, 2 on another; labels alternate, so both classes reach both splits.
  const urls = Array.from({ length: 10 }, (_, i) => (i % 4 === 2 ? `https://cdn.example.com/${i}.png` : `https://images.example.org/${i}.png`));

  it('asks once which hosts may be contacted, before fetching anything', async () => {
    const fetched: string[] = [];
    const h = hooks({
      fetchUrl: async (url) => {
        expect(h.asked).toHaveLength(1); // asked first
        fetched.push(url);
        return fakePng(4, 4, 100);
      },
    });
    const r = await runImport([csv(urls)], settings, h);
    expect(h.asked).toEqual([
      [
        { host: 'images.example.org', count: 8, downloadable: true },
        { host: 'cdn.example.com', count: 2, downloadable: true },
      ],
    ]);
    expect(fetched.sort()).toEqual([...urls].sort());
    expect(r.dataset.train.count + r.dataset.test.count).toBe(10);
  });

  it('declined: nothing is fetched, and the import stops saying nothing changed', async () => {
    let fetched = 0;
    const h = hooks({ confirmHosts: async () => false, fetchUrl: async () => (fetched++, fakePng(4, 4, 1)) });
    const run = runImport([csv(urls)], settings, h);
    await expect(run).rejects.toThrow(ImportCancelled);
    await expect(run).rejects.toThrow(HOSTS_DECLINED);
    expect(fetched).toBe(0);
    expect(HOSTS_DECLINED).toBe(
      'The import was cancelled before anything was downloaded: no server was contacted, nothing was saved, and your datasets, ' +
        'model and settings are unchanged. To use these images without downloading them here, download them yourself and import the folder.',
    );
  });

  it('addresses the app refuses anyway (http: on another site) are skipped without asking', async () => {
    const rows = ['label,location', ...Array.from({ length: 6 }, (_, i) => `${i % 2 ? 'a' : 'b'},"${new Array(16).fill(i).join(' ')}"`)];
    rows.push('a,http://elsewhere.example/x.png');
    const h = hooks();
    const r = await runImport([file('px.csv', strToU8(rows.join('\n')))], settings, h);
    expect(h.asked).toEqual([]);
    expect(r.skipped.join(' ')).toContain('http://elsewhere.example/x.png');
  });

  it('an import without URLs asks nothing', async () => {
    const rows = ['label,location', ...Array.from({ length: 6 }, (_, i) => `${i % 2 ? 'a' : 'b'},"${new Array(16).fill(i).join(' ')}"`)];
    const h = hooks();
    await runImport([file('px.csv', strToU8(rows.join('\n')))], settings, h);
    expect(h.asked).toEqual([]);
  });

  it('an import that is refused by its limits is refused before asking', async () => {
    const many = Array.from({ length: 40_000 }, (_, i) => `https://images.example.org/${i}.png`);
    const h = hooks();
    await expect(runImport([csv(many)], { ...settings, size: 64, channels: 3 }, h)).rejects.toThrow(
      /^40,000 images of 64×64×3 would need 492 MB of memory; the limit is 400 MB\./,
    );
    expect(h.asked).toEqual([]);
  });

  it('when every URL fails, the error carries the list it points to', async () => {
    const err = (await runImport([csv(urls)], settings, hooks()).catch((e: unknown) => e)) as Error & { skipped?: string[] };
    expect(err.message).toMatch(/No image could be imported, so there is nothing to train on\. Check the list of skipped files\./);
    expect(err.skipped).toHaveLength(10);
    expect(err.skipped![0]).toBe('https://images.example.org/0.png: https://images.example.org/0.png could not be fetched.');
  });
});
