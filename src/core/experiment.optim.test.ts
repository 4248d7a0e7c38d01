/** The experiment entry point with this feature's settings: optimizer hyperparameters, steps per epoch, cross-validation. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createExperiment, disposeExperiment, epochCounts, runExperiment } from './experiment';
import { loadTestDataset, useBackend } from './testing/datasets';
import { defaultConfig } from './training/defaults';
import type { ExperimentConfig } from './training/config';
import type { BatchLog, EpochSummary } from './callbacks/types';
import type { Dataset } from './data/types';

let mnist: Dataset;
beforeAll(async () => {
  mnist = await loadTestDataset('mnist');
  await useBackend('wasm');
});
const config = (patch: Partial<ExperimentConfig>): ExperimentConfig => ({ ...defaultConfig(), trainingExamples: 300, epochs: 2, batchSize: 20, ...patch });

describe('experiment with optimizer settings, steps per epoch and cross-validation', () => {
  it('passes the hyperparameter overrides to the optimizer', () => {
    const exp = createExperiment(config({ optimizer: 'nadam', optimizerParams: { beta1: 0.8, momentum: 0.5 } }), mnist);
    expect(exp.optimizer.getConfig()).toMatchObject({ learningRate: 0.001, beta1: 0.8, beta2: 0.999 });
    disposeExperiment(exp);
  });

  it('cross-validates with steps per epoch: counts, finite validation loss, no leaks', async () => {
    const before = tf.memory().numTensors;
    const exp = createExperiment(config({ optimizer: 'amsgrad', crossValidation: true, folds: 3, stepsPerEpoch: 4, validationSplit: 0.3 }), mnist);
    expect(exp.data.train.count).toBe(300);
    expect(epochCounts(exp)).toEqual({ trainCount: 200, validationCount: 100, batchesPerEpoch: 4 });
    const batches: BatchLog[] = [];
    const epochs: EpochSummary[] = [];
    const result = await runExperiment(exp, { callbacks: [{ onBatchEnd: (b) => void batches.push(b), onEpochEnd: (e) => void epochs.push(e) }] });
    expect(result).toMatchObject({ reason: 'completed', epochsCompleted: 2 });
    expect(batches).toHaveLength(8);
    expect(epochs.map((e) => e.samples)).toEqual([80, 80]);
    for (const e of epochs) expect(Number.isFinite(e.logs.val_loss)).toBe(true);
    expect(epochs[1]!.numTensors).toBe(epochs[0]!.numTensors);
    disposeExperiment(exp);
    expect(tf.memory().numTensors).toBe(before);
  });
});
