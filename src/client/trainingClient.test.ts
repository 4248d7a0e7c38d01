import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TrainingClient, type ClientEvent } from './trainingClient';
import { defaultConfig } from '../core/training/defaults';
import type { ToWorker } from '../protocol/messages';
import { FakeWorker } from './testing/fakeWorker';
import { analyzeModel } from '../core/model/analyze';
import { STAGE_LIMITS_MS } from '../core/training/stages';
import type { LayerSpec } from '../core/model/types';

/** A stand-in for the Worker object: records what the client sends, lets a test reply. */

function setup(workerSetup: { wasmThreads?: number } = {}, timing: ConstructorParameters<typeof TrainingClient>[2] = {}) {
  const workers: FakeWorker[] = [];
  const client = new TrainingClient(
    () => {
      const w = new FakeWorker();
      workers.push(w);
      return w as unknown as Worker;
    },
    workerSetup,
    timing,
  );
  const events: ClientEvent[] = [];
  client.subscribe((e) => events.push(e));
  return { client, workers, events };
}

describe('TrainingClient', () => {
  it('after the thread counts were timed to another count, the next fresh run gets a new worker; a carried-on run does not', () => {
    const { client, workers, events } = setup();
    const first = client.train(defaultConfig());
    workers[0]!.reply({ type: 'runEnded', runId: first, reason: 'completed', epochsCompleted: 1 });
    const report = { threads: 2, chosen: 'measured' as const, reason: '2 threads: 3,100 samples/s vs 2,400 on 1 (measured just now)', speeds: [] };
    workers[0]!.reply({ type: 'threadsMeasured', report, current: 1 });
    expect(events.at(-1)).toEqual({ type: 'threadsMeasured', report, current: 1 }); // the page shows it
    // Train further keeps the worker (it holds the model)...
    client.train(defaultConfig(), { initialWeights: 'current' });
    expect(workers).toHaveLength(1);
    // ...a fresh run starts in a new one, once.
    client.train(defaultConfig());
    expect(workers).toHaveLength(2);
    expect(workers[0]!.terminated).toBe(true);
    expect(workers[1]!.sent.map((m) => m.type)).toEqual(['setup', 'train']);
    client.train(defaultConfig());
    expect(workers).toHaveLength(2);
  });

  it('thread counts timed to the count the worker runs: no new worker', () => {
    const { client, workers } = setup();
    client.train(defaultConfig());
    workers[0]!.reply({ type: 'threadsMeasured', report: { threads: 1, chosen: 'measured', reason: '1 thread' }, current: 1 });
    client.train(defaultConfig());
    expect(workers).toHaveLength(1);
  });

  it('tags requests with a run id and drops events of a stale run', () => {
    const { client, workers, events } = setup();
    const first = client.train(defaultConfig());
    const second = client.train(defaultConfig());
    expect(workers[0]!.sent.map((m) => m.type)).toEqual(['setup', 'train', 'train']);
    workers[0]!.reply({ type: 'phase', runId: first, phase: 'training' });
    workers[0]!.reply({ type: 'phase', runId: second, phase: 'training' });
    expect(events).toEqual([{ type: 'phase', runId: second, phase: 'training' }]);
    client.pause();
    client.stop();
    expect(workers[0]!.sent.slice(3)).toEqual([
      { type: 'pause', runId: second },
      { type: 'stop', runId: second },
    ]);
  });

  it('answers dataset requests by request id, and rejects with the worker message', async () => {
    const { client, workers } = setup();
    const ok = client.describeDataset('mnist');
    const bad = client.describeDataset('nope');
    const [a, b] = workers[0]!.sent.slice(1) as Extract<ToWorker, { type: 'describeDataset' }>[];
    workers[0]!.reply({ type: 'datasetError', requestId: b!.requestId, message: 'There is no built-in dataset called "nope".' });
    const info = { id: 'mnist', name: 'MNIST', shape: [28, 28, 1] as [number, number, number], classNames: [], trainCount: 1, testCount: 1, classCounts: [], samples: [] };
    workers[0]!.reply({ type: 'datasetInfo', requestId: a!.requestId, info });
    await expect(ok).resolves.toEqual(info);
    await expect(bad).rejects.toThrow('no built-in dataset');
  });

  it('replaces a worker that crashed, tells subscribers in words, and keeps working', async () => {
    const { client, workers, events } = setup();
    const runId = client.train(defaultConfig());
    const pending = client.describeDataset('mnist');
    workers[0]!.onerror!({ message: 'Uncaught RangeError: Array buffer allocation failed', preventDefault() {} });
    expect(workers[0]!.terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: 'workerCrashed', runId });
    expect((events.at(-1) as { message: string }).message).toMatch(/Array buffer allocation failed.*fresh worker.*settings are kept/);
    await expect(pending).rejects.toThrow();
    const next = client.train(defaultConfig());
    expect(workers[1]!.sent).toEqual([{ type: 'setup' }, { type: 'train', runId: next, config: defaultConfig() }]);
  });

  it('sends the wasm thread count asked for first, to a replacement worker too', () => {
    const { client, workers } = setup({ wasmThreads: 2 });
    client.train(defaultConfig());
    expect(workers[0]!.sent[0]).toEqual({ type: 'setup', wasmThreads: 2 });
    workers[0]!.onerror!({ message: 'crash', preventDefault() {} });
    expect(workers[1]!.sent).toEqual([{ type: 'setup', wasmThreads: 2 }]);
  });
});

