import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAppDb, DB_NAME, openAppDb, RECORD_SCHEMA } from './db';
import {
  createRun,
  deleteCheckpoint,
  deleteCheckpointRecords,
  deleteRun,
  findInterruptedRun,
  listCheckpoints,
  listRuns,
  listUnlistedCheckpointData,
  loadCheckpoint,
  saveCheckpoint,
  setRunStatus,
  STALE_MESSAGE,
  storageUsage,
} from './checkpoints';
import { defaultConfig } from '../core/training/defaults';
import type { CheckpointSnapshot } from '../core/checkpoint/snapshot';

afterEach(async () => {
  await closeAppDb();
  indexedDB.deleteDatabase(DB_NAME);
});

const snapshot = (epoch: number): CheckpointSnapshot => ({
  resume: { epoch, step: epoch * 10, rng: { shuffle: [1, 2, 3, 4], dropout: [5, 6, 7, 8] }, callbackStates: {} },
  config: defaultConfig(),
  history: { epochs: [], batches: [] },
  weights: [{ name: 'dense/kernel', shape: [2, 3], dtype: 'float32', values: new Float32Array([1, 2, 3, 4, 5, epoch]) }],
  optimizer: { className: 'SGD', weights: [{ name: 'iter', shape: [], dtype: 'int32', values: new Int32Array([epoch * 10]) }] },
});
const info = (epoch: number) => ({ name: `model-${String(epoch).padStart(2, '0')}`, epoch, metrics: { loss: 1 / epoch, acc: 0.5 } });

