import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createExperiment, disposeExperiment, evaluateTest, experimentProblems, runExperiment } from './experiment';
import { loadTestDataset, useBackend } from './testing/datasets';
import { defaultConfig } from './training/defaults';
import { dataKey, prepareData } from './training/prepare';
import { presetSpec } from './model/presets';
import type { ExperimentConfig } from './training/config';
import type { BatchLog, EpochSummary } from './callbacks/types';
import type { Dataset } from './data/types';

let mnist: Dataset;
beforeAll(async () => {
  mnist = await loadTestDataset('mnist');
  await useBackend('wasm');
});

const config = (patch: Partial<ExperimentConfig>): ExperimentConfig => ({ ...defaultConfig(), ...patch });

/** Trains `cfg` and returns what the callbacks saw. */
async function run(cfg: ExperimentConfig) {
  const exp = createExperiment(cfg, mnist);
  const batches: BatchLog[] = [];
  const epochs: EpochSummary[] = [];
  const result = await runExperiment(exp, {
    callbacks: [{ onBatchEnd: (b) => void batches.push(b), onEpochEnd: (e) => void epochs.push(e) }],
  });
  return { exp, batches, epochs, result };
}

describe('training the chapter MLP on real MNIST', () => {
  it('reaches over 90% validation accuracy after one epoch on 10,000 examples, loss falling', async () => {
    const { exp, batches, epochs, result } = await run(
      config({ trainingExamples: 10_000, epochs: 1, batchSize: 32, validationSplit: 0.1 }),
    );
    expect(result).toMatchObject({ reason: 'completed', epochsCompleted: 1 });
    const trainCount = exp.data.train.count;
    expect(trainCount + exp.data.validation!.count).toBe(10_000);
    expect(Math.abs(trainCount - 9000)).toBeLessThanOrEqual(10); // per-class rounding
    expect(batches).toHaveLength(Math.ceil(trainCount / 32));
    const mean = (xs: BatchLog[]) => xs.reduce((a, b) => a + b.loss, 0) / xs.length;
    expect(mean(batches.slice(-30))).toBeLessThan(mean(batches.slice(0, 30)) / 3);
    expect(epochs[0]!.logs.val_acc).toBeGreaterThan(0.9);
    expect(epochs[0]!.samples).toBe(trainCount);
    const test = await evaluateTest(exp);
    expect(test.count).toBe(10_000);
    expect(test.acc).toBeGreaterThan(0.88);
    disposeExperiment(exp);
  });

  it('learns from raw 0-255 pixels too, as in Keras, more slowly than from normalized ones', async () => {
    // Keras takes the cross-entropy of a softmax model from its logits; from clipped
    // probabilities a saturated softmax has no gradient and raw pixels stay at 10%.
    const base = config({ trainingExamples: 10_000, epochs: 2, batchSize: 32, validationSplit: 0.1 });
    const raw = await run({ ...base, preprocessing: 'raw' });
    const normalized = await run(base);
    [raw, normalized].forEach((r) => disposeExperiment(r.exp));
    console.log(
      'raw vs normalized, per epoch:',
      JSON.stringify([raw, normalized].map((r) => r.epochs.map((e) => e.logs))),
    );
    expect(raw.result.reason).toBe('completed');
    expect(raw.batches[0]!.loss).toBeGreaterThan(20); // huge logits: an exact loss, not capped near 16
    expect(raw.epochs[1]!.logs.acc).toBeGreaterThan(0.8);
    expect(raw.epochs[1]!.logs.val_acc).toBeGreaterThan(0.8);
    expect(raw.epochs[0]!.logs.acc).toBeLessThan(normalized.epochs[0]!.logs.acc);
    expect(raw.epochs[1]!.logs.loss).toBeGreaterThan(normalized.epochs[1]!.logs.loss);
  });

  it('keeps tf.memory().numTensors flat from the second epoch on, and frees everything after', async () => {
    const before = tf.memory().numTensors;
    const { exp, epochs } = await run(config({ trainingExamples: 600, epochs: 4, batchSize: 50, validationSplit: 0.2 }));
    const counts = epochs.map((e) => e.numTensors);
    expect(counts).toHaveLength(4);
    expect(new Set(counts.slice(1)).size).toBe(1);
    await evaluateTest(exp);
    disposeExperiment(exp);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stays flat with every training feature on at once, and frees everything after', async () => {
    const before = tf.memory().numTensors;
    const { exp, epochs } = await run(
      config({
        trainingExamples: 600,
        epochs: 5,
        batchSize: 50,
        optimizer: 'nadam',
        stepsPerEpoch: 8,
        crossValidation: true,
        folds: 3,
        schedule: { id: 'cosine', stepPer: 'batch', params: {} },
        earlyStopping: { enabled: true, monitor: 'val_loss', mode: 'auto', patience: 10, minDelta: 0, baseline: null, restoreBestWeights: true },
        augmentation: { fraction: 0.5, flipH: true, flipV: false, rot90: true, rotateDeg: 20, shiftW: 0.1, shiftH: 0.1, shiftMode: 'roll', zoom: 0.1, brightness: 0.1 },
        model: { layers: [{ type: 'flatten' }, { type: 'dropout', rate: 0.2 }, ...presetSpec('mlp', 10).layers.slice(1)] },
      }),
    );
    const counts = epochs.map((e) => e.numTensors);
    expect(counts).toHaveLength(5);
    expect(new Set(counts.slice(1)).size).toBe(1);
    disposeExperiment(exp);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('repeats exactly with the same seed and differs with another', async () => {
    const cfg = config({ trainingExamples: 300, epochs: 2, batchSize: 30, model: withDropout() });
    const a = await run(cfg);
    const b = await run(cfg);
    const c = await run({ ...cfg, seed: 7 });
    [a, b, c].forEach((r) => disposeExperiment(r.exp));
    expect(b.batches.map((x) => x.loss)).toEqual(a.batches.map((x) => x.loss));
    expect(b.epochs.map((e) => e.logs)).toEqual(a.epochs.map((e) => e.logs));
    expect(c.batches.map((x) => x.loss)).not.toEqual(a.batches.map((x) => x.loss));
  });

  it('trains the same on data prepared ahead for another config with the same data key', async () => {
    const cfg = config({ trainingExamples: 300, epochs: 1, batchSize: 30, model: withDropout() });
    const a = await run(cfg);
    // Prepared for other training settings (the worker prepares for the page's settings).
    const ahead = { ...cfg, learningRate: 0.5, epochs: 9, optimizer: 'sgd' as const };
    expect(dataKey(ahead)).toBe(dataKey(cfg));
    const exp = createExperiment(cfg, mnist, prepareData(mnist, ahead));
    const batches: BatchLog[] = [];
    await runExperiment(exp, { callbacks: [{ onBatchEnd: (x) => void batches.push(x) }] });
    [a.exp, exp].forEach(disposeExperiment);
    expect(batches.map((x) => x.loss)).toEqual(a.batches.map((x) => x.loss));
  });

  it('trains with categorical cross-entropy on one-hot labels like the sparse loss', async () => {
    const base = config({ trainingExamples: 200, epochs: 1, batchSize: 20, validationSplit: 0 });
    const sparse = await run(base);
    const onehot = await run({ ...base, loss: 'categoricalCrossentropy', oneHotLabels: true });
    [sparse, onehot].forEach((r) => disposeExperiment(r.exp));
    const s = sparse.batches.map((x) => x.loss);
    onehot.batches.forEach((x, i) => expect(x.loss).toBeCloseTo(s[i]!, 4));
  });

  it('stops between batches when asked, keeping the model', async () => {
    const exp = createExperiment(config({ trainingExamples: 1000, epochs: 5, batchSize: 10 }), mnist);
    let seen = 0;
    let stop = false;
    const result = await runExperiment(exp, {
      control: { isStopRequested: () => stop, waitWhilePaused: async () => {} },
      callbacks: [{ onBatchEnd: () => void (++seen >= 20 && (stop = true)) }],
      flushIntervalMs: 0,
    });
    expect(result.reason).toBe('stopped');
    expect(result.epochsCompleted).toBe(0);
    expect(exp.model.countParams()).toBe(669_706);
    disposeExperiment(exp);
  });
});

describe('experimentProblems', () => {
  it('explains the one-hot mismatch and a broken stack in words', async () => {
    const problems = experimentProblems(
      config({ loss: 'categoricalCrossentropy', model: { layers: [{ type: 'flatten' }, { type: 'conv2d', filters: 8, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' }] } }),
      mnist,
    );
    expect(problems.join('\n')).toMatch(/Conv2D needs an image/);
    expect(problems.join('\n')).toMatch(/one-hot/);
    expect(() => createExperiment(config({ model: { layers: [] } }), mnist)).toThrow(/Add at least one layer/);
  });
});

function withDropout() {
  const spec = presetSpec('mlp', 10);
  spec.layers.splice(2, 0, { type: 'dropout', rate: 0.3 });
  return spec;
}