/** A model the analysis accepts whose test step still takes minutes on a CPU (3.1 billion multiply-adds per image in layer 2). */
const conv = (filters: number): LayerSpec => ({ type: 'conv2d', filters, kernelSize: 11, strides: 1, padding: 'same', activation: 'relu' });
const facts = analyzeModel({ layers: [conv(128), conv(256), { type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }] }, [28, 28, 1], 10).facts;
const batch = { epoch: 0, batch: 0, step: 0, size: 32, loss: 2.3, acc: 0.1, lr: 0.001 };
const progress = { epoch: 0, epochs: 1, batch: 1, batchesPerEpoch: 10, samplesPerSec: 100, secondsLeft: 3 };

describe('TrainingClient before the first batch (issue 14: every stage cancellable within 1 s, and time-limited)', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('passes on a Stop the worker answers in time, and replaces nothing', () => {
    const { client, workers, events } = setup();
    const runId = client.train(defaultConfig());
    workers[0]!.reply({ type: 'phase', runId, phase: 'preparing', detail: 'Loading the dataset', stage: 'dataset' });
    client.stop();
    vi.advanceTimersByTime(100);
    workers[0]!.reply({ type: 'runEnded', runId, reason: 'stopped', epochsCompleted: 0 });
    vi.advanceTimersByTime(STAGE_LIMITS_MS.dataset * 2);
    expect(workers).toHaveLength(1);
    expect(workers[0]!.terminated).toBe(false);
    expect(events.map((e) => e.type)).toEqual(['phase', 'runEnded']);
  });

  it('ends a worker stuck in a stage that Stop cannot interrupt within 500 ms, says why, and trains on a fresh one', () => {
    const { client, workers, events } = setup();
    const runId = client.train(defaultConfig());
    workers[0]!.reply({ type: 'phase', runId, phase: 'preparing', detail: 'Choosing a backend', stage: 'backend', model: facts });
    vi.advanceTimersByTime(3_000); // the worker is inside the test step: it never answers
    client.stop();
    vi.advanceTimersByTime(499);
    expect(workers).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(workers[0]!.terminated).toBe(true);
    expect(workers).toHaveLength(2);
    const restarted = events.at(-1) as Extract<ClientEvent, { type: 'workerRestarted' }>;
    expect(restarted).toMatchObject({ type: 'workerRestarted', runId, cause: 'stop', stage: 'backend' });
    expect(restarted.message).toMatch(/^Stopped during "Choosing a backend": that step cannot be interrupted \(the model has 5,987,850 parameters; Layer 2 \(Conv2D\) alone needs 3\.1 billion multiply-adds/);
    expect(restarted.message).toMatch(/training worker was restarted.*Your layers and settings are kept\.$/);
    // What the old worker says once it is free is dropped; the fresh one gets the next run.
    workers[0]!.reply({ type: 'runEnded', runId, reason: 'stopped', epochsCompleted: 0 });
    expect(events.at(-1)).toBe(restarted);
    const next = client.train(defaultConfig());
    expect(workers[1]!.sent).toEqual([{ type: 'setup' }, { type: 'train', runId: next, config: defaultConfig() }]);
    vi.advanceTimersByTime(60 * 60_000); // no stage reported yet, and no Stop: nothing happens
    expect(workers).toHaveLength(2);
  });

  it('a Train further run restarted before its first batch says that its model is gone', () => {
    const { client, workers, events } = setup();
    const runId = client.train(defaultConfig(), { initialWeights: 'current' });
    workers[0]!.reply({ type: 'phase', runId, phase: 'preparing', detail: 'Building the model', stage: 'build', model: facts });
    client.stop();
    vi.advanceTimersByTime(500);
    const restarted = events.at(-1) as Extract<ClientEvent, { type: 'workerRestarted' }>;
    expect(restarted.message).toMatch(/Your layers and settings are kept\. The model you were training further was held by that worker and is gone/);
    // A fresh run restarted the same way says nothing of the kind.
    const next = client.train(defaultConfig());
    workers[1]!.reply({ type: 'phase', runId: next, phase: 'preparing', detail: 'Building the model', stage: 'build', model: facts });
    client.stop();
    vi.advanceTimersByTime(500);
    expect((events.at(-1) as { message: string }).message).not.toMatch(/training further/);
  });

  it('covers the first step too, but not a run that has trained a batch (Stop waits for it, its model is kept)', () => {
    const { client, workers, events } = setup();
    const runId = client.train(defaultConfig());
    workers[0]!.reply({ type: 'phase', runId, phase: 'training', stage: 'firstStep' });
    workers[0]!.reply({ type: 'batches', runId, points: [batch], progress });
    client.stop();
    vi.advanceTimersByTime(STAGE_LIMITS_MS.firstStep * 2);
    expect(workers).toHaveLength(1);
    expect(events.some((e) => e.type === 'workerRestarted')).toBe(false);
  });

  it('stops a stage that runs past its limit and explains which stage, why and what to do', () => {
    const { client, workers, events } = setup();
    const runId = client.train(defaultConfig());
    workers[0]!.reply({ type: 'phase', runId, phase: 'preparing', detail: 'Loading the dataset', stage: 'dataset' });
    vi.advanceTimersByTime(STAGE_LIMITS_MS.dataset - 1_000); // a slow download, under its own limit
    workers[0]!.reply({ type: 'phase', runId, phase: 'preparing', detail: 'Building the model', stage: 'build', model: facts });
    vi.advanceTimersByTime(STAGE_LIMITS_MS.build - 1);
    expect(workers).toHaveLength(1); // each stage is timed from its own start
    vi.advanceTimersByTime(1);
    expect(workers[0]!.terminated).toBe(true);
    expect(workers).toHaveLength(2);
    const restarted = events.at(-1) as Extract<ClientEvent, { type: 'workerRestarted' }>;
    expect(restarted).toMatchObject({ type: 'workerRestarted', runId, cause: 'stageTimeout', stage: 'build' });
    expect(restarted.message).toMatch(/^Building the model \(creating the model's layers and their weights\) took longer than 45 s, so the run was stopped and the training worker restarted\./);
    expect(restarted.message).toContain('give Layer 2 (Conv2D) fewer filters or a smaller kernel');
  });

  it('does not time a pause before the first batch against the first step', () => {
    const { client, workers } = setup({}, { stageLimitsMs: { firstStep: 1_000 } });
    const runId = client.train(defaultConfig());
    workers[0]!.reply({ type: 'phase', runId, phase: 'training', stage: 'firstStep' });
    vi.advanceTimersByTime(500);
    client.pause();
    workers[0]!.reply({ type: 'phase', runId, phase: 'paused' });
    vi.advanceTimersByTime(10_000);
    expect(workers).toHaveLength(1);
  });

  it('times only the active run: a stage of a run replaced by a new Train does not end the worker', () => {
    const { client, workers } = setup({}, { stageLimitsMs: { backend: 1_000 } });
    const first = client.train(defaultConfig());
    workers[0]!.reply({ type: 'phase', runId: first, phase: 'preparing', stage: 'backend' });
    const second = client.train(defaultConfig());
    vi.advanceTimersByTime(5_000);
    expect(workers).toHaveLength(1);
    workers[0]!.reply({ type: 'phase', runId: second, phase: 'preparing', stage: 'backend' });
    vi.advanceTimersByTime(1_000);
    expect(workers).toHaveLength(2);
  });
});
