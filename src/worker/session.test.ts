/**
 * The training session driven as the page drives the worker, message by message, on the cpu
 * backend with a small generated dataset; a fake `post` records what the page would get.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { generateShapes } from '../core/data/shapes';
import { useBackend } from '../core/testing/datasets';
import { defaultConfig } from '../core/training/defaults';
import type { ExperimentConfig } from '../core/training/config';
import type { Dataset } from '../core/data/types';
import type { FromWorker, ToWorker, WasmThreadsReport } from '../protocol/messages';
import { createTrainingSession, type TrainingSession } from './session';
import type { Backends, Post } from './sessionDeps';
import { THREAD_TIMING_DELAY_MS } from './threadTiming';

// 5 classes of 12×12 shapes: 300 to train on, 100 to test.
const dataset: Dataset = generateShapes('shapes', 'Shapes', { size: 12, trainCount: 300, testCount: 100, centred: true, seed: 7 });

beforeAll(() => useBackend('cpu'));

const config = (patch: Partial<ExperimentConfig> = {}): ExperimentConfig => ({
  ...defaultConfig(),
  datasetId: 'shapes',
  trainingExamples: 300,
  model: {
    layers: [
      { type: 'flatten' },
      { type: 'dense', units: 16, activation: 'relu' },
      { type: 'dense', units: 5, activation: 'softmax' },
    ],
  },
  epochs: 2,
  batchSize: 30,
  backend: 'cpu',
  checkpoints: { ...defaultConfig().checkpoints!, enabled: false }, // no IndexedDB in Node
  ...patch,
});
/** Trains until stopped. */
const long = () => config({ epochs: 1000 });
/** A stack the layer rules refuse at build: a 20×20 kernel (at most 11), on a 12×12 image too. */
const impossible = () =>
  config({
    model: {
      layers: [
        { type: 'conv2d', filters: 4, kernelSize: 20, strides: 1, padding: 'valid', activation: 'relu' },
        { type: 'flatten' },
        { type: 'dense', units: 5, activation: 'softmax' },
      ],
    },
  });

const train = (runId: number, cfg = config(), extra: Partial<Extract<ToWorker, { type: 'train' }>> = {}): ToWorker => ({ type: 'train', runId, config: cfg, ...extra });

type Msg<T extends FromWorker['type']> = Extract<FromWorker, { type: T }>;

/** The fake `post`: every message, and a way to wait for one. */
function recorder() {
  const messages: FromWorker[] = [];
  const waiting: { match(m: FromWorker): boolean; resolve(m: FromWorker): void }[] = [];
  const post: Post = (msg) => {
    messages.push(msg);
    for (const w of [...waiting]) {
      if (w.match(msg)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(msg);
      }
    }
  };
  /** The first message of `type` (for `runId`, if given) that matches, already posted or to come. */
  function next<T extends FromWorker['type']>(type: T, runId?: number, match: (m: Msg<T>) => boolean = () => true): Promise<Msg<T>> {
    const ok = (m: FromWorker): m is Msg<T> => m.type === type && (runId === undefined || (m as { runId?: number }).runId === runId) && match(m as Msg<T>);
    const seen = messages.find(ok);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => waiting.push({ match: ok, resolve: (m) => resolve(m as Msg<T>) }));
  }
  const of = (runId: number) => messages.filter((m) => (m as { runId?: number }).runId === runId);
  const all = <T extends FromWorker['type']>(type: T, runId?: number) =>
    messages.filter((m): m is Msg<T> => m.type === type && (runId === undefined || (m as { runId?: number }).runId === runId));
  return { messages, post, next, of, all };
}

const cpuReport = { backend: 'cpu' as const, skipped: [], label: 'cpu' };

/** ./backend as the session sees it, on the cpu backend; `patch` replaces parts. */
function cpuBackend(patch: Partial<Backends> = {}): Backends {
  return {
    selectBackend: async () => {
      await useBackend('cpu');
      return cpuReport;
    },
    warmUpWasm: async () => false,
    threadsToTimePending: () => false,
    timeThreadsWhenIdle: async () => null,
    ...patch,
  };
}

function session(backend = cpuBackend()) {
  const rec = recorder();
  const s = createTrainingSession({ post: rec.post, getDataset: async (id) => (id === 'shapes' ? dataset : Promise.reject(new Error(`no dataset ${id}`))), backend });
  return { ...rec, s };
}

