import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import reference from './reference/optimizer-trajectories.json';
import {
  createOptimizer,
  getLearningRate,
  hyperparameterProblem,
  OPTIMIZER_CATALOG,
  OPTIMIZER_IDS,
  resolveHyperparameters,
  setLearningRate,
  type OptimizerId,
} from './index';

const { A, b, w0 } = reference.problem;
const hp = (id: OptimizerId) =>
  (reference.optimizers as Record<string, { hyperparameters: Record<string, number> & { learningRate: number } }>)[id]!.hyperparameters;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A least-squares problem with two weights (a matrix and a bias), so slot order matters. */
function problem(start: { w: number[]; c: number } = { w: w0, c: 0.2 }) {
  const a = tf.tensor2d(A);
  const target = tf.tensor1d(b);
  const w = tf.tidy(() => tf.variable(tf.tensor2d(start.w, [4, 1])));
  const c = tf.tidy(() => tf.variable(tf.scalar(start.c)));
  const loss = () =>
    tf.tidy(() => tf.mul(0.5, tf.sum(tf.square(tf.sub(tf.add(tf.squeeze(tf.matMul(a, w), [1]), c), target)))) as tf.Scalar);
  const step = (opt: tf.Optimizer, n: number) => {
    for (let i = 0; i < n; i++) opt.minimize(loss, false, [w, c]);
  };
  const values = () => ({ w: Array.from(w.dataSync()), c: c.dataSync()[0]! });
  return { step, values, dispose: () => tf.dispose([a, target, w, c]) };
}

/** What a checkpoint does: copy every saved tensor to plain arrays (as storage would). */
async function snapshot(opt: tf.Optimizer) {
  const weights = await opt.getWeights();
  const saved = await Promise.all(
    weights.map(async (nt) => ({ name: nt.name, shape: nt.tensor.shape, dtype: nt.tensor.dtype, data: Array.from(await nt.tensor.data()) })),
  );
  weights[0]!.tensor.dispose(); // the iteration count is a fresh tensor; the slots are the optimizer's own
  return saved;
}

describe('optimizer state survives getWeights → fresh optimizer → setWeights', () => {
  it.each(OPTIMIZER_IDS)('%s: 4 steps, restore, 6 steps equals 10 uninterrupted steps', async (id) => {
    const before = tf.memory().numTensors;
    const straight = problem();
    const o1 = createOptimizer(id, hp(id));
    straight.step(o1, 10);
    const expected = straight.values();

    const first = problem();
    const o2 = createOptimizer(id, hp(id));
    first.step(o2, 4);
    const saved = await snapshot(o2);
    const mid = first.values();
    // The iteration count is saved (every rule that needs t gets it back).
    expect(saved[0]).toMatchObject({ name: 'iter', data: [4] });

    const resumed = problem(mid);
    const o3 = createOptimizer(id, hp(id));
    const tensors = saved.map((s) => ({ name: s.name, tensor: tf.tensor(s.data, s.shape, s.dtype as tf.DataType) }));
    await o3.setWeights(tensors);
    tf.dispose(tensors.map((t) => t.tensor));
    expect(o3.iterations).toBe(4);
    resumed.step(o3, 6);
    const got = resumed.values();

    got.w.forEach((v, i) => expect(v).toBeCloseTo(expected.w[i]!, 6));
    expect(got.c).toBeCloseTo(expected.c, 6);
    // A restore that forgot the state would land elsewhere: check the problem can tell.
    const fresh = problem(mid);
    const o4 = createOptimizer(id, hp(id));
    fresh.step(o4, 6);
    const forgot = fresh.values();
    if (id !== 'sgd') expect(Math.max(...forgot.w.map((v, i) => Math.abs(v - expected.w[i]!)))).toBeGreaterThan(1e-5);

    [o1, o2, o3, o4].forEach((o) => o.dispose());
    [straight, first, resumed, fresh].forEach((p) => p.dispose());
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses state saved by an optimizer with a different number of slots, in words', async () => {
    const p = problem();
    const adam = createOptimizer('adam', hp('adam'));
    p.step(adam, 1);
    const weights = await adam.getWeights();
    const nadam = createOptimizer('amsgrad', hp('amsgrad'));
    await expect(nadam.setWeights(weights)).rejects.toThrow(/saved by a different optimizer/);
    weights[0]!.tensor.dispose();
    [adam, nadam].forEach((o) => o.dispose());
    p.dispose();
  });
});