describe('checkpoint storage', () => {
  it('saves, lists, loads and deletes checkpoints of a run', async () => {
    const run = await createRun({ name: 'MLP on MNIST', config: defaultConfig() });
    const other = await createRun({ name: 'other', config: defaultConfig() });
    for (const e of [1, 2]) await saveCheckpoint(run.id, snapshot(e), info(e), { now: 1000 + e });
    await saveCheckpoint(other.id, snapshot(1), info(1));
    const list = await listCheckpoints(run.id);
    expect(list.map((c) => [c.name, c.epoch, c.problem])).toEqual([['model-01', 1, null], ['model-02', 2, null]]);
    expect(list[0]!.sizeBytes).toBeGreaterThan(28); // 7 numbers of 4 bytes plus the manifest
    const loaded = await loadCheckpoint(list[1]!.id);
    expect(loaded.record.epoch).toBe(2);
    expect(Array.from(loaded.snapshot.weights[0]!.values)).toEqual([1, 2, 3, 4, 5, 2]);
    expect(Array.from(loaded.snapshot.optimizer.weights[0]!.values)).toEqual([20]);
    expect(loaded.snapshot.resume.step).toBe(20);

    await deleteCheckpoint(list[0]!.id);
    expect((await listCheckpoints(run.id)).map((c) => c.name)).toEqual(['model-02']);
    const db = await openAppDb();
    expect(await db.count('checkpoints')).toBe(4); // two checkpoints left, each a small and a heavy record
    await deleteRun(run.id);
    expect(await listCheckpoints(run.id)).toEqual([]);
    expect(await db.count('checkpoints')).toBe(2); // only the other run's
    expect((await listRuns()).map((r) => r.id)).toEqual([other.id]);
    await expect(loadCheckpoint(list[1]!.id)).rejects.toThrow(/no longer stored/);
  });

  it('keeps only the newest N of a run', async () => {
    const run = await createRun({ name: 'r', config: defaultConfig() });
    for (const e of [1, 2, 3, 4]) await saveCheckpoint(run.id, snapshot(e), info(e), { keepLast: 2, now: 1000 + e });
    expect((await listCheckpoints(run.id)).map((c) => c.epoch)).toEqual([3, 4]);
  });

  it('totals the use of every checkpoint', async () => {
    const run = await createRun({ name: 'r', config: defaultConfig() });
    const a = await saveCheckpoint(run.id, snapshot(1), info(1));
    const b = await saveCheckpoint(run.id, snapshot(2), info(2));
    const usage = await storageUsage();
    expect(usage.checkpointCount).toBe(2);
    expect(usage.checkpointBytes).toBe(a.sizeBytes + b.sizeBytes);
  });

  it('lists a record from an older app version with a clear message and refuses to load it', async () => {
    const run = await createRun({ name: 'r', config: defaultConfig() });
    await saveCheckpoint(run.id, snapshot(1), info(1), { now: 1 });
    const db = await openAppDb();
    await db.put('checkpoints', { id: 'old', runId: run.id, schema: RECORD_SCHEMA - 1, name: 'weights-v0', epoch: 3, createdAt: 2, blob: 'x' });
    await db.put('checkpoints', { id: 'junk', runId: run.id, schema: RECORD_SCHEMA, createdAt: 3 });
    await db.put('runs', { id: 'oldrun', schema: 0, updatedAt: 5 });
    const list = await listCheckpoints(run.id);
    expect(list.map((c) => [c.name, c.problem])).toEqual([
      ['model-01', null],
      ['weights-v0', STALE_MESSAGE],
      ['unnamed checkpoint', expect.stringMatching(/damaged: the field "name" is missing/)],
    ]);
    expect(STALE_MESSAGE).toMatch(/older version of the app; it can't be resumed — delete it/);
    await expect(loadCheckpoint('old')).rejects.toThrow(STALE_MESSAGE);
    expect((await listRuns()).find((r) => r.id === 'oldrun')!.problem).toMatch(/older version/);
    // the good checkpoint of the run is untouched and still loads
    await expect(loadCheckpoint(list[0]!.id)).resolves.toBeTruthy();
    await deleteCheckpoint('old');
    expect(await listCheckpoints(run.id)).toHaveLength(2);
  });

  it('names the field of a damaged record, lists it, and refuses to resume it', async () => {
    const run = await createRun({ name: 'r', config: defaultConfig() });
    const good = await saveCheckpoint(run.id, snapshot(1), info(1), { now: 1 });
    const db = await openAppDb();
    const rec = (await db.get('checkpoints', good.id)) as Record<string, unknown>;
    await db.put('checkpoints', { ...rec, id: 'bad-epoch', epoch: 'two' });
    await db.put('checkpoints', { ...rec, id: 'bad-metrics', metrics: { loss: 'low' } });
    const problems = Object.fromEntries((await listCheckpoints(run.id)).map((c) => [c.id, c.problem]));
    expect(problems[good.id]).toBeNull();
    expect(problems['bad-epoch']).toMatch(/the field "epoch" is "two"/);
    expect(problems['bad-metrics']).toMatch(/the field "metrics.loss" is "low"/);
    await expect(loadCheckpoint('bad-epoch')).rejects.toThrow(/the field "epoch"/);
    await expect(loadCheckpoint(good.id)).resolves.toBeTruthy();
  });

  it('turns a quota error into advice on what to delete, keeping what is stored', async () => {
    const run = await createRun({ name: 'r', config: defaultConfig() });
    await saveCheckpoint(run.id, snapshot(1), info(1));
    // Simulate a full disk: the browser rejects the next write with QuotaExceededError.
    const proto = IDBObjectStore.prototype;
    const put = proto.put;
    proto.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'checkpoints') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    };
    try {
      await expect(saveCheckpoint(run.id, snapshot(2), info(2))).rejects.toThrow(
        /storage for this site is full.*Delete old checkpoints in the Checkpoints panel, for example model-01 \(/,
      );
    } finally {
      proto.put = put;
    }
    expect((await listCheckpoints(run.id)).map((c) => c.epoch)).toEqual([1]);
  });

  it('finds the run a closed tab interrupted, with its last checkpoint', async () => {
    expect(await findInterruptedRun()).toBeNull();
    const done = await createRun({ name: 'done', config: defaultConfig() });
    await saveCheckpoint(done.id, snapshot(1), info(1));
    await setRunStatus(done.id, 'finished');
    const cut = await createRun({ name: 'cut', config: defaultConfig() });
    await saveCheckpoint(cut.id, snapshot(1), info(1), { now: 1 });
    await saveCheckpoint(cut.id, snapshot(2), info(2), { now: 2 });
    const found = await findInterruptedRun();
    expect(found?.run.id).toBe(cut.id);
    expect(found?.checkpoint.name).toBe('model-02');
    expect((await listRuns()).find((r) => r.id === cut.id)!.status).toBe('interrupted');
    await setRunStatus(cut.id, 'stopped'); // dismissed
    expect(await findInterruptedRun()).toBeNull();
  });

  it('a run cut off before its first checkpoint is deleted (nothing to offer), unless it is younger than a minute', async () => {
    const empty = await createRun({ name: 'cut before epoch 1', config: defaultConfig(), now: Date.now() - 120_000 });
    const young = await createRun({ name: 'just started', config: defaultConfig() });
    expect(await findInterruptedRun()).toBeNull();
    const ids = (await listRuns()).map((r) => r.id);
    expect(ids).not.toContain(empty.id);
    expect(ids).toContain(young.id);
  });

  it('recreates the run record when the database was deleted mid-run, so its checkpoints stay listed', async () => {
    const run = await createRun({ name: 'MLP on MNIST', config: defaultConfig(), now: 1 });
    await saveCheckpoint(run.id, snapshot(1), info(1), { now: 2 });
    // The site's data is cleared while the run trains; its next checkpoint lands in a fresh database.
    await closeAppDb();
    await new Promise<void>((resolve) => (indexedDB.deleteDatabase(DB_NAME).onsuccess = () => resolve()));
    await saveCheckpoint(run.id, snapshot(2), info(2), { now: 3 });
    const runs = await listRuns();
    expect(runs.map((r) => [r.id, r.status, r.problem])).toEqual([[run.id, 'running', null]]);
    expect(runs[0]!.name).toMatch(/on MNIST, seed 42$/);
    expect((await listCheckpoints(run.id)).map((c) => c.name)).toEqual(['model-02']);
    // …and a reload offers to resume it.
    expect((await findInterruptedRun())?.checkpoint.name).toBe('model-02');
  });

  it('finds the records of the checkpoint store that no listed checkpoint owns, and deletes them', async () => {
    const run = await createRun({ name: 'r', config: defaultConfig() });
    const kept = await saveCheckpoint(run.id, snapshot(1), info(1));
    const gone = await saveCheckpoint(run.id, snapshot(2), info(2));
    const db = await openAppDb();
    await db.delete('checkpoints', gone.id); // the small record lost, its weights left behind
    await db.put('checkpoints', { id: 'garbage', schema: RECORD_SCHEMA, runId: { not: 'a key' } }); // no usable run id
    expect((await listUnlistedCheckpointData()).sort()).toEqual([`${gone.id}/data`, 'garbage']);
    await deleteCheckpointRecords(await listUnlistedCheckpointData());
    expect(await listUnlistedCheckpointData()).toEqual([]);
    expect(await db.count('checkpoints')).toBe(2); // the kept checkpoint's two records
    await expect(loadCheckpoint(kept.id)).resolves.toBeTruthy();
  });
});
