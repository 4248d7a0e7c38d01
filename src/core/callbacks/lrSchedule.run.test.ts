/**
 * The schedule on a real (tiny) training run under Node, cpu backend: the rate reaches the
 * optimizer's steps, the logs carry it, and reduce-on-plateau reports its reductions.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createExperiment, disposeExperiment, runExperiment } from '../experiment';
import { loadTestDataset, useBackend } from '../testing/datasets';
import { defaultConfig } from '../training/defaults';
import { SCHEDULES, defaultParams, type ScheduleConfig } from '../schedules/schedules';
import type { ExperimentConfig } from '../training/config';
import type { BatchLog, Callback, EpochSummary, TrainEvent } from './types';
import type { Dataset } from '../data/types';

let mnist: Dataset;
beforeAll(async () => {
  mnist = await loadTestDataset('mnist');
  await useBackend('cpu');
});

// 180 training examples in batches of 20: 9 batches per epoch.
const tiny = (schedule: ScheduleConfig, patch: Partial<ExperimentConfig> = {}): ExperimentConfig => ({
  ...defaultConfig(),
  trainingExamples: 200,
  validationSplit: 0.1,
  batchSize: 20,
  epochs: 3,
  optimizer: 'sgd',
  learningRate: 0.1,
  model: {
    layers: [
      { type: 'flatten' },
      { type: 'dense', units: 8, activation: 'relu' },
      { type: 'dense', units: 10, activation: 'softmax' },
    ],
  },
  schedule,
  ...patch,
});

async function run(config: ExperimentConfig, extra: Callback[] = []) {
  const exp = createExperiment(config, mnist);
  const batches: BatchLog[] = [];
  const epochs: EpochSummary[] = [];
  const events: TrainEvent[] = [];
  await runExperiment(exp, {
    callbacks: [{ onBatchEnd: (b) => void batches.push(b), onEpochEnd: (e) => void epochs.push(e) }, ...extra],
    onEvent: (e) => events.push(e),
  });
  const bpe = Math.ceil(exp.data.train.count / config.batchSize);
  disposeExperiment(exp);
  return { batches, epochs, events, bpe };
}

describe('lrSchedule in a real training run (cpu backend)', () => {
  const cosine: ScheduleConfig = { id: 'cosine', stepPer: 'batch', params: { minLr: 0.001 } };
  const formula = (t: number, total: number) =>
    SCHEDULES.cosine.lr!(t, { lr0: 0.1, params: cosine.params, totalSteps: total });

  it('the optimizer steps at the scheduled rate: same losses as tfjs’ own setLearningRate per step', async () => {
    const scheduled = await run(tiny(cosine));
    const total = 3 * scheduled.bpe;
    expect(scheduled.bpe).toBe(9);
    expect(scheduled.batches.map((b) => b.lr)).toEqual(scheduled.batches.map((b) => formula(b.step, total)));
    expect(scheduled.epochs.map((e) => e.logs.lr)).toEqual([8, 17, 26].map((t) => formula(t, total)));

    // Reference: no schedule, the rate set through tfjs' SGDOptimizer.setLearningRate before
    // each step by hand. Identical losses mean the schedule's rate is the one the steps used.
    const byHand = await run(tiny({ id: 'constant', stepPer: 'batch', params: {} }), [
      {
        onBatchBegin: (info, ctx) => (ctx.optimizer as tf.SGDOptimizer).setLearningRate(formula(info.step, total)),
      },
    ]);
    expect(byHand.batches.map((b) => b.loss)).toEqual(scheduled.batches.map((b) => b.loss));

    const constant = await run(tiny({ id: 'constant', stepPer: 'batch', params: {} }));
    expect(constant.batches.every((b) => b.lr === 0.1)).toBe(true);
    expect(constant.batches.at(-1)!.loss).not.toBe(scheduled.batches.at(-1)!.loss);
  });

  it('reduce on plateau lowers the rate at epoch ends and says so', async () => {
    // A minimum change of 10 means no epoch counts as improving after the first.
    const plateau: ScheduleConfig = {
      id: 'plateau',
      stepPer: 'epoch',
      params: { ...defaultParams('plateau'), patience: 1, factor: 0.5, minDelta: 10 },
      monitor: 'val_loss',
    };
    const { batches, events } = await run(tiny(plateau, { epochs: 4 }));
    const perEpoch = [0, 1, 2, 3].map((e) => [...new Set(batches.filter((b) => b.epoch === e).map((b) => b.lr))]);
    expect(perEpoch).toEqual([[0.1], [0.1], [0.05], [0.025]]);
    // (A run this tiny also gets the "not learning" explanation; only the schedule's events count here.)
    const reduced = events.filter((e) => e.kind === 'lrReduced');
    expect(reduced.map((e) => [e.kind, e.epoch, e.value])).toEqual([
      ['lrReduced', 2, 0.05],
      ['lrReduced', 3, 0.025],
      ['lrReduced', 4, 0.0125], // after the last epoch: it would act in the next one
    ]);
    expect(reduced[0]!.message).toBe('Validation loss has not improved for 1 epoch: learning rate reduced from 0.1 to 0.05.');
  });
});
