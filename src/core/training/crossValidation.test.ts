import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/types';
import { foldEpochs, foldForEpoch, prepareCrossValidation, stratifiedFolds } from './crossValidation';
import { train } from './train';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * `n` 1×1×2 images whose two pixels spell the example's index (i % 256, i / 256), so the raw
 * tensors tell which examples a batch holds; labels 0..2 with unequal class sizes.
 */
function idDataset(n: number): Dataset {
  const images = new Uint8Array(n * 2);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    images[2 * i] = i % 256;
    images[2 * i + 1] = Math.floor(i / 256);
    labels[i] = i % 10 < 5 ? 0 : i % 10 < 8 ? 1 : 2; // 50% / 30% / 20%
  }
  const set = { images, labels, count: n };
  return { id: 'ids', name: 'Ids', shape: [1, 1, 2], classNames: ['a', 'b', 'c'], train: set, test: set };
}
const idsOf = (x: tf.Tensor) => {
  const v = x.dataSync();
  return Array.from({ length: v.length / 2 }, (_, i) => v[2 * i]! + 256 * v[2 * i + 1]!);
};
const settings = { trainingExamples: 300, validationSplit: 0.2, preprocessing: 'raw' as const, oneHotLabels: false, seed: 7, folds: 5 };

describe('stratifiedFolds', () => {
  it.each([
    [300, 5],
    [301, 4],
    [57, 2],
  ])('%i examples into %i folds: disjoint, complete, sizes and class shares within one', (n, k) => {
    const ds = idDataset(n);
    const all = Int32Array.from({ length: n }, (_, i) => i);
    const folds = stratifiedFolds(all, ds.train.labels, 3, k, 1);
    const seen = folds.flatMap((f) => Array.from(f)).sort((a, b) => a - b);
    expect(seen).toEqual(Array.from(all));
    const sizes = folds.map((f) => f.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    for (let c = 0; c < 3; c++) {
      const perFold = folds.map((f) => Array.from(f).filter((i) => ds.train.labels[i] === c).length);
      expect(Math.max(...perFold) - Math.min(...perFold)).toBeLessThanOrEqual(1);
    }
  });

  it('explains an impossible number of folds', () => {
    expect(() => stratifiedFolds(new Int32Array(3), new Int32Array(3), 1, 4, 1)).toThrow(/from 2 to 3/);
  });
});

describe('foldForEpoch', () => {
  it('holds out every fold once per k epochs, never the same twice in a row, from (seed, epoch) alone', () => {
    for (const k of [2, 3, 5]) {
      const seq = Array.from({ length: 6 * k }, (_, e) => foldForEpoch(42, e, k));
      for (let r = 0; r < 6; r++) expect([...seq.slice(r * k, (r + 1) * k)].sort()).toEqual(Array.from({ length: k }, (_, i) => i));
      for (let e = 1; e < seq.length; e++) expect(seq[e]).not.toBe(seq[e - 1]);
      // A resumed run computes epoch e alone and gets the same fold.
      expect(foldForEpoch(42, 4 * k + 1, k)).toBe(seq[4 * k + 1]);
    }
    const other = Array.from({ length: 10 }, (_, e) => foldForEpoch(43, e, 5));
    expect(other).not.toEqual(Array.from({ length: 10 }, (_, e) => foldForEpoch(42, e, 5)));
  });
});

describe('cross-validated training', () => {
  it('validates on a different fold each epoch and never trains on the held-out fold', async () => {
    const before = tf.memory().numTensors;
    const ds = idDataset(1000);
    const data = prepareCrossValidation(ds, settings);
    expect(data.train.count).toBe(300); // train + validation split pooled
    expect(data.validation).toBeNull();
    const pooledIds = idsOf(data.train.x);
    const pooledLabels = Array.from(data.train.y.dataSync());
    pooledIds.forEach((id, row) => expect(pooledLabels[row]).toBe(ds.train.labels[id]));

    const plans = foldEpochs(data.train, data.folds, settings.seed);
    const held: number[][] = [];
    const trained: Set<number>[] = [];
    const epochData = (epoch: number) => {
      const plan = plans(epoch);
      held[epoch] = idsOf(plan.validation!.x);
      trained[epoch] = new Set();
      return plan;
    };
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [1, 1, 2] }), tf.layers.dense({ units: 3, activation: 'softmax' })] });
    const optimizer = tf.train.sgd(1e-6);
    const valLosses: (number | undefined)[] = [];
    await train({
      model,
      optimizer,
      loss: 'sparseCategoricalCrossentropy',
      train: data.train,
      epochs: 5,
      batchSize: 16,
      seed: settings.seed,
      epochData,
      transformBatch: (x, info) => {
        idsOf(x).forEach((id) => trained[info.epoch]!.add(id));
        return x;
      },
      callbacks: [{ onEpochEnd: (s) => void valLosses.push(s.logs.val_loss) }],
    });

    expect(valLosses.every((v) => Number.isFinite(v))).toBe(true);
    for (let e = 0; e < 5; e++) {
      expect(held[e]!.length).toBe(60);
      for (const id of held[e]!) expect(trained[e]!.has(id)).toBe(false);
      expect(trained[e]!.size + held[e]!.length).toBe(300); // everything else was trained on
      const shares = [0, 1, 2].map((c) => held[e]!.filter((id) => ds.train.labels[id] === c).length);
      expect(shares).toEqual([30, 18, 12]);
    }
    // Five epochs, five different folds: together they cover every example exactly once.
    expect(held.flat().sort((a, b) => a - b)).toEqual([...pooledIds].sort((a, b) => a - b));

    model.dispose();
    optimizer.dispose();
    data.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
