import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAppDb, DB_NAME, openAppDb } from './db';
import { checkName, deleteModel, listModels, loadModelRecord, saveModel, type NewModel } from './models';

afterEach(async () => {
  await closeAppDb();
  await new Promise((r) => (indexedDB.deleteDatabase(DB_NAME).onsuccess = r));
});

const model = (bytes: number, params = bytes / 4): NewModel => ({
  params,
  datasetName: 'MNIST',
  modelJson: '{"format":"layers-model"}',
  weights: new Uint8Array(bytes).fill(7).buffer,
});

describe('saved models', () => {
  it('saves, lists newest first, loads the same bytes, and deletes', async () => {
    expect(await saveModel('  first ', model(8), { now: 1000 })).toBe('saved');
    expect(await saveModel('second', model(16), { now: 2000 })).toBe('saved');
    expect(await listModels()).toEqual([
      { id: 'second', name: 'second', savedAt: 2000, params: 4, sizeBytes: 16, datasetName: 'MNIST' },
      { id: 'first', name: 'first', savedAt: 1000, params: 2, sizeBytes: 8, datasetName: 'MNIST' },
    ]);
    const r = await loadModelRecord('first');
    expect(r.modelJson).toBe('{"format":"layers-model"}');
    expect(new Uint8Array(r.weights)).toEqual(new Uint8Array(8).fill(7));
    await deleteModel('first');
    expect((await listModels()).map((m) => m.id)).toEqual(['second']);
    await expect(loadModelRecord('first')).rejects.toThrow('There is no saved model named "first" any more');
  });

  it('asks before replacing a model of the same name', async () => {
    await saveModel('m', model(8), { now: 1 });
    expect(await saveModel('m', model(12), { now: 2 })).toBe('exists');
    expect((await loadModelRecord('m')).sizeBytes).toBe(8);
    expect(await saveModel('m', model(12), { now: 3, overwrite: true })).toBe('saved');
    expect((await loadModelRecord('m')).sizeBytes).toBe(12);
  });

  it('refuses an empty or overlong name', async () => {
    await expect(saveModel('   ', model(4))).rejects.toThrow('Give the model a name first');
    expect(checkName('x'.repeat(81))).toEqual({ error: 'Use a name of at most 80 characters (this one has 81).' });
  });

  it('lists a record of an older app version as stale, refuses to load it, and deletes it', async () => {
    const db = await openAppDb();
    await db.put('models', { id: 'old', name: 'old', schema: 0, savedAt: 5, topology: {} });
    await db.put('models', { id: 'broken', schema: 1, savedAt: 4 });
    await saveModel('new', model(4), { now: 9 });
    const list = await listModels();
    expect(list.map((m) => [m.id, m.stale])).toEqual([
      ['new', undefined],
      ['old', "saved by an older version of the app; it can't be loaded — delete it"],
      ['broken', 'is damaged: the field "name" is missing; it can\'t be loaded — delete it'],
    ]);
    await expect(loadModelRecord('old')).rejects.toThrow(`"old" saved by an older version of the app; it can't be loaded — delete it.`);
    await deleteModel('old');
    expect((await listModels()).map((m) => m.id)).toEqual(['new', 'broken']);
  });

  it('names the damaged field of a record that looks whole, and refuses to load it', async () => {
    await saveModel('good', model(4), { now: 9 });
    const db = await openAppDb();
    const rec = (await db.get('models', 'good')) as Record<string, unknown>;
    await db.put('models', { ...rec, id: 'text-weights', name: 'text-weights', weights: 'AAAA' });
    const stale = Object.fromEntries((await listModels()).map((m) => [m.id, m.stale]));
    expect(stale.good).toBeUndefined();
    expect(stale['text-weights']).toMatch(/the field "weights" is "AAAA", which is not valid \(expected weights.bin as bytes\)/);
    await expect(loadModelRecord('text-weights')).rejects.toThrow(/the field "weights"/);
    expect((await loadModelRecord('good')).weights.byteLength).toBeGreaterThan(0);
  });
});
