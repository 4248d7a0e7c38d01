import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { moments, momentsTensor, packStats, rms, rmsTensor, unpackStats, type LayerStatsSample } from './stats';
import { inspectedLayers } from './probe';
import { train } from '../training/train';

describe('rms and moments (plain numbers)', () => {
  it.each([
    { values: [], rms: 0, mean: 0, std: 0, zero: 0 },
    { values: [3, -4], rms: Math.sqrt(12.5), mean: -0.5, std: 3.5, zero: 0 },
    { values: [1, 0, 0, 1], rms: Math.sqrt(0.5), mean: 0.5, std: 0.5, zero: 0.5 },
    { values: [2, 2, 2], rms: 2, mean: 2, std: 0, zero: 0 },
  ])('$values', ({ values, ...want }) => {
    expect(rms(values)).toBeCloseTo(want.rms, 6);
    const m = moments(values);
    expect(m.mean).toBeCloseTo(want.mean, 6);
    expect(m.std).toBeCloseTo(want.std, 6);
    expect(m.zero).toBeCloseTo(want.zero, 6);
  });
});

describe('tensor versions', () => {
  it('match the plain numbers and pack in STATS_FIELDS order', async () => {
    await tf.setBackend('cpu');
    const values = [1, 0, -2, 0, 3, 0.5];
    const t = tf.tensor2d(values, [2, 3]);
    expect(rmsTensor(t).dataSync()[0]).toBeCloseTo(rms(values), 5);
    const [mean, meanSquare, zero] = momentsTensor(t).dataSync();
    const m = moments(values);
    expect([mean, meanSquare, zero].map((v) => Number(v!.toFixed(5)))).toEqual([m.mean, m.std ** 2 + m.mean ** 2, m.zero].map((v) => Number(v.toFixed(5))));
    // Over the first row only: [1, 0, -2].
    expect(Array.from(momentsTensor(t, 1).dataSync()).map((v) => Number(v.toFixed(5)))).toEqual([-0.33333, 1.66667, 0.33333]);
    const packed = packStats([t], [tf.tensor1d([3, 4])], [momentsTensor(t)]);
    const s = unpackStats(await packed.data(), 7, 1);
    expect(s.step).toBe(7);
    expect(s.gradRms[0]).toBeCloseTo(rms(values), 5);
    expect(s.weightRms[0]).toBeCloseTo(Math.sqrt(12.5), 5);
    expect(s.actZero[0]).toBeCloseTo(1 / 3, 5);
    expect(s.actMean[0]).toBeCloseTo(m.mean, 5);
    expect(s.actStd[0]).toBeCloseTo(m.std, 5);
  });
});

/**
 * x = [1, 2], label 0. Dense(2, relu) W1 = [[1, -1], [0, 0]] → pre [1, -1], h = [1, 0].
 * Dense(2, softmax) W2 = [[1, 0], [0, 0]] → logits [1, 0], p = [0.7311, 0.2689], δ = p - y =
 * [-0.2689, 0.2689]. dW2 = hᵀδ = [[-0.2689, 0.2689], [0, 0]]: RMS 0.2689/√2 = 0.19014.
 * dh = δW2ᵀ = [-0.2689, 0], relu' = [1, 0] → dW1 = xᵀ[-0.2689, 0] = [[-0.2689, 0], [-0.5379, 0]]:
 * RMS √(0.2689² + 0.5379²)/2 = 0.30067. Weight RMS: W1 √(2/4) = 0.70711, W2 √(1/4) = 0.5.
 * Outputs: h = [1, 0] and logits [1, 0]: mean 0.5, std 0.5, half zero.
 */
describe('a sampled step on a tiny network', () => {
  const d = 1 / (1 + Math.E); // 0.2689
  const cases: { field: keyof Omit<LayerStatsSample, 'step' | 'epoch'>; want: [number, number] }[] = [
    { field: 'gradRms', want: [Math.sqrt(d * d + 4 * d * d) / 2, d / Math.SQRT2] },
    { field: 'weightRms', want: [Math.SQRT1_2, 0.5] },
    { field: 'actMean', want: [0.5, 0.5] },
    { field: 'actStd', want: [0.5, 0.5] },
    { field: 'actZero', want: [0.5, 0.5] },
  ];
  const tiny = () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 2, inputShape: [2], activation: 'relu', useBias: false }),
        tf.layers.dense({ units: 2, activation: 'softmax', useBias: false }),
      ],
    });
    model.layers[0]!.setWeights([tf.tensor2d([[1, -1], [0, 0]])]);
    model.layers[1]!.setWeights([tf.tensor2d([[1, 0], [0, 0]])]);
    return model;
  };
  const run = async (inspectEvery: number) => {
    await tf.setBackend('cpu');
    const model = tiny();
    const samples: LayerStatsSample[] = [];
    const x = tf.tensor2d([[1, 2]]);
    const y = tf.tensor1d([0], 'int32');
    const before = tf.memory().numTensors;
    await train({
      model,
      optimizer: tf.train.sgd(0.1),
      loss: 'sparseCategoricalCrossentropy',
      train: { x, y, count: 1 },
      epochs: 2,
      batchSize: 1,
      seed: 1,
      inspectEvery,
      callbacks: [{ onLayerStats: (s) => void samples.push(s) }],
    });
    const leaked = tf.memory().numTensors - before;
    const w2 = model.layers[1]!.getWeights()[0]!.arraySync() as number[][];
    return { samples, leaked, w2, names: inspectedLayers(model).map((l) => l.name), model };
  };

  it.each(cases)('$field', async ({ field, want }) => {
    const { samples } = await run(1);
    expect(samples).toHaveLength(2);
    expect(samples[0]!.step).toBe(0);
    expect(Array.from(samples[0]![field]).map((v) => Number(v.toFixed(4)))).toEqual(want.map((v) => Number(v.toFixed(4))));
  });

  it('takes the same step as without sampling, and frees its tensors', async () => {
    const sampled = await run(1);
    const plain = await run(0);
    expect(plain.samples).toHaveLength(0);
    expect(sampled.names).toHaveLength(2);
    sampled.w2.flat().forEach((v, i) => expect(v).toBeCloseTo(plain.w2.flat()[i]!, 6));
    // After one SGD step of 0.1: W2[0] = [1 + 0.1·0.2689, -0.1·0.2689] (then a second step).
    expect(sampled.w2[1]).toEqual([0, 0]);
    expect(sampled.leaked).toBe(plain.leaked);
  });
});

