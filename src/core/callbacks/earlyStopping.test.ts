import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { earlyStopping, type EarlyStoppingOptions } from './earlyStopping';
import { testContext } from '../testing/trainContext';
import { useBackend } from '../testing/datasets';
import { train } from '../training/train';
import type { EpochLogs, TrainContext } from './types';

/** Feeds `values` as the monitored metric, one per epoch; returns the 1-based stop epoch or null. */
async function stopEpoch(values: number[], opts: EarlyStoppingOptions, key: keyof EpochLogs = 'val_loss') {
  const cb = earlyStopping(opts);
  const ctx = testContext({ epochs: values.length });
  await cb.onTrainBegin!(ctx);
  for (let e = 0; e < values.length && !ctx.stopTraining; e++) {
    const logs: EpochLogs = { loss: 1, acc: 0.5, [key]: values[e] };
    await cb.onEpochEnd!({ epoch: e, logs, samples: 1, trainMs: 1, numTensors: 0 }, ctx);
    if (ctx.stopTraining) return { stop: e + 1, ctx, cb };
  }
  return { stop: null, ctx, cb };
}

describe('earlyStopping: when it stops (Keras semantics)', () => {
  it.each([
    // values, options, expected 1-based stop epoch (null = runs to the end)
    [[1, 0.9, 0.8, 0.7], { patience: 1 }, null],
    [[1, 0.9, 0.95, 0.96], { patience: 2 }, 4],
    [[1, 0.9, 0.95, 0.85, 0.9, 0.91], { patience: 2 }, 6],
    [[1, 1.1], { patience: 0 }, 2],
    [[1, 1.1], { patience: 1 }, 2],
    [[1, 1.1, 1.2], { patience: 3 }, null],
    // min_delta: 0.95 -> 0.9 is an improvement of 0.05, not more than 0.1
    [[1, 0.95, 0.9, 0.88], { patience: 3, minDelta: 0.1 }, null], // 0.88 beats 1 by more than 0.1
    [[1, 0.95, 0.9, 0.88], { patience: 2, minDelta: 0.1 }, 3],
    // mode max (accuracies rise)
    [[0.5, 0.6, 0.6, 0.59], { patience: 2, mode: 'max' }, 4],
    // baseline: improving on the best but not on the baseline keeps counting
    // (as in Keras, an epoch that improves never stops the run, even above the baseline)
    [[1, 0.9, 0.8, 0.7], { patience: 2, baseline: 0.5 }, null],
    [[1, 0.9, 0.95], { patience: 2, baseline: 0.5 }, 3],
    [[1, 0.9, 0.4, 0.45, 0.46], { patience: 2, baseline: 0.5 }, 5],
    // NaN never improves
    [[1, Number.NaN, Number.NaN], { patience: 2 }, 3],
  ] as [number[], EarlyStoppingOptions, number | null][])('%j with %j stops at %s', async (values, opts, expected) => {
    const { stop } = await stopEpoch(values, opts);
    expect(stop).toBe(expected);
  });

  it('watches the monitor it is given, with mode auto for accuracies', async () => {
    const { stop, ctx } = await stopEpoch([0.5, 0.7, 0.69, 0.68], { monitor: 'val_acc', patience: 2 }, 'val_acc');
    expect(stop).toBe(4);
    expect(ctx.stopMessage).toMatch(/validation accuracy has not improved for 2 epochs since its best, 0\.700 at epoch 2/);
    expect(ctx.events.map((e) => [e.kind, e.epoch])).toEqual([['earlyStop', 4]]);
  });

  it('says when the baseline was never beaten', async () => {
    const { ctx } = await stopEpoch([1, 0.9, 0.95], { patience: 2, baseline: 0.5 });
    expect(ctx.stopMessage).toMatch(/validation loss never beat the baseline 0\.500 \(best 0\.900 at epoch 2\)/);
  });

  it('ignores epochs without the monitored metric', async () => {
    const { stop } = await stopEpoch([1, 2, 3], { monitor: 'val_loss', patience: 0 }, 'acc');
    expect(stop).toBeNull();
  });

  it('resets itself in onTrainBegin and keeps its state through getState/setState', async () => {
    const { cb } = await stopEpoch([1, 0.8, 0.9], { patience: 5 });
    expect(cb.getState()).toEqual({ best: 0.8, bestEpoch: 1, wait: 1 });
    const resumed = earlyStopping({ patience: 2 });
    const ctx = testContext();
    await resumed.onTrainBegin!(ctx);
    resumed.setState(cb.getState());
    await resumed.onEpochEnd!({ epoch: 3, logs: { loss: 1, acc: 0, val_loss: 0.95 }, samples: 1, trainMs: 1, numTensors: 0 }, ctx);
    expect(ctx.stopTraining).toBe(true); // wait was 1 before the resume, 2 now
    await resumed.onTrainBegin!(ctx);
    expect(resumed.getState()).toEqual({ best: null, bestEpoch: -1, wait: 0 });
  });
});

