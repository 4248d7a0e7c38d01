import { describe, expect, it, vi } from 'vitest';
import { TrainingClient } from '../client/trainingClient';
import type { BatchLog } from '../core/callbacks/types';
import { createAppStore } from './store';
import { isBusy } from './selectors';

function setup() {
  const worker = { postMessage() {}, terminate() {}, onmessage: null, onerror: null, onmessageerror: null };
  return createAppStore(new TrainingClient(() => worker as unknown as Worker));
}
const progress = { epoch: 0, epochs: 1, batch: 1, batchesPerEpoch: 100, samplesPerSec: 0, secondsLeft: null };
const point = (step: number): BatchLog => ({ epoch: 0, batch: step, step, size: 1, loss: 1 / (step + 1), acc: 0.5 });

describe('batch points', () => {
  it('are appended in place with a count that changes on every append (no copy per frame)', () => {
    const store = setup();
    store.getState().train();
    const list = store.getState().batchPoints;
    const seen: number[] = [];
    store.subscribe((s, prev) => s.batchCount !== prev.batchCount && seen.push(s.batchCount));
    store.getState().applyEvents([{ type: 'batches', runId: 1, points: [point(0), point(1)], progress }]);
    store.getState().applyEvents([
      { type: 'batches', runId: 1, points: [point(2)], progress },
      { type: 'batches', runId: 1, points: [point(3)], progress },
    ]);
    expect(store.getState().batchPoints).toBe(list);
    expect(list.map((p) => p.step)).toEqual([0, 1, 2, 3]);
    expect(seen).toEqual([2, 4]);
  });

  it('start over in a new list for a new run, and a restored history is copied, not shared', () => {
    const store = setup();
    store.getState().train();
    const first = store.getState().batchPoints;
    store.getState().applyEvents([{ type: 'batches', runId: 1, points: [point(0)], progress }]);
    store.getState().train();
    expect(store.getState().batchPoints).not.toBe(first);
    expect(store.getState()).toMatchObject({ batchPoints: [], batchCount: 0 });
    expect(first).toHaveLength(1);

    const history = { epochs: [], batches: [point(0), point(1)] };
    store.getState().applyEvents([
      {
        type: 'restored', runId: 2, mode: 'resume', config: store.getState().config, history,
        checkpointName: 'x', epoch: 1,
      } as never,
      { type: 'batches', runId: 2, points: [point(2)], progress },
    ]);
    expect(store.getState().batchCount).toBe(3);
    expect(history.batches).toHaveLength(2);
  });

  it('stay one list over a 100,000-batch run (nothing copied per frame)', () => {
    const store = setup();
    store.getState().train();
    const list = store.getState().batchPoints;
    for (let i = 0; i < 100_000; i += 100) {
      store.getState().applyEvents([{ type: 'batches', runId: 1, points: Array.from({ length: 100 }, (_, k) => point(i + k)), progress }]);
    }
    expect(store.getState().batchPoints).toBe(list);
    expect(store.getState().batchCount).toBe(100_000);
  });
});

describe('runId', () => {
  it('is the id of the run last started: a new one with every Train', () => {
    const store = setup();
    expect(store.getState().runId).toBeNull();
    store.getState().train();
    const first = store.getState().runId;
    expect(first).toEqual(expect.any(Number));
    store.getState().train();
    expect(store.getState().runId).toBeGreaterThan(first!);
  });
});

/** A store whose run has started, with a worker that answers nothing (events are applied by hand). */
function trainingWithSilentWorker() {
  const worker = { postMessage() {}, terminate() {}, onmessage: null, onerror: null, onmessageerror: null };
  const store = createAppStore(new TrainingClient(() => worker as unknown as Worker));
  store.getState().train();
  return { store, runId: store.getState().runId! };
}

describe('a fresh start clears the last run', () => {
  it('a new run forgets the previous run’s checkpoint id and results', () => {
    const { store, runId } = trainingWithSilentWorker();
    store.getState().applyEvents([
      { type: 'checkpointRun', runId, storageRunId: 'run-a' },
      { type: 'runEnded', runId, reason: 'completed', epochsCompleted: 1 },
      { type: 'testResult', runId, loss: 0.3, acc: 0.9, count: 100 },
    ]);
    expect(store.getState().checkpointRunId).toBe('run-a');
    expect(store.getState().testResult).not.toBeNull();
    store.getState().train();
    expect(store.getState().checkpointRunId).toBeNull();
    expect(store.getState().testResult).toBeNull();
  });
});

describe('a finished run that is scored next', () => {
  it('goes from training straight to evaluating, and is finished only with its test result', () => {
    const { store, runId } = trainingWithSilentWorker();
    store.getState().applyEvents([{ type: 'runEnded', runId, reason: 'completed', epochsCompleted: 1, scoring: true }]);
    expect(store.getState().status).toBe('evaluating');
    store.getState().applyEvents([{ type: 'testResult', runId, loss: 0.3, acc: 0.9, count: 100 }]);
    expect(store.getState().status).toBe('finished');
  });
  it('a run not scored (stopped) is stopped at once', () => {
    const { store, runId } = trainingWithSilentWorker();
    store.getState().applyEvents([{ type: 'runEnded', runId, reason: 'stopped', epochsCompleted: 1 }]);
    expect(store.getState().status).toBe('stopped');
  });
});

describe('a Stop the worker cannot answer before the first batch (issue 14)', () => {
  it('gives a usable page within the 500 ms grace, says why, and trains again', () => {
    vi.useFakeTimers();
    try {
      const workers: { terminated: boolean }[] = [];
      const client = new TrainingClient(() => {
        const w = { postMessage() {}, terminate() { w.terminated = true; }, onmessage: null, onerror: null, onmessageerror: null, terminated: false };
        workers.push(w);
        return w as unknown as Worker;
      });
      const store = createAppStore(client);
      client.subscribe((e) => store.getState().applyEvents([e]));
      store.setState({ hasModel: true, continueTraining: true });
      store.getState().train();
      expect(isBusy(store.getState().status)).toBe(true);
      store.getState().stop();
      vi.advanceTimersByTime(500);
      const s = store.getState();
      expect(isBusy(s.status)).toBe(false);
      expect(s.status).toBe('stopped');
      expect(s.hasModel).toBe(false); // the fresh worker holds no model to evaluate or train further
      expect(s.runMessage).toMatch(/^Stopped before the run had started: that step cannot be interrupted, so the training worker was restarted.*Your layers and settings are kept\. The model you were training further was held by that worker and is gone/);
      expect(workers.map((w) => w.terminated)).toEqual([true, false]);
      store.getState().train();
      expect(store.getState().status).toBe('preparing');
    } finally {
      vi.useRealTimers();
    }
  });
});
