/**
 * Fused optimizer steps (wasm) on a real model with several weights: the same weights as the
 * tensor-op rules on the cpu backend, and the inputs (which snapshots may share) untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createOptimizer, type OptimizerId } from './index';
import { installWasmKernels } from '../kernels/install';
import { buildModel } from '../model/build';
import { fusedUpdateCalls } from './fused';

beforeAll(() => installWasmKernels());
afterAll(async () => {
  await tf.setBackend('cpu');
});

async function train(backend: 'cpu' | 'wasm', id: OptimizerId, steps: number) {
  await tf.setBackend(backend);
  const model = buildModel(
    { layers: [{ type: 'flatten' }, { type: 'dense', units: 16, activation: 'relu' }, { type: 'dense', units: 10, activation: 'softmax' }] },
    [4, 4, 1],
    { seed: 5, numClasses: 10 },
  );
  const x = tf.tensor(Array.from({ length: 8 * 16 }, (_, i) => Math.sin(i)), [8, 4, 4, 1]);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = createOptimizer(id, { learningRate: 0.01 });
  const first = vars[0]!.clone(); // shares the weight's buffer until the weight changes
  const firstValues = await first.data();
  for (let k = 0; k < steps; k++) {
    tf.dispose(optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar, true, vars)!);
  }
  const out = await Promise.all(vars.map(async (v) => Array.from(await v.data())));
  expect(Array.from(await first.data()), 'a snapshot taken before training keeps its values').toEqual(Array.from(firstValues));
  tf.dispose([x, y, first]);
  optimizer.dispose();
  model.dispose();
  return out;
}

describe('fused optimizer steps on wasm', () => {
  it.each(['adam', 'rmsprop'] as OptimizerId[])('%s: every weight as on cpu after 5 steps', async (id) => {
    const cpu = await train('cpu', id, 5);
    const calls = fusedUpdateCalls();
    const wasm = await train('wasm', id, 5);
    expect(fusedUpdateCalls() - calls).toBe(5 * 4); // four weights (two kernels, two biases)
    cpu.forEach((w, i) => {
      const scale = Math.max(...w.map(Math.abs));
      const worst = Math.max(...w.map((v, j) => Math.abs(v - wasm[i]![j]!)));
      expect(worst / scale, `weight ${i}`).toBeLessThan(1e-4);
    });
  });
});
