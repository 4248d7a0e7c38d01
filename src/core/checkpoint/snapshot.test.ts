import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { deserializeSnapshot, serializeSnapshot, serializedBytes } from './snapshot';
import { captureSnapshot, restoreSnapshot } from './capture';
import { createOptimizer } from '../optimizers';
import { defaultConfig } from '../training/defaults';
import type { OptimizerId } from '../optimizers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function model(seed: number) {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 4, inputShape: [3], activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
  m.add(tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  return m;
}

/** A few optimizer steps so the slots hold something. */
function steps(m: tf.Sequential, opt: tf.Optimizer, n: number) {
  const x = tf.tensor2d([[1, 2, 3], [0, -1, 2]]);
  const y = tf.tensor2d([[1, 0], [0, 1]]);
  for (let i = 0; i < n; i++) {
    tf.tidy(() => void opt.minimize(() => tf.losses.meanSquaredError(y, m.apply(x) as tf.Tensor) as tf.Scalar));
  }
  tf.dispose([x, y]);
}

const resume = { epoch: 2, step: 7, rng: { shuffle: [1, 2, 3, 4], dropout: [5, 6, 7, 8] }, callbackStates: { es: { best: 0.5 } } };
const history = { epochs: [{ epoch: 0, logs: { loss: 1, acc: 0.5 }, samples: 10, trainMs: 3 }], batches: [] };

describe('snapshot round trip', () => {
  it.each(['adam', 'sgd', 'momentum'] as OptimizerId[])('%s: restored model and optimizer continue exactly, no leaks', async (id) => {
    // tfjs' MomentumOptimizer.dispose() forgets its learning-rate scalar: count that apart.
    const probeStart = tf.memory().numTensors;
    createOptimizer(id, { learningRate: 0.05 }).dispose();
    const ownLeak = tf.memory().numTensors - probeStart;
    const before = tf.memory().numTensors;
    const a = model(1);
    const optA = createOptimizer(id, { learningRate: 0.05 });
    steps(a, optA, 3);
    const snap = await captureSnapshot({ model: a, optimizer: optA, resume, config: defaultConfig(), history });
    const stored = serializeSnapshot(snap);
    expect(serializedBytes(stored)).toBeGreaterThan(stored.data.byteLength);
    const back = deserializeSnapshot(structuredClone(stored));
    expect(back.resume).toEqual(resume);
    expect(back.history).toEqual(history);

    const b = model(99); // different initial weights
    const optB = createOptimizer(id, { learningRate: 0.05 });
    steps(b, optB, 1); // the slots it has are replaced, not leaked
    await restoreSnapshot(b, optB, back);
    steps(a, optA, 2);
    steps(b, optB, 2);
    const wa = a.getWeights().map((t) => Array.from(t.dataSync()));
    const wb = b.getWeights().map((t) => Array.from(t.dataSync()));
    wa.forEach((w, i) => w.forEach((v, j) => expect(wb[i]![j]).toBeCloseTo(v, 6)));
    [a, b].forEach((m) => m.dispose());
    [optA, optB].forEach((o) => o.dispose());
    expect(tf.memory().numTensors).toBe(before + 2 * ownLeak);
  });

  it('refuses a snapshot of another network with a clear message, changing nothing', async () => {
    const a = model(1);
    const opt = createOptimizer('sgd', { learningRate: 0.1 });
    const snap = await captureSnapshot({ model: a, optimizer: opt, resume, config: defaultConfig(), history });
    const other = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [5] })] });
    await expect(restoreSnapshot(other, opt, snap)).rejects.toThrow(/different network/);
    const adam = createOptimizer('adam', { learningRate: 0.1 });
    await expect(restoreSnapshot(a, adam, snap)).rejects.toThrow(/saved with the SGD optimizer/);
    [a, other].forEach((m) => m.dispose());
    [opt, adam].forEach((o) => o.dispose());
  });

  it.each([
    ['another format', (s: ReturnType<typeof serializeSnapshot>) => ({ ...s, manifest: { ...s.manifest, format: 0 } }), /another version/],
    ['truncated data', (s: ReturnType<typeof serializeSnapshot>) => ({ ...s, data: s.data.slice(0, 8) }), /damaged/],
    ['no manifest', (s: ReturnType<typeof serializeSnapshot>) => ({ ...s, manifest: undefined as never }), /another version/],
    ['a bad epoch', (s: ReturnType<typeof serializeSnapshot>) => ({ ...s, manifest: { ...s.manifest, resume: { ...s.manifest.resume, epoch: -1 } } }), /field "resume.epoch" is -1/],
    ['a bad optimizer', (s: ReturnType<typeof serializeSnapshot>) => ({ ...s, manifest: { ...s.manifest, config: { ...s.manifest.config, optimizer: 'lbfgs' as never } } }), /field "config.optimizer" is "lbfgs"/],
    ['a bad weight entry', (s: ReturnType<typeof serializeSnapshot>) => ({ ...s, manifest: { ...s.manifest, weights: [{ ...s.manifest.weights[0]!, dtype: 'float64' as never }] } }), /field "weights.0.dtype" is "float64"/],
    ['a layer of no known kind', (s: ReturnType<typeof serializeSnapshot>) => ({ ...s, manifest: { ...s.manifest, config: { ...s.manifest.config, model: { layers: [{ type: 'lstm' } as never] } } } }), /field "config.model.layers.0.type" is "lstm"/],
  ])('rejects %s', async (_, damage, message) => {
    const a = model(1);
    const opt = createOptimizer('sgd', { learningRate: 0.1 });
    const s = serializeSnapshot(await captureSnapshot({ model: a, optimizer: opt, resume, config: defaultConfig(), history }));
    expect(() => deserializeSnapshot(damage(s))).toThrow(message);
    a.dispose();
    opt.dispose();
  });

  it('gives a config saved before a setting existed that setting’s default', async () => {
    const a = model(1);
    const opt = createOptimizer('sgd', { learningRate: 0.1 });
    const s = serializeSnapshot(await captureSnapshot({ model: a, optimizer: opt, resume, config: defaultConfig(), history }));
    const { earlyStopping: _dropped, ...older } = s.manifest.config;
    const back = deserializeSnapshot({ ...s, manifest: { ...s.manifest, config: older as never } });
    expect(back.config.earlyStopping).toEqual(defaultConfig().earlyStopping);
    expect(back.weights.map((w) => w.name)).toEqual(snapNames(s));
    a.dispose();
    opt.dispose();
  });
});

const snapNames = (s: ReturnType<typeof serializeSnapshot>) => s.manifest.weights.map((w) => w.name);

