import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createExperiment, disposeExperiment, runExperiment } from '../experiment';
import { evaluate } from '../training/train';
import { loadTestDataset, useBackend } from '../testing/datasets';
import { defaultConfig } from '../training/defaults';
import { defaultEarlyStopping } from './settings';
import type { Dataset } from '../data/types';
import type { EpochSummary, TrainEvent } from './types';

let mnist: Dataset;
beforeAll(async () => {
  mnist = await loadTestDataset('mnist');
  await useBackend('wasm');
});

describe('callbacks from the config, on a real run (chapter MLP, 300 MNIST images)', () => {
  it('overfits, stops early on val_loss and leaves the best epoch\'s model', async () => {
    const before = tf.memory().numTensors;
    const exp = createExperiment(
      {
        ...defaultConfig(),
        trainingExamples: 300,
        validationSplit: 0.2,
        batchSize: 16,
        epochs: 40,
        earlyStopping: { ...defaultEarlyStopping(), enabled: true, patience: 2 },
      },
      mnist,
    );
    const events: TrainEvent[] = [];
    const epochs: EpochSummary[] = [];
    const result = await runExperiment(exp, {
      onEvent: (e) => events.push(e),
      callbacks: [{ onEpochEnd: (s) => void epochs.push(s) }],
    });
    expect(result.reason).toBe('callback');
    expect(result.epochsCompleted).toBeLessThan(40);
    const kinds = events.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['overfitting', 'earlyStop', 'bestEpoch', 'restoredBest']));
    const valLosses = epochs.map((e) => e.logs.val_loss!);
    const best = Math.min(...valLosses);
    const bestEvent = events.find((e) => e.kind === 'bestEpoch')!;
    expect(bestEvent.epoch).toBe(valLosses.indexOf(best) + 1);
    // The model now scores exactly like its best epoch on the validation split.
    const now = await evaluate(exp.model, exp.data.validation!, exp.config.loss, 256);
    expect(now.loss).toBeCloseTo(best, 5);
    expect(events.find((e) => e.kind === 'restoredBest')!.value).toBeCloseTo(best, 5);
    expect(result.message).toMatch(/Stopped early after epoch \d+: validation loss has not improved for 2 epochs.*Restored the weights of epoch/);
    disposeExperiment(exp);
    expect(tf.memory().numTensors).toBe(before);
  });
});
