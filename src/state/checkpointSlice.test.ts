import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { TrainingClient } from '../client/trainingClient';
import { createAppStore } from './store';
import * as storage from '../storage/checkpoints';
import { closeAppDb, DB_NAME } from '../storage/db';
import { defaultConfig } from '../core/training/defaults';
import type { CheckpointSnapshot } from '../core/checkpoint/snapshot';
import { FakeWorker } from '../client/testing/fakeWorker';

afterEach(async () => {
  await closeAppDb();
  indexedDB.deleteDatabase(DB_NAME);
});

/** The Worker boundary: records what the client sends. */

function setup() {
  const worker = new FakeWorker();
  const client = new TrainingClient(() => worker as unknown as Worker);
  const store = createAppStore(client, { checkpointStorage: storage });
  return { worker, store };
}

const config = { ...defaultConfig(), trainingExamples: 2000, epochs: 6 };
const snapshot = (epoch: number): CheckpointSnapshot => ({
  resume: { epoch, step: epoch * 10, rng: { shuffle: [1, 2, 3, 4], dropout: [5, 6, 7, 8] }, callbackStates: {} },
  config,
  history: { epochs: [], batches: [] },
  weights: [{ name: 'k', shape: [2], dtype: 'float32', values: new Float32Array([1, epoch]) }],
  optimizer: { className: 'Adam', weights: [] },
});

async function interruptedRun() {
  const run = await storage.createRun({ name: 'cut off', config });
  for (const e of [1, 2]) {
    await storage.saveCheckpoint(run.id, snapshot(e), { name: `model-0${e}`, epoch: e, metrics: { loss: 1 / e, acc: 0.5 } }, { now: e });
  }
  return run;
}

