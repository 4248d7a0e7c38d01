import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAppDb, DB_NAME, openAppDb } from './db';
import { CHUNK_BYTES, deleteImportedDataset, loadImportedDataset, onImportedDatasetDeleted, readImportedDatasets, saveImportedDataset } from './datasets';
import type { Dataset } from '../core/data/types';

afterEach(async () => {
  await closeAppDb();
  indexedDB.deleteDatabase(DB_NAME);
});

function dataset(id: string, trainCount: number, size = 4): Dataset {
  const images = Uint8Array.from({ length: trainCount * size * size * 3 }, (_, i) => (i * 7) % 256);
  return {
    id,
    name: `pets <b>${id}</b>`,
    shape: [size, size, 3],
    classNames: ['cat', 'dog'],
    train: { images, labels: Int32Array.from({ length: trainCount }, (_, i) => i % 2), count: trainCount },
    test: { images: new Uint8Array(size * size * 3).fill(9), labels: Int32Array.of(1), count: 1 },
  };
}

describe('imported datasets in IndexedDB', () => {
  it('saves, lists, loads back identical arrays, and deletes every chunk', async () => {
    // 70 images of 8×8×3 in chunks of 1000 bytes: 14 chunks of pixels, 1 of labels.
    const d = dataset('import:a', 70, 8);
    expect(CHUNK_BYTES).toBeGreaterThan(1000);
    await saveImportedDataset(d, { createdAt: 1, classCounts: { train: [35, 35], test: [0, 1] }, source: 'folder pets' }, 1000);
    await saveImportedDataset(dataset('import:b', 3), { createdAt: 2, classCounts: { train: [2, 1], test: [0, 1] }, source: 'b.zip' });
    expect((await readImportedDatasets()).datasets.map((m) => [m.id, m.name, m.trainCount])).toEqual([
      ['import:a', 'pets <b>import:a</b>', 70],
      ['import:b', 'pets <b>import:b</b>', 3],
    ]);
    const back = await loadImportedDataset('import:a');
    expect(back.shape).toEqual([8, 8, 3]);
    expect((await (await openAppDb()).getAllFromIndex('datasetChunks', 'datasetId', 'import:a')).length).toBe(14 + 1 + 1 + 1);
    expect(Buffer.from(back.train.images).equals(Buffer.from(d.train.images))).toBe(true);
    expect(Array.from(back.train.labels)).toEqual(Array.from(d.train.labels));
    expect(Array.from(back.test.labels)).toEqual([1]);

    const heard: string[] = [];
    const stop = onImportedDatasetDeleted((id) => heard.push(id));
    await deleteImportedDataset('import:a');
    await expect.poll(() => heard).toEqual(['import:a']);
    stop();
    expect((await readImportedDatasets()).datasets.map((m) => m.id)).toEqual(['import:b']);
    const db = await openAppDb();
    expect(await db.getAllFromIndex('datasetChunks', 'datasetId', 'import:a')).toEqual([]);
    await expect(loadImportedDataset('import:a')).rejects.toThrow(/Import it again/);
  });

  it('explains a damaged record', async () => {
    await saveImportedDataset(dataset('import:c', 2), { createdAt: 1, classCounts: { train: [1, 1], test: [0, 1] }, source: 'c' });
    const db = await openAppDb();
    await db.delete('datasetChunks', 'import:c/train/images/0');
    await expect(loadImportedDataset('import:c')).rejects.toThrow(/incomplete/);
  });

  // Records damaged by hand or by another program once blanked the app on every load (issue 14).
  it.each([
    ['shape is a string', { shape: '28x28' }, /field "shape" is "28x28"/],
    ['classNames is null', { classNames: null }, /field "classNames" is null/],
    ['name is an object', { name: { html: '<b>' } }, /without a name is damaged: the field "name" is an object/],
    ['a negative count', { trainCount: -3 }, /field "trainCount" is -3/],
    ['counts per class do not match', { classCounts: { train: [1], test: [0] } }, /counts per class do not match/],
    ['another version', { schema: 99 }, /stored by another version/],
  ])('lists a record whose %s as damaged, naming the field, and keeps the good ones', async (_what, change, message) => {
    await saveImportedDataset(dataset('import:good', 2), { createdAt: 1, classCounts: { train: [1, 1], test: [0, 1] }, source: 'g' });
    await saveImportedDataset(dataset('import:bad', 2), { createdAt: 2, classCounts: { train: [1, 1], test: [0, 1] }, source: 'b' });
    const db = await openAppDb();
    await db.put('datasets', { ...(await db.get('datasets', 'import:bad')), ...change });
    const { datasets, damaged } = await readImportedDatasets();
    expect(datasets.map((d) => d.id)).toEqual(['import:good']);
    expect(damaged).toHaveLength(1);
    expect(damaged[0]!.key).toBe('import:bad');
    expect(damaged[0]!.problem).toMatch(message);
    await expect(loadImportedDataset('import:bad')).rejects.toThrow(message);
    await deleteImportedDataset('import:bad');
    expect((await readImportedDatasets()).damaged).toEqual([]);
  });
});
