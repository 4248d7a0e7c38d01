import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { strToU8 } from 'fflate';
import { createAppStore } from './store';
import type { Importer } from './importSlice';
import { HOSTS_DECLINED } from '../core/data/import/hosts';
import { runImport, type SourceFile } from '../core/data/import/pipeline';
import { classCounts } from '../core/data/import/assemble';
import { describeDataset } from '../core/data/describe';
import { closeAppDb, DB_NAME } from '../storage/db';
import { deleteImportedDataset, loadImportedDataset, readImportedDatasets, saveImportedDataset } from '../storage/datasets';

afterEach(async () => {
  await closeAppDb();
  indexedDB.deleteDatabase(DB_NAME);
});

/** The import worker's work, run in-process: the real pipeline (CSV with pixels) and real storage. */
let n = 0;
const importer: Importer = {
  async import(name, files, options) {
    const sources: SourceFile[] = await Promise.all(
      files.map(async (f) => {
        const bytes = new Uint8Array(await f.file.arrayBuffer());
        return { path: f.path, size: bytes.length, read: async () => bytes };
      }),
    );
    const r = await runImport(sources, { id: `import:${++n}`, name, ...options }, {
      decode: () => Promise.reject(new Error('no images here')),
      fetchUrl: () => Promise.reject(new Error('offline')),
      confirmHosts: () => Promise.resolve(false),
      origin: 'https://playground.example',
      progress: () => {},
      cancelled: () => false,
    });
    const { schema: _s, ...info } = await saveImportedDataset(r.dataset, { createdAt: n, classCounts: classCounts(r.dataset), source: r.source });
    return { dataset: info, skipped: r.skipped, problems: r.problems };
  },
  cancel: () => {},
  list: async () => (await readImportedDatasets()).datasets,
  delete: (id) => deleteImportedDataset(id),
};

// The training client's describeDataset, as the worker does it for imported ids.
const client = {
  train: () => 1,
  pause() {},
  resume() {},
  stop() {},
  evaluate() {},
  describeDataset: async (id: string) => describeDataset(await loadImportedDataset(id)),
  exportModel: () => Promise.reject(new Error('not used here')),
  loadModel: () => Promise.reject(new Error('not used here')),
  previewAugmentation: () => Promise.reject(new Error('not used here')),
  invariance() {},
  predict: () => Promise.reject(new Error('not used here')),
  testImages: () => Promise.reject(new Error('not used here')),
};

const csv = (rows: number) =>
  new Blob([strToU8('label,location\n' + Array.from({ length: rows }, (_, i) => `${i % 2 ? 'odd' : '<even>'},"${Array(16).fill(i).join(' ')}"`).join('\n'))]);

describe('import slice', () => {
  it('imports, selects the new dataset with a fitting output layer, names repeats apart, deletes back to MNIST', async () => {
    const store = createAppStore(client, { importer });
    const s = () => store.getState();
    s().setImportOptions({ size: 4 });
    await s().importFiles('digits', [{ path: 'digits.csv', file: csv(20) }]);
    expect(s().importStatus).toMatchObject({ phase: 'done', message: 'Imported "digits": 16 training and 4 test images, 2 classes, 4×4×1.' });
    const first = s().importedDatasets[0]!;
    expect(s().config.datasetId).toBe(first.id);
    expect(s().datasets[first.id]!.classNames).toEqual(['<even>', 'odd']);
    expect(s().config.trainingExamples).toBe(16);
    const last = s().config.model.layers.at(-1)!;
    expect(last).toMatchObject({ type: 'dense', units: 2 });

    await s().importFiles('digits', [{ path: 'digits.csv', file: csv(10) }]);
    expect(s().importedDatasets.map((d) => d.name)).toEqual(['digits', 'digits (2)']);

    await s().deleteImported(s().config.datasetId);
    expect(s().importedDatasets.map((d) => d.name)).toEqual(['digits']);
    expect(s().config.datasetId).toBe('mnist');

    // A fresh page lists what is stored.
    const again = createAppStore(client, { importer });
    await again.getState().refreshImported();
    expect(again.getState().importedDatasets.map((d) => d.id)).toEqual([first.id]);
  });

  it('reports a failed import without touching the selected dataset or the model', async () => {
    const store = createAppStore(client, { importer });
    const before = store.getState().config;
    await store.getState().importFiles('bad', [{ path: 'bad.csv', file: new Blob([strToU8('a,b\n1,2')]) }]);
    expect(store.getState().importStatus.phase).toBe('error');
    expect(store.getState().importStatus.message).toMatch(/"label" and "location"/);
    expect(store.getState().config).toBe(before);
  });

  it('waits for the learner before contacting the hosts an index lists; Cancel changes nothing', async () => {
    const hosts = [{ host: 'images.example.org', count: 9, downloadable: true }];
    const answers: boolean[] = [];
    const asking: Importer = {
      ...importer,
      import: async (_name, _files, _options, _progress, confirmHosts) => {
        const ok = await confirmHosts!(hosts, 9);
        answers.push(ok);
        if (!ok) throw new Error(HOSTS_DECLINED);
        throw new Error('no images here');
      },
    };
    const store = createAppStore(client, { importer: asking });
    const before = store.getState().config;
    const done = store.getState().importFiles('web', [{ path: 'web.csv', file: new Blob(['label,location']) }]);
    await Promise.resolve();
    expect(store.getState().importStatus).toMatchObject({ phase: 'running', stage: 'Waiting for your answer', confirm: { hosts, urls: 9 } });
    store.getState().answerHosts(false);
    await done;
    expect(answers).toEqual([false]);
    expect(store.getState().importStatus).toMatchObject({ phase: 'idle', message: HOSTS_DECLINED, confirm: null });
    expect(store.getState().config).toBe(before);

    const again = store.getState().importFiles('web', [{ path: 'web.csv', file: new Blob(['label,location']) }]);
    await Promise.resolve();
    store.getState().answerHosts(true);
    await again;
    expect(answers).toEqual([false, true]);
    expect(store.getState().importStatus).toMatchObject({ phase: 'error', message: 'no images here' });
  });
});
