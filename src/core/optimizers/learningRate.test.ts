import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createOptimizer, OPTIMIZER_IDS } from './index';
import { getLearningRate, setLearningRate } from './learningRate';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Weights after `steps` optimizer steps on a fixed quadratic loss, starting from the same point. */
function trainWeights(opt: tf.Optimizer, steps: number): number[] {
  const w = tf.variable(tf.tensor1d([1, -2, 0.5]));
  const target = tf.tensor1d([0.3, 0.1, -0.4]);
  for (let i = 0; i < steps; i++) opt.minimize(() => tf.sum(tf.square(tf.sub(w, target))) as tf.Scalar, false, [w]);
  const out = Array.from(w.dataSync());
  tf.dispose([w, target]);
  return out;
}

describe('setLearningRate / getLearningRate on every optimizer of the catalog', () => {
  it.each(OPTIMIZER_IDS)('%s: a rate set later steps exactly like one set at creation', (id) => {
    const fresh = createOptimizer(id, { learningRate: 0.01 });
    const changed = createOptimizer(id, { learningRate: 0.5 });
    expect(getLearningRate(changed)).toBe(0.5);
    setLearningRate(changed, 0.01);
    expect(getLearningRate(changed)).toBe(0.01);
    const a = trainWeights(fresh, 3);
    const b = trainWeights(changed, 3);
    expect(b).toEqual(a);
    // And the rate matters: a different one gives different weights.
    const other = createOptimizer(id, { learningRate: 0.01 });
    setLearningRate(other, 0.02);
    expect(trainWeights(other, 3)).not.toEqual(a);
    [fresh, changed, other].forEach((o) => o.dispose());
  });

  it('does not leak tensors when the rate changes every step (SGD re-creates its scalar)', () => {
    const opt = createOptimizer('sgd', { learningRate: 0.1 });
    const before = tf.memory().numTensors;
    for (let i = 1; i <= 20; i++) setLearningRate(opt, 0.1 / i);
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
  });

  it.each([-0.1, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s', (lr) => {
    const opt = createOptimizer('adam', { learningRate: 0.1 });
    expect(() => setLearningRate(opt, lr)).toThrow(/at least 0/);
    expect(getLearningRate(opt)).toBe(0.1);
    opt.dispose();
  });
});
