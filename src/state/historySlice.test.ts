import { describe, expect, it } from 'vitest';
import { TrainingClient, type ClientEvent } from '../client/trainingClient';
import { createAppStore } from './store';
import type { RunHistoryStorage } from './historySlice';
import type { RunRecord } from '../core/runs/record';

/** Storage in memory, recording what is saved. */
function memoryStorage(initial: unknown[] = []): RunHistoryStorage & { saved: Map<string, RunRecord> } {
  const saved = new Map<string, RunRecord>();
  return {
    saved,
    async listRuns() {
      return { runs: initial as RunRecord[], unreadable: [] };
    },
    async saveRun(r) {
      saved.set(r.id, structuredClone(r));
    },
    async deleteRuns(ids) {
      for (const id of ids) saved.delete(id);
    },
  };
}

function setup(storage = memoryStorage()) {
  const worker = { postMessage() {}, terminate() {}, onmessage: null, onerror: null, onmessageerror: null };
  const store = createAppStore(new TrainingClient(() => worker as unknown as Worker), { history: storage });
  return { store, storage };
}

/** Lets the recordings, which run in tasks of their own after a flush, happen. */
const settle = () => new Promise((r) => setTimeout(r, 5));

const progress = { epoch: 0, epochs: 2, batch: 0, batchesPerEpoch: 2, samplesPerSec: 0, secondsLeft: null };

/** The events of a two-epoch run that reaches `acc`, ending as `reason`. */
function runEvents(runId: number, acc: number, reason: 'completed' | 'stopped' = 'completed'): ClientEvent[] {
  const epoch = (e: number) =>
    ({
      type: 'epochEnd',
      runId,
      summary: { epoch: e, logs: { loss: 1 - acc + 0.1 * (1 - e), acc: acc - 0.05 * (1 - e), val_loss: 0.5, val_acc: acc - 0.02 }, samples: 100, trainMs: 100, numTensors: 1 },
      progress,
    }) as ClientEvent;
  return [
    { type: 'runStarted', runId, trainCount: 90, validationCount: 10, batchesPerEpoch: 2 },
    { type: 'batches', runId, points: [0, 1, 2, 3].map((s) => ({ epoch: s >> 1, batch: s & 1, step: s, size: 32, loss: 2 - s * 0.1, acc: 0.5 })), progress },
    epoch(0),
    epoch(1),
    { type: 'runEnded', runId, reason, epochsCompleted: 2 },
  ];
}

describe('the Runs list', () => {
  it('records a run when it ends, adds its test result, and keeps it in storage', async () => {
    const { store, storage } = setup();
    store.getState().train();
    store.getState().applyEvents(runEvents(1, 0.9));
    await settle();
    const [rec] = store.getState().runs;
    expect(rec).toMatchObject({ name: 'Dense 512-512 MLP, adam, lr 0.001, normalize [0,1]', outcome: 'completed', test: null });
    expect(rec!.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(rec!.batches.length).toBe(4);
    store.getState().applyEvents([{ type: 'testResult', runId: 1, loss: 0.3, acc: 0.91, count: 10000 }]);
    await settle();
    expect(store.getState().runs[0]!.test).toEqual({ loss: 0.3, acc: 0.91, count: 10000 });
    expect(storage.saved.get(rec!.id)!.test?.acc).toBe(0.91);
  });

  it('names a run by what differs from the one before, and the first by its own value of it', async () => {
    const { store } = setup();
    store.getState().setConfig({ preprocessing: 'raw' });
    store.getState().train();
    store.getState().applyEvents(runEvents(1, 0.8));
    await settle();
    store.getState().setConfig({ preprocessing: 'normalize' });
    store.getState().train();
    store.getState().applyEvents(runEvents(2, 0.95));
    await settle();
    store.getState().setConfig({ learningRate: 0.01 });
    store.getState().train();
    store.getState().applyEvents(runEvents(3, 0.6, 'stopped'));
    await settle();
    expect(store.getState().runs.map((r) => [r.name, r.outcome])).toEqual([
      ['raw pixels', 'completed'],
      ['normalize [0,1]', 'completed'],
      ['lr 0.01', 'stopped'],
    ]);
  });

  it('does not record a run that trained nothing', async () => {
    const { store } = setup();
    store.getState().train();
    store.getState().applyEvents([{ type: 'runEnded', runId: 1, reason: 'error', epochsCompleted: 0 }]);
    await settle();
    expect(store.getState().runs).toEqual([]);
  });

  it('renames, compares, pins a baseline and deletes, in storage too', async () => {
    const { store, storage } = setup();
    store.getState().train();
    store.getState().applyEvents(runEvents(1, 0.9));
    await settle();
    const id = store.getState().runs[0]!.id;
    await store.getState().renameRun(id, '  my run  ');
    await store.getState().setCompared(id, true);
    await store.getState().setBaseline(id);
    expect(store.getState().runs[0]).toMatchObject({ name: 'my run', nameEdited: true, compared: true, baseline: true });
    expect(storage.saved.get(id)).toMatchObject({ name: 'my run', compared: true, baseline: true });
    await store.getState().setBaseline(null);
    expect(storage.saved.get(id)!.baseline).toBe(false);
    await store.getState().deleteRun(id);
    expect(store.getState().runs).toEqual([]);
    expect(storage.saved.has(id)).toBe(false);
  });

  it('loads the stored runs, keeping one recorded meanwhile', async () => {
    const stored = setup();
    stored.store.getState().train();
    stored.store.getState().applyEvents(runEvents(1, 0.9));
    await settle();
    const old = stored.store.getState().runs[0]!;
    const { store } = setup(memoryStorage([old]));
    store.getState().train();
    store.getState().applyEvents(runEvents(1, 0.7));
    await settle();
    await store.getState().loadHistory();
    expect(store.getState().runs.map((r) => r.id)).toEqual([old.id, store.getState().liveRecordId]);
  });
});
