import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { train, batchesInEpoch } from './train';
import type { BatchLog, EpochSummary } from '../callbacks/types';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('steps per epoch', () => {
  it.each([
    [100, 10, null, 10],
    [100, 10, 3, 3],
    [95, 10, 20, 10],
    [1, 1, null, 1],
  ])('%i examples, batch %i, steps %s → %i batches', (n, b, steps, expected) => {
    expect(batchesInEpoch(n, b, steps)).toBe(expected);
  });

  it('draws only N random batches per epoch, different each epoch, and reports N as batchesPerEpoch', async () => {
    const n = 100;
    const x = tf.tidy(() => tf.reshape(tf.range(0, n), [n, 1, 1, 1]));
    const y = tf.tidy(() => tf.cast(tf.mod(tf.range(0, n), 2), 'int32'));
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [1, 1, 1] }), tf.layers.dense({ units: 2, activation: 'softmax' })] });
    const optimizer = tf.train.sgd(1e-4);
    const seen: number[][] = [[], [], []];
    const batches: BatchLog[] = [];
    const epochs: EpochSummary[] = [];
    const reported: number[] = [];
    await train({
      model,
      optimizer,
      loss: 'sparseCategoricalCrossentropy',
      train: { x, y, count: n },
      epochs: 3,
      batchSize: 10,
      seed: 3,
      stepsPerEpoch: 3,
      transformBatch: (xb, info) => {
        seen[info.epoch]!.push(...Array.from(xb.dataSync()));
        return xb;
      },
      callbacks: [
        {
          onBatchEnd: (b, ctx) => void (batches.push(b), reported.push(ctx.batchesPerEpoch)),
          onEpochEnd: (s) => void epochs.push(s),
        },
      ],
    });
    expect(batches.map((b) => b.batch)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2]);
    expect(batches.map((b) => b.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(reported)).toEqual(new Set([3]));
    expect(epochs.map((e) => e.samples)).toEqual([30, 30, 30]);
    for (const ids of seen) {
      expect(new Set(ids).size).toBe(30); // no example twice within an epoch
      expect(ids.some((id) => id >= 30)).toBe(true); // random, not the first 30
    }
    expect(seen[0]).not.toEqual(seen[1]);
    model.dispose();
    optimizer.dispose();
    tf.dispose([x, y]);
  });
});