describe('earlyStopping on a real model (cpu backend)', () => {
  beforeAll(() => useBackend('cpu'));

  function setup(seed = 1) {
    const model = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [4, 4, 1] }),
        tf.layers.dense({ units: 8, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
        tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
      ],
    });
    const x = tf.randomUniform([60, 4, 4, 1], 0, 1, 'float32', seed);
    const y = tf.tensor1d(Array.from({ length: 60 }, (_, i) => i % 3), 'int32');
    const optimizer = tf.train.sgd(0.5); // no slot variables: numTensors is the model plus our copies
    return { model, optimizer, data: { x, y, count: 60 }, free: () => (model.dispose(), optimizer.dispose(), tf.dispose([x, y])) };
  }

  /** Records every epoch's weights as plain arrays, after the callbacks before it ran. */
  const recorder = (out: Float32Array[][]) => ({
    onEpochEnd: (_: unknown, ctx: TrainContext) => void out.push(ctx.model.getWeights().map((w) => w.dataSync() as Float32Array)),
  });

  it('stops early and restores the best epoch\'s weights exactly, leaking no tensor', async () => {
    const { model, optimizer, data, free } = setup();
    const before = tf.memory().numTensors;
    const seen: Float32Array[][] = [];
    const events: string[] = [];
    // Training loss falls every epoch, so under mode max its best is epoch 1: a stop after
    // epoch 3 with the weights of epoch 1 put back, whatever the random data.
    const cb = earlyStopping({ monitor: 'loss', mode: 'max', patience: 2, restoreBestWeights: true });
    const result = await train({
      model, optimizer, loss: 'sparseCategoricalCrossentropy', train: data, epochs: 10, batchSize: 20, seed: 3,
      callbacks: [cb, recorder(seen)], onEvent: (e) => events.push(`${e.kind}@${e.epoch}`),
    });
    expect(result.reason).toBe('callback');
    expect(result.epochsCompleted).toBe(3);
    expect(result.message).toMatch(/Stopped early after epoch 3.*Restored the weights of epoch 1/);
    expect(events).toEqual(['earlyStop@3', 'bestEpoch@1', 'restoredBest@3']);
    const now = model.getWeights().map((w) => w.dataSync());
    expect(now).toEqual(seen[0]);
    expect(now).not.toEqual(seen[2]);
    expect(cb.getBestWeights()).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
    free();
  });

  it('restores the best weights at the end of a full run too, and says so', async () => {
    const { model, optimizer, data, free } = setup(5);
    const before = tf.memory().numTensors;
    const seen: Float32Array[][] = [];
    const cb = earlyStopping({ monitor: 'loss', mode: 'max', patience: 50, restoreBestWeights: true, remeasure: async () => 0.5 });
    const result = await train({
      model, optimizer, loss: 'sparseCategoricalCrossentropy', train: data, epochs: 3, batchSize: 30, seed: 3,
      callbacks: [cb, recorder(seen)],
    });
    expect(result.reason).toBe('completed');
    expect(result.message).toMatch(/Restored the weights of epoch 1 .*moved on from its best epoch.*Measured again after restoring: 0\.500/);
    expect(model.getWeights().map((w) => w.dataSync())).toEqual(seen[0]);
    expect(tf.memory().numTensors).toBe(before);
    free();
  });

  it('after a resume without the best weights, restores the best since the resume and says so', async () => {
    const { model, optimizer, free } = setup(9);
    const cb = earlyStopping({ monitor: 'loss', patience: 5, restoreBestWeights: true });
    const events: string[] = [];
    const ctx = { model, optimizer, epochs: 10, batchesPerEpoch: 1, stopTraining: false, emit: (e: { message: string }) => void events.push(e.message) };
    const before = tf.memory().numTensors;
    const end = (epoch: number) => cb.onEpochEnd!({ epoch, logs: { loss: 1, acc: 0 }, samples: 1, trainMs: 1, numTensors: 0 }, ctx);
    await cb.onTrainBegin!(ctx);
    cb.setState({ best: 0.1, bestEpoch: 1, wait: 0 });
    await end(3);
    const atEpoch4 = model.getWeights().map((w) => w.dataSync());
    await cb.onBatchBegin!({ epoch: 4, batch: 0, step: 0 }, ctx);
    const ones = model.getWeights().map((w) => tf.onesLike(w)); // a training step, by hand
    model.setWeights(ones);
    tf.dispose(ones);
    await end(4);
    await cb.onTrainEnd!('completed', ctx);
    expect(model.getWeights().map((w) => w.dataSync())).toEqual(atEpoch4);
    expect(events.at(-1)).toMatch(/Restored the weights of epoch 4, the best since the run resumed; the best epoch, 2 \(training loss 0\.100\), came before/);
    expect(cb.getState()).toMatchObject({ best: 0.1, bestEpoch: 1 });
    expect(tf.memory().numTensors).toBe(before);
    free();
  });

  it('restores after Stop too, keeping what Stop says', async () => {
    const { model, optimizer, data, free } = setup(11);
    let stop = false;
    const cb = earlyStopping({ monitor: 'loss', mode: 'max', patience: 50, restoreBestWeights: true });
    const result = await train({
      model, optimizer, loss: 'sparseCategoricalCrossentropy', train: data, epochs: 10, batchSize: 30, seed: 3,
      callbacks: [cb, { onEpochEnd: (s) => void (stop = s.epoch === 2) }],
      control: { isStopRequested: () => stop, waitWhilePaused: async () => {} },
    });
    expect(result.reason).toBe('stopped');
    expect(result.message).toMatch(/^Stopped after 3 complete epochs; the curves are kept\. Restored the weights of epoch 1 /);
    free();
  });

  it('leaves the model alone when the last epoch is the best, and frees its copies on dispose', async () => {
    const { model, optimizer, data, free } = setup(7);
    const cb = earlyStopping({ monitor: 'loss', patience: 5, restoreBestWeights: true });
    const ctx = { model, optimizer, epochs: 2, batchesPerEpoch: 1, stopTraining: false, emit: () => {} };
    const before = tf.memory().numTensors;
    await cb.onTrainBegin!(ctx);
    await cb.onEpochEnd!({ epoch: 0, logs: { loss: 1, acc: 0 }, samples: 1, trainMs: 1, numTensors: 0 }, ctx);
    expect(cb.getBestWeights()).toHaveLength(model.getWeights().length);
    expect(tf.memory().numTensors).toBe(before + model.getWeights().length);
    cb.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const seen: Float32Array[][] = [];
    const result = await train({
      model, optimizer, loss: 'sparseCategoricalCrossentropy', train: data, epochs: 3, batchSize: 30, seed: 3,
      callbacks: [cb, recorder(seen)],
    });
    expect(result.message).toBeUndefined();
    expect(model.getWeights().map((w) => w.dataSync())).toEqual(seen[2]);
    expect(tf.memory().numTensors).toBe(before);
    free();
  });
});