/**
 * A BatchNormalization row measures gamma. x = [1, 3] (one feature, one batch of 2), labels
 * [0, 1]. BN(ε = 0.001) with gamma 2, beta 0: batch mean 2, variance 1, x̂ = [-a, a] with
 * a = 1/√1.001, outputs y = 2x̂ = [-2a, 2a]. Dense(2, softmax) W = [[1, 0]] → logits [-2a, 0]
 * and [2a, 0]; with σ = sigmoid(2a), δ = (p - onehot)/2 = [-σ, σ]/2 and [σ, -σ]/2.
 * dy = δ·W[0] = [-σ/2, σ/2]; dgamma = Σ dy·x̂ = aσ (dbeta = Σ dy = 0, so a row reading beta
 * shows 0); dW = Σ yᵀδ = [[2aσ, -2aσ]]: RMS 2aσ. Weight RMS: gamma 2 (the moving variance,
 * which starts at 1, would show 1), W √½. Outputs: BN mean 0, std 2a, no zeros; logits mean
 * 0, std √2·a, half zero.
 */
describe('a sampled step through BatchNormalization', () => {
  const a = 1 / Math.sqrt(1.001);
  const sig = 1 / (1 + Math.exp(-2 * a));
  const cases: { field: keyof Omit<LayerStatsSample, 'step' | 'epoch'>; want: [number, number] }[] = [
    { field: 'gradRms', want: [a * sig, 2 * a * sig] },
    { field: 'weightRms', want: [2, Math.SQRT1_2] },
    { field: 'actMean', want: [0, 0] },
    { field: 'actStd', want: [2 * a, Math.SQRT2 * a] },
    { field: 'actZero', want: [0, 0.5] },
  ];
  const run = async () => {
    await tf.setBackend('cpu');
    const model = tf.sequential({
      layers: [
        tf.layers.batchNormalization({ inputShape: [1], epsilon: 0.001 }),
        tf.layers.dense({ units: 2, activation: 'softmax', useBias: false }),
      ],
    });
    // gamma, beta, moving mean, moving variance.
    model.layers[0]!.setWeights([tf.tensor1d([2]), tf.tensor1d([0]), tf.tensor1d([0]), tf.tensor1d([1])]);
    model.layers[1]!.setWeights([tf.tensor2d([[1, 0]])]);
    const samples: LayerStatsSample[] = [];
    await train({
      model,
      optimizer: tf.train.sgd(0.1),
      loss: 'sparseCategoricalCrossentropy',
      train: { x: tf.tensor2d([[1], [3]]), y: tf.tensor1d([0, 1], 'int32'), count: 2 },
      epochs: 1,
      batchSize: 2,
      seed: 1,
      inspectEvery: 1,
      callbacks: [{ onLayerStats: (s) => void samples.push(s) }],
    });
    return { model, samples };
  };

  it('has a row per BatchNormalization layer, named and classed', async () => {
    const { model } = await run();
    expect(inspectedLayers(model).map((l) => [l.kind, l.weight.name.split('/').pop()])).toEqual([
      ['BatchNormalization', 'gamma'],
      ['Dense', 'kernel'],
    ]);
  });

  it.each(cases)('$field', async ({ field, want }) => {
    const { samples } = await run();
    expect(samples).toHaveLength(1);
    expect(Array.from(samples[0]![field]).map((v) => Number(v.toFixed(4)))).toEqual(want.map((v) => Number(v.toFixed(4))));
  });

  it('and the step applied that gradient to gamma', async () => {
    const { model } = await run();
    const gamma = model.layers[0]!.getWeights()[0]!.dataSync()[0]!;
    expect(gamma).toBeCloseTo(2 - 0.1 * a * sig, 5);
  });
});
