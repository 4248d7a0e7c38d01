/**
 * The resume guarantee, end to end on the CPU backend: 4 epochs straight give the same
 * weights (to 1e-6) and the same metric history as 2 epochs, a checkpoint through the real
 * serialize -> IndexedDB (fake) -> deserialize path, a fresh experiment, and 2 more epochs.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createExperiment, disposeExperiment, runExperiment } from '../core/experiment';
import { checkpointCallback } from '../core/callbacks/checkpoint';
import { restoreSnapshot } from '../core/checkpoint/capture';
import type { MetricHistory } from '../core/checkpoint/snapshot';
import { defaultCheckpointSettings } from '../core/checkpoint/settings';
import { loadTestDataset } from '../core/testing/datasets';
import { defaultConfig } from '../core/training/defaults';
import { createOptimizer } from '../core/optimizers';
import type { ExperimentConfig } from '../core/training/config';
import type { Dataset } from '../core/data/types';
import type { Callback, StatefulCallback } from '../core/callbacks/types';
import { closeAppDb, DB_NAME } from './db';
import { createRun, listCheckpoints, loadCheckpoint, saveCheckpoint } from './checkpoints';

let mnist: Dataset;
beforeAll(async () => {
  mnist = await loadTestDataset('mnist');
  await tf.setBackend('cpu');
  await tf.ready();
});
afterAll(async () => {
  await closeAppDb();
  indexedDB.deleteDatabase(DB_NAME);
});

const cfg = (optimizer: ExperimentConfig['optimizer']): ExperimentConfig => ({
  ...defaultConfig(),
  trainingExamples: 300,
  epochs: 4,
  batchSize: 25,
  validationSplit: 0.2,
  optimizer,
  model: {
    layers: [
      { type: 'flatten' },
      { type: 'dense', units: 32, activation: 'relu' },
      { type: 'dropout', rate: 0.3 },
      { type: 'dense', units: 10, activation: 'softmax' },
    ],
  } as ExperimentConfig['model'],
  checkpoints: { ...defaultCheckpointSettings(), policy: 'everyEpoch', keepLast: 0 },
});

const stopAfter = (epochs: number): Callback => ({
  onEpochEnd(s, ctx) {
    if (s.epoch + 1 >= epochs) ctx.stopTraining = true;
  },
});

/** A stateful callback (like early stopping's counters) whose memory must survive the resume. */
function epochCounter(): StatefulCallback & { seen: number[] } {
  let seen: number[] = [];
  return {
    stateKey: 'epochCounter',
    get seen() {
      return seen;
    },
    getState: () => seen,
    setState: (s) => void (seen = [...(s as number[])]),
    onTrainBegin: () => void (seen = []),
    onEpochEnd: (s) => void seen.push(s.epoch),
  };
}

async function straight(config: ExperimentConfig) {
  const exp = createExperiment(config, mnist);
  const cb = checkpointCallback({ settings: { ...config.checkpoints!, enabled: false }, config, save: async () => ({ sizeBytes: 0 }) });
  await runExperiment(exp, { callbacks: [cb] });
  const weights = exp.model.getWeights().map((t) => t.dataSync().slice());
  disposeExperiment(exp);
  return { weights, history: cb.history() };
}

async function interruptedAndResumed(config: ExperimentConfig) {
  const run = await createRun({ name: 'resume test', config });
  // First session: 2 epochs, a checkpoint after each, then the tab "closes".
  const first = createExperiment(config, mnist);
  const saver = checkpointCallback({
    settings: config.checkpoints!,
    config,
    save: (snap, info) => saveCheckpoint(run.id, snap, info),
  });
  const r1 = await runExperiment(first, { callbacks: [epochCounter(), saver, stopAfter(2)] });
  expect(r1.epochsCompleted).toBe(2);
  disposeExperiment(first);

  // Second session: everything rebuilt from what IndexedDB holds.
  const stored = await listCheckpoints(run.id);
  expect(stored.map((c) => c.epoch)).toEqual([1, 2]);
  const { snapshot } = await loadCheckpoint(stored[1]!.id);
  // tfjs' MomentumOptimizer.dispose() forgets its learning-rate scalar: count that apart.
  const probe = tf.memory().numTensors;
  createOptimizer(config.optimizer, { learningRate: config.learningRate }).dispose();
  const optimizerLeak = tf.memory().numTensors - probe;
  const baseline = tf.memory().numTensors + optimizerLeak;
  const second = createExperiment(snapshot.config, mnist);
  await restoreSnapshot(second.model, second.optimizer, snapshot);
  const resumed = checkpointCallback({
    settings: snapshot.config.checkpoints!,
    config: snapshot.config,
    history: snapshot.history,
    save: (snap, info) => saveCheckpoint(run.id, snap, info),
  });
  const counter = epochCounter();
  const r2 = await runExperiment(second, { callbacks: [counter, resumed], resume: snapshot.resume });
  expect(snapshot.resume.callbackStates).toMatchObject({ epochCounter: [0, 1], checkpoint: { best: null } });
  expect(counter.seen).toEqual([0, 1, 2, 3]); // restored after onTrainBegin reset it
  expect(r2).toMatchObject({ reason: 'completed', epochsCompleted: 4 });
  const weights = second.model.getWeights().map((t) => t.dataSync().slice());
  disposeExperiment(second);
  expect(tf.memory().numTensors).toBe(baseline);
  expect((await listCheckpoints(run.id)).map((c) => c.epoch)).toEqual([1, 2, 3, 4]);
  return { weights, history: resumed.history() };
}

const withoutTimes = (h: MetricHistory) => ({ epochs: h.epochs.map(({ trainMs: _t, ...rest }) => rest), batches: h.batches });

describe('resuming from a checkpoint', () => {
  it.each(['adam', 'momentum'] as const)(
    '%s with dropout: 2 + checkpoint + 2 epochs equals 4 epochs straight',
    async (optimizer) => {
      const a = await straight(cfg(optimizer));
      const b = await interruptedAndResumed(cfg(optimizer));
      expect(b.weights.map((w) => w.length)).toEqual(a.weights.map((w) => w.length));
      let maxDiff = 0;
      a.weights.forEach((w, i) => w.forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - b.weights[i]![j]!)))));
      expect(maxDiff).toBeLessThan(1e-6);
      expect(b.history.epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3]);
      expect(b.history.batches.map((x) => x.step)).toEqual(a.history.batches.map((x) => x.step));
      const ha = withoutTimes(a.history);
      const hb = withoutTimes(b.history);
      hb.epochs.forEach((e, i) => {
        for (const [k, v] of Object.entries(e.logs)) expect(v).toBeCloseTo(ha.epochs[i]!.logs[k as 'loss']!, 6);
      });
      hb.batches.forEach((x, i) => expect(x.loss).toBeCloseTo(ha.batches[i]!.loss, 6));
    },
    60_000,
  );
});