describe('checkpoint slice', () => {
  it('offers the interrupted run, resumes it through the worker, and continues its curves', async () => {
    const run = await interruptedRun();
    const { worker, store } = setup();
    await store.getState().checkInterrupted();
    const it = store.getState().interrupted!;
    expect(it.run.id).toBe(run.id);
    expect(it.checkpoint.name).toBe('model-02');
    expect(store.getState().savedCheckpoints.map((c) => c.name)).toEqual(['model-01', 'model-02']);
    expect(store.getState().storageUse?.checkpointCount).toBe(2);

    expect(await store.getState().resumeFromCheckpoint(it.checkpoint.id)).toBe(true);
    expect(store.getState().interrupted).toBeNull();
    expect(store.getState().status).toBe('preparing');
    expect(worker.sent.at(-1)).toMatchObject({ type: 'train', resumeFrom: it.checkpoint.id });

    const runId = (worker.sent.at(-1) as { runId: number }).runId;
    store.getState().applyEvents([
      {
        type: 'restored',
        runId,
        mode: 'resume',
        checkpointId: it.checkpoint.id,
        checkpointName: 'model-02',
        epoch: 2,
        config,
        history: {
          epochs: [0, 1].map((epoch) => ({ epoch, logs: { loss: 1 / (epoch + 1), acc: 0.5 }, samples: 1800, trainMs: 900 })),
          batches: [{ epoch: 0, batch: 0, step: 0, size: 32, loss: 2, acc: 0.1 }],
        },
      },
      { type: 'checkpointRun', runId, storageRunId: run.id },
    ]);
    const s = store.getState();
    expect(s.epochPoints.map((p) => [p.epoch, p.loss, p.samplesPerSec])).toEqual([[1, 1, 2000], [2, 0.5, 2000]]);
    expect(s.batchPoints).toHaveLength(1);
    expect(s.config.trainingExamples).toBe(2000);
    expect(s.checkpointRunId).toBe(run.id);
  });

  it('refuses to resume a stale or deleted checkpoint, keeping the current curves and settings', async () => {
    const run = await interruptedRun();
    const { worker, store } = setup();
    await store.getState().refreshCheckpoints();
    store.setState({ epochPoints: [{ epoch: 1, loss: 1, acc: 0.5, samplesPerSec: 1 }], status: 'finished' });
    const db = await (await import('../storage/db')).openAppDb();
    await db.put('checkpoints', { id: 'old', runId: run.id, schema: 0, name: 'v0', epoch: 1 });
    const sent = worker.sent.length;
    expect(await store.getState().resumeFromCheckpoint('old')).toBe(false);
    expect(store.getState().checkpointMessage).toMatch(/older version of the app; it can't be resumed — delete it/);
    expect(await store.getState().resumeFromCheckpoint('gone')).toBe(false);
    expect(store.getState().checkpointMessage).toMatch(/no longer stored/);
    expect(worker.sent.length).toBe(sent);
    expect(store.getState().epochPoints).toHaveLength(1);
    expect(store.getState().status).toBe('finished');
  });

  it('a run whose lock is still held (a reloaded page\'s old worker) is offered once the lock goes', async () => {
    const run = await interruptedRun();
    // Web Locks as far as these functions use them: one exclusive holder, shared waiters queued.
    const held = new Map<string, () => void>();
    const waiting = new Map<string, (() => void)[]>();
    const locks = {
      query: async () => ({ held: [...held.keys()].map((name) => ({ name })) }),
      request: (name: string, _opts: unknown, cb: (lock: unknown) => Promise<void>) =>
        held.has(name) ? new Promise<void>((done) => waiting.set(name, [...(waiting.get(name) ?? []), () => void cb({}).then(done)])) : cb({}),
    };
    held.set(storage.runLockName(run.id), () => {});
    const g = globalThis as { navigator?: unknown };
    const before = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    Object.defineProperty(globalThis, 'navigator', { value: { locks }, configurable: true });
    try {
      const { store } = setup();
      await store.getState().checkInterrupted();
      expect(store.getState().interrupted, 'live: not interrupted').toBeNull();
      // The old page goes: its lock is released and the waiter runs.
      held.delete(storage.runLockName(run.id));
      for (const w of waiting.get(storage.runLockName(run.id)) ?? []) w();
      await expect.poll(() => store.getState().interrupted?.run.id).toBe(run.id);
      expect(store.getState().interrupted!.checkpoint.name).toBe('model-02');
    } finally {
      if (before) Object.defineProperty(globalThis, 'navigator', before);
      else delete g.navigator;
    }
  });

  it('resuming a run that trains in another tab is refused at once, clearing nothing', async () => {
    const run = await interruptedRun();
    const held = new Set([storage.runLockName(run.id)]);
    const locks = { query: async () => ({ held: [...held].map((name) => ({ name })) }) };
    const g = globalThis as { navigator?: unknown };
    const before = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    Object.defineProperty(globalThis, 'navigator', { value: { locks }, configurable: true });
    try {
      const { worker, store } = setup();
      await store.getState().refreshCheckpoints();
      store.setState({ status: 'finished', epochPoints: [{ epoch: 1, loss: 1 } as never] });
      const cp = store.getState().savedCheckpoints.at(-1)!;
      const sent = worker.sent.length;
      expect(await store.getState().resumeFromCheckpoint(cp.id)).toBe(false);
      expect(store.getState().checkpointMessage).toMatch(/training in another tab or window right now/);
      expect(worker.sent.length, 'nothing sent to the worker').toBe(sent);
      expect(store.getState().status).toBe('finished');
      expect(store.getState().epochPoints).toHaveLength(1);
      // Once it stops there, the same checkpoint resumes here.
      held.clear();
      expect(await store.getState().resumeFromCheckpoint(cp.id)).toBe(true);
      expect(worker.sent.at(-1)).toMatchObject({ type: 'train', resumeFrom: cp.id });
    } finally {
      if (before) Object.defineProperty(globalThis, 'navigator', before);
      else delete g.navigator;
    }
  });

  it('dismissing the banner keeps the checkpoints but stops offering the run', async () => {
    await interruptedRun();
    const { store } = setup();
    await store.getState().checkInterrupted();
    await store.getState().dismissInterrupted();
    expect(store.getState().interrupted).toBeNull();
    await store.getState().checkInterrupted();
    expect(store.getState().interrupted).toBeNull();
    expect(store.getState().savedCheckpoints).toHaveLength(2);
  });

  it('deletes a checkpoint and a run, refreshing the list and the banner', async () => {
    const run = await interruptedRun();
    const { store } = setup();
    await store.getState().checkInterrupted();
    await store.getState().deleteCheckpoint(store.getState().interrupted!.checkpoint.id);
    expect(store.getState().interrupted).toBeNull();
    expect(store.getState().savedCheckpoints.map((c) => c.name)).toEqual(['model-01']);
    await store.getState().deleteSavedRun(run.id);
    expect(store.getState().savedCheckpoints).toEqual([]);
    expect(store.getState().savedRuns).toEqual([]);
  });

  it('explains when there is no storage instead of failing', async () => {
    const worker = new FakeWorker();
    const store = createAppStore(new TrainingClient(() => worker as unknown as Worker));
    await store.getState().refreshCheckpoints();
    expect(store.getState().checkpointMessage).toMatch(/IndexedDB/);
  });

  it('lists checkpoints whose run record is missing as not linked, and deletes them with the weights left behind', async () => {
    const run = await interruptedRun();
    const db = await (await import('../storage/db')).openAppDb();
    await db.delete('runs', run.id); // as an older version left it when the data was cleared mid-run
    const linked = await storage.createRun({ name: 'linked', config });
    await storage.saveCheckpoint(linked.id, snapshot(1), { name: 'kept-01', epoch: 1, metrics: { loss: 1, acc: 0.5 } });
    await db.put('checkpoints', { id: 'left-behind/data', schema: 1, checkpointId: 'left-behind', data: { data: new ArrayBuffer(8) } });
    const { store } = setup();
    await store.getState().refreshCheckpoints();
    let s = store.getState();
    expect(s.savedRuns.map((r) => r.name)).toEqual(['linked']);
    const unlinked = s.savedCheckpoints.filter((c) => !s.savedRuns.some((r) => r.id === c.runId));
    expect(unlinked.map((c) => c.name)).toEqual(['model-01', 'model-02']);
    expect(s.unlistedCheckpointData).toEqual(['left-behind/data']);
    // The whole site is counted between runs: the unlinked checkpoints and the weights left behind too.
    const site = s.storageUse!.site!;
    expect(site.parts.find((p) => p.part === 'checkpoints')!.records).toBe(2 + 2 + 2 + 1 + 1); // 3 checkpoints × 2, the stray, 1 run

    await store.getState().deleteUnlinkedCheckpoints();
    s = store.getState();
    expect(s.savedCheckpoints.map((c) => c.name)).toEqual(['kept-01']);
    expect(s.unlistedCheckpointData).toEqual([]);
    expect(await db.count('checkpoints')).toBe(2);
    expect(s.checkpointMessage).toBeNull();
  });

  it('measures every store only between runs, keeping the last whole-site figure during one', async () => {
    await interruptedRun();
    const { store } = setup();
    await store.getState().refreshCheckpoints();
    const before = store.getState().storageUse!.site!;
    expect(before.totalBytes).toBeGreaterThan(0);
    store.setState({ status: 'training' });
    await storage.saveCheckpoint((await storage.listRuns())[0]!.id, snapshot(3), { name: 'model-03', epoch: 3, metrics: { loss: 0.3, acc: 0.5 } });
    await store.getState().refreshCheckpoints();
    expect(store.getState().storageUse!.checkpointCount).toBe(3); // the list is live
    expect(store.getState().storageUse!.site).toBe(before); // the whole-site figure waits for the run's end
  });
});