/** Frees the model the session keeps: a run that fails at build disposes the previous one and holds none. */
async function release(s: TrainingSession, runId = 999) {
  await s.handle(train(runId, impossible()));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('training session', () => {
  it('Train then Train again at once: the first run ends before training, only the second trains, no tensors leak', async () => {
    const { s, next, of, all } = session();
    const before = tf.memory().numTensors;
    await Promise.all([s.handle(train(1, config({ epochs: 3 }))), s.handle(train(2))]);

    const first = of(1);
    expect(first.map((m) => m.type)).toEqual(['phase', 'runEnded']);
    expect(await next('runEnded', 1)).toMatchObject({ reason: 'stopped', epochsCompleted: 0, message: expect.stringContaining('Stopped during "Loading the dataset"') });

    const ended = await next('runEnded', 2);
    expect(ended).toMatchObject({ reason: 'completed', epochsCompleted: 2, scoring: true });
    expect(all('runStarted', 2)).toHaveLength(1);
    expect(all('epochEnd', 2).map((m) => m.summary.epoch)).toEqual([0, 1]);
    const batches = all('batches', 2).flatMap((m) => m.points);
    expect(batches.length).toBe(2 * all('runStarted', 2)[0]!.batchesPerEpoch);
    expect((await next('testResult', 2)).count).toBe(100);

    await release(s);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('Stop during training ends the run "stopped", unscored', async () => {
    const { s, next, all } = session();
    const run = s.handle(train(1, long()));
    await next('batches', 1);
    await s.handle({ type: 'stop', runId: 1 });
    await run;
    const ended = await next('runEnded', 1);
    expect(ended).toMatchObject({ reason: 'stopped', scoring: false });
    expect(ended.epochsCompleted).toBeLessThan(1000);
    expect(all('testResult', 1)).toHaveLength(0);
    await release(s);
  });

  it('Pause holds the batches until Resume', async () => {
    const { s, next, all, messages } = session();
    const run = s.handle(train(1, long()));
    await next('batches', 1);
    const phases = () => messages.filter((m) => m.type === 'phase' && m.stage === undefined);
    await s.handle({ type: 'pause', runId: 1 });
    expect(phases()).toEqual([{ type: 'phase', runId: 1, phase: 'paused' }]);
    await sleep(200); // the batch in flight ends and is posted
    const points = () => all('batches', 1).flatMap((m) => m.points).length;
    const paused = points();
    await sleep(400);
    expect(points()).toBe(paused);
    expect(all('runEnded', 1)).toHaveLength(0);

    await s.handle({ type: 'resume', runId: 1 });
    expect(phases().at(-1)).toEqual({ type: 'phase', runId: 1, phase: 'training' });
    await next('batches', 1, (m) => m.points.some((p) => p.step >= paused));
    expect(points()).toBeGreaterThan(paused);
    await s.handle({ type: 'stop', runId: 1 });
    await run;
    expect((await next('runEnded', 1)).reason).toBe('stopped');
    await release(s);
  });

  it('Stop before the first batch names the stage it came in, and builds nothing', async () => {
    const { s, next, all } = session();
    const before = tf.memory().numTensors;
    const run = s.handle(train(1));
    void s.handle({ type: 'stop', runId: 1 });
    await run;
    expect(await next('runEnded', 1)).toEqual({
      type: 'runEnded',
      runId: 1,
      reason: 'stopped',
      epochsCompleted: 0,
      message: 'Stopped during "Loading the dataset", before training began. Your layers and settings are kept.',
    });
    expect(all('backend', 1)).toHaveLength(0);
    expect(all('runStarted', 1)).toHaveLength(0);

    // A Stop that comes while the backend is chosen.
    let stopNow = () => {};
    const t = session(cpuBackend({ selectBackend: async () => (stopNow(), cpuReport) }));
    stopNow = () => void t.s.handle({ type: 'stop', runId: 2 });
    await t.s.handle(train(2));
    expect((await t.next('runEnded', 2)).message).toMatch(/^Stopped during "Choosing a backend", before training began/);
    expect(t.all('backend', 2)).toHaveLength(1);
    expect(t.all('runStarted', 2)).toHaveLength(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('ignores Stop, Pause, Resume, Evaluate and Export for a run that is no longer current', async () => {
    const { s, next, of, all, messages } = session();
    await s.handle(train(1));
    expect((await next('runEnded', 1)).reason).toBe('completed');
    const run = s.handle(train(2, long()));
    await next('batches', 2);
    const seen = messages.length;
    for (const type of ['stop', 'pause', 'resume', 'evaluate'] as const) await s.handle({ type, runId: 1 });
    await s.handle({ type: 'exportModel', requestId: 5, runId: 1 });
    const after = messages.slice(seen);
    expect(after.filter((m) => (m as { runId?: number }).runId === 1)).toEqual([]);
    expect(after.filter((m) => m.type === 'phase')).toEqual([]); // run 2 was not paused
    expect(after.find((m) => m.type === 'modelError')).toMatchObject({ requestId: 5, message: expect.stringContaining('no finished model') });
    // Run 2 trains on.
    const points = all('batches', 2).flatMap((m) => m.points).length;
    await next('batches', 2, (m) => m.points.some((p) => p.step >= points));
    await s.handle({ type: 'stop', runId: 2 });
    await run;
    expect((await next('runEnded', 2)).reason).toBe('stopped');
    expect(of(1).filter((m) => m.type === 'testResult')).toHaveLength(1); // its own, when it finished
    await release(s);
  });

  it('an impossible layer stack: error, then runEnded "error"; the session trains the next run', async () => {
    const { s, next, of } = session();
    const before = tf.memory().numTensors;
    await s.handle(train(1, impossible()));
    const types = of(1).map((m) => m.type);
    expect(types.slice(-2)).toEqual(['error', 'runEnded']);
    expect(types).not.toContain('runStarted');
    expect((await next('error', 1)).message).toMatch(/^Layer 1 \(Conv2D\): Conv2D needs the kernel size to be a whole number from 1 to 11, but it is 20/);
    expect(await next('runEnded', 1)).toEqual({ type: 'runEnded', runId: 1, reason: 'error', epochsCompleted: 0 });
    expect(tf.memory().numTensors).toBe(before);

    await s.handle(train(2));
    expect((await next('runEnded', 2)).reason).toBe('completed');
    expect((await next('testResult', 2)).count).toBe(100);
    await release(s);
  });

  it('a config that fails inside createExperiment (an unknown optimizer): error, runEnded "error", nothing leaks', async () => {
    const { s, next, of } = session();
    const before = tf.memory().numTensors;
    await s.handle(train(1, config({ optimizer: 'nope' as ExperimentConfig['optimizer'] })));
    expect(of(1).filter((m) => m.type === 'phase').map((m) => (m as Msg<'phase'>).stage)).toEqual(['dataset', 'backend', 'upload', 'build']);
    expect((await next('error', 1)).message).toMatch(/^Unknown optimizer "nope"/);
    expect((await next('runEnded', 1)).reason).toBe('error');
    expect(tf.memory().numTensors).toBe(before);
    await s.handle(train(2));
    expect((await next('runEnded', 2)).reason).toBe('completed');
    await release(s);
  });

  it('a backend that fails: its error explained, runEnded "error", and the next run trains', async () => {
    let fail = true;
    const { s, next } = session(
      cpuBackend({
        selectBackend: async () => {
          if (fail) throw new Error('WebGL: out of memory');
          await useBackend('cpu');
          return cpuReport;
        },
      }),
    );
    await s.handle(train(1));
    expect((await next('error', 1)).message).toMatch(/^The device ran out of memory \(WebGL: out of memory\)\. Lower the batch size/);
    expect((await next('runEnded', 1)).reason).toBe('error');
    fail = false;
    await s.handle(train(2));
    expect((await next('runEnded', 2)).reason).toBe('completed');
    await release(s);
  });

  it('Train further with no model is refused at once', async () => {
    const { s, messages } = session();
    await s.handle(train(1, config(), { initialWeights: 'current' }));
    expect(messages).toEqual([
      { type: 'error', runId: 1, message: expect.stringContaining('no trained or loaded model to continue from') },
      { type: 'runEnded', runId: 1, reason: 'error', epochsCompleted: 0 },
    ]);
  });

  it('Evaluate: refused while the run trains, a testResult once it is over (the same as when it finished)', async () => {
    const { s, next, all } = session();
    const run = s.handle(train(1, config({ epochs: 20 })));
    await next('batches', 1);
    await s.handle({ type: 'evaluate', runId: 1 }); // busy: ignored
    await run;
    const ended = await next('runEnded', 1);
    expect(ended.reason).toBe('completed');
    const scored = all('testResult', 1);
    expect(scored).toHaveLength(1); // only the one after the run

    await s.handle({ type: 'evaluate', runId: 1 });
    const results = all('testResult', 1);
    expect(results).toHaveLength(2);
    expect(results[1]).toEqual(results[0]);
    expect(all('testPredictions', 1)).toHaveLength(2);
    await release(s);
  });

  it('Evaluate then Train at once: the evaluation ends, and the new run is the busy one (Pause works)', async () => {
    const { s, next, all } = session();
    await s.handle(train(1));
    await next('testResult', 1);
    const evaluating = s.handle({ type: 'evaluate', runId: 1 });
    const run = s.handle(train(2, long()));
    await evaluating;
    expect(all('testResult', 1)).toHaveLength(2);
    await next('batches', 2);
    await s.handle({ type: 'pause', runId: 2 });
    expect(all('phase', 2).filter((m) => m.phase === 'paused')).toHaveLength(1);
    await s.handle({ type: 'exportModel', requestId: 1, runId: 2 });
    expect(await next('modelError', undefined, (m) => m.requestId === 1)).toMatchObject({ message: expect.stringContaining('no finished model') });
    await s.handle({ type: 'stop', runId: 2 });
    await run;
    expect((await next('runEnded', 2)).reason).toBe('stopped');
    await release(s);
  });

  it('Load model: refused while a run trains; after it, the model loads and scores as it did', async () => {
    const { s, next, all } = session();
    await s.handle(train(1));
    const scored = await next('testResult', 1);
    await s.handle({ type: 'exportModel', requestId: 1, runId: 1 });
    const file = await next('modelExported');
    const load = (requestId: number, runId: number): ToWorker => ({
      type: 'loadModel',
      requestId,
      runId,
      mode: 'model',
      name: 'model.json',
      modelJson: file.modelJson,
      weights: [{ name: 'weights.bin', bytes: file.weights }],
      config: config(),
    });

    const run = s.handle(train(2, long()));
    await next('batches', 2);
    await s.handle(load(2, 3));
    expect(await next('modelError', undefined, (m) => m.requestId === 2)).toMatchObject({ message: 'A run is in progress: stop it before loading a model.' });
    await s.handle({ type: 'stop', runId: 2 });
    await run;

    await s.handle(load(3, 3));
    expect(await next('modelLoaded', 3)).toMatchObject({ requestId: 3, name: 'model.json', params: file.params });
    await s.handle({ type: 'evaluate', runId: 2 }); // the stopped run is no longer current
    expect(all('testResult', 2)).toHaveLength(0);
    await s.handle({ type: 'evaluate', runId: 3 });
    const loaded = await next('testResult', 3);
    expect(loaded.acc).toBe(scored.acc);
    expect(loaded.loss).toBeCloseTo(scored.loss, 5);
    await release(s);
  });

  it('a run that starts while a model loads wins: the load is refused', async () => {
    const { s, next } = session();
    await s.handle(train(1));
    await s.handle({ type: 'exportModel', requestId: 1, runId: 1 });
    const file = await next('modelExported');
    const loading = s.handle({
      type: 'loadModel',
      requestId: 2,
      runId: 5,
      mode: 'model',
      name: 'model.json',
      modelJson: file.modelJson,
      weights: [{ name: 'weights.bin', bytes: file.weights }],
      config: config(),
    });
    const run = s.handle(train(6));
    await Promise.all([loading, run]);
    expect((await next('modelError', undefined, (m) => m.requestId === 2)).message).toMatch(/^A run started while the model was loading/);
    expect((await next('runEnded', 6)).reason).toBe('completed');
    await s.handle({ type: 'evaluate', runId: 5 }); // never became current
    await s.handle({ type: 'exportModel', requestId: 3, runId: 6 });
    expect((await next('modelExported', undefined, (m) => m.requestId === 3)).params).toBe(file.params);
    await release(s);
  });

  it('times the wasm thread counts after a first run, never while a run trains: a run that starts ends the timing', async () => {
    const report: WasmThreadsReport = { threads: 2, chosen: 'measured', reason: 'timed' };
    let pending = true;
    const timed: { batchSize: number; signal: AbortSignal }[] = [];
    const { s, all } = session(
      cpuBackend({
        threadsToTimePending: () => pending,
        timeThreadsWhenIdle: async (model, signal) => {
          timed.push({ batchSize: model!.batchSize, signal });
          pending = false;
          return report;
        },
      }),
    );
    await s.handle(train(1));
    // A run that starts within the delay and trains past it: nothing is timed meanwhile.
    const run = s.handle(train(2, config({ epochs: 1000, batchSize: 20 })));
    await sleep(THREAD_TIMING_DELAY_MS + 300);
    expect(all('runEnded', 2)).toHaveLength(0);
    expect(timed).toHaveLength(0);
    await s.handle({ type: 'stop', runId: 2 });
    await run;
    // Timed after that run, on its model.
    await sleep(THREAD_TIMING_DELAY_MS + 200);
    expect(timed.map((t) => [t.batchSize, t.signal.aborted])).toEqual([[20, false]]);
    expect(all('threadsMeasured')).toEqual([{ type: 'threadsMeasured', report, current: 1 }]);
    await release(s);
  });
});