describe('getLearningRate / setLearningRate', () => {
  it.each(OPTIMIZER_IDS)('%s: the first step scales with the learning rate set', (id) => {
    // On the first step every rule moves the weights by exactly lr × (something independent of lr).
    const delta = (change?: number) => {
      const p = problem();
      const opt = createOptimizer(id, { ...hp(id), learningRate: 0.01 });
      if (change !== undefined) setLearningRate(opt, change);
      p.step(opt, 1);
      const moved = p.values().w.map((v, i) => v - w0[i]!);
      const lr = getLearningRate(opt);
      opt.dispose();
      p.dispose();
      return { moved, lr };
    };
    const base = delta();
    const changed = delta(0.002);
    expect(base.lr).toBe(0.01);
    expect(changed.lr).toBe(0.002);
    base.moved.forEach((m, i) => {
      expect(Math.abs(m)).toBeGreaterThan(1e-6);
      expect(changed.moved[i]!).toBeCloseTo(m * 0.2, 6);
    });
  });

  it('changes the step size mid-run (SGD keeps a cached tensor of it)', () => {
    const p = problem();
    const opt = createOptimizer('sgd', { learningRate: 0.01 });
    p.step(opt, 1);
    const before = tf.memory().numTensors;
    setLearningRate(opt, 0);
    expect(tf.memory().numTensors).toBe(before);
    const frozen = p.values();
    p.step(opt, 1);
    expect(p.values()).toEqual(frozen);
    opt.dispose();
    p.dispose();
  });
});

describe('serialization', () => {
  it.each(OPTIMIZER_IDS)('%s: getConfig → registered class → fromConfig gives the same settings', (id) => {
    const opt = createOptimizer(id, hp(id));
    const cls = opt.constructor as unknown as tf.serialization.SerializableConstructor<tf.Optimizer> & { className: string };
    const registered = tf.serialization.SerializationMap.getMap().classNameMap[cls.className];
    expect(registered).toBeDefined();
    const copy = registered![1](registered![0] as never, opt.getConfig()) as tf.Optimizer;
    expect(copy.getConfig()).toEqual(opt.getConfig());
    expect(copy.getClassName()).toBe(opt.getClassName());
    opt.dispose();
    copy.dispose();
  });
});

describe('catalog', () => {
  it('lists the ten optimizers in the chapter order', () => {
    expect(OPTIMIZER_IDS).toEqual(['sgd', 'momentum', 'nesterov', 'adagrad', 'adadelta', 'rmsprop', 'adam', 'adamax', 'amsgrad', 'nadam']);
  });
  it.each(OPTIMIZER_IDS)('%s: every default has a form field and lies in its range', (id) => {
    const info = OPTIMIZER_CATALOG[id];
    expect(info.params.map((p) => p.key).sort()).toEqual(Object.keys(info.defaults).sort());
    for (const p of info.params) expect(hyperparameterProblem(info, p, info.defaults[p.key]!)).toBeNull();
    expect(info.description.length).toBeGreaterThan(20);
  });
  it.each([
    ['adam', 'beta1', 1, /Adam's Beta 1 must be a number at least 0 and below 1; its usual value is 0.9/],
    ['adam', 'epsilon', 0, /Epsilon must be a number above 0 and at most 1/],
    ['momentum', 'momentum', -0.1, /Momentum's Momentum must be/],
    ['adagrad', 'initialAccumulatorValue', Number.NaN, /Initial accumulator value/],
  ] as const)('%s %s = %s is explained', (id, key, value, message) => {
    const info = OPTIMIZER_CATALOG[id];
    expect(hyperparameterProblem(info, info.params.find((p) => p.key === key)!, value)).toMatch(message);
  });
  it('overrides apply only to the chosen optimizer’s own hyperparameters', () => {
    expect(resolveHyperparameters('nadam', { beta1: 0.8, momentum: 0.5 })).toEqual({ beta1: 0.8, beta2: 0.999, epsilon: 1e-7 });
  });
  it('createOptimizer uses the overrides', () => {
    const opt = createOptimizer('nadam', { learningRate: 0.01, beta1: 0.8 });
    expect(opt.getConfig()).toMatchObject({ learningRate: 0.01, beta1: 0.8, beta2: 0.999 });
    opt.dispose();
  });
});

describe('epsilon is added outside the square root, as Keras does', () => {
  // Gradient at w0 of ½·Σ(Aw − b)², computed in float64.
  const r = A.map((row, i) => row.reduce((s, a, j) => s + a * w0[j]!, 0) - b[i]!);
  const g = w0.map((_, j) => A.reduce((s, row, i) => s + row[j]! * r[i]!, 0));
  it.each([
    ['rmsprop', { rho: 0.9, epsilon: 1 }, (gj: number) => (0.1 * gj) / (Math.sqrt(0.1 * gj * gj) + 1)],
    ['adagrad', { initialAccumulatorValue: 0.1, epsilon: 1 }, (gj: number) => (0.1 * gj) / (Math.sqrt(0.1 + gj * gj) + 1)],
  ] as const)('%s with epsilon 1', (id, params, step) => {
    const w = tf.tidy(() => tf.variable(tf.tensor1d(w0)));
    const opt = createOptimizer(id, { learningRate: 0.1, ...params });
    const a = tf.tensor2d(A);
    const target = tf.tensor1d(b);
    opt.minimize(() => tf.mul(0.5, tf.sum(tf.square(tf.sub(tf.squeeze(tf.matMul(a, tf.expandDims(w, 1)), [1]), target)))) as tf.Scalar, false, [w]);
    Array.from(w.dataSync()).forEach((v, j) => expect(v).toBeCloseTo(w0[j]! - step(g[j]!), 6));
    opt.dispose();
    tf.dispose([w, a, target]);
  });
});
