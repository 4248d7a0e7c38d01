/**
 * Every optimizer against the reference: 20 full-gradient steps on
 * loss(w) = ½·Σ(Aw − b)², computed in float64 with tf.keras' rules (reference/README.md).
 * Our float32 steps must stay within 1e-5 of every point of the trajectory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import reference from './reference/optimizer-trajectories.json';
import { createOptimizer, OPTIMIZER_IDS, type OptimizerId } from './index';
import { installWasmKernels } from '../kernels/install';
import { fusedUpdateCalls } from './fused';

interface Reference {
  problem: { A: number[][]; b: number[]; w0: number[] };
  steps: number;
  optimizers: Record<string, { hyperparameters: Record<string, number> & { learningRate: number }; trajectory: number[][] }>;
}
const ref = reference as Reference;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Runs `steps` optimizer steps from w0 and returns w after each. */
export function runTrajectory(id: OptimizerId, hyperparameters: Record<string, number> & { learningRate: number }, steps: number) {
  const A = tf.tensor2d(ref.problem.A);
  const b = tf.tensor1d(ref.problem.b);
  const w = tf.tidy(() => tf.variable(tf.tensor1d(ref.problem.w0)));
  const opt = createOptimizer(id, hyperparameters);
  const out: number[][] = [];
  for (let k = 0; k < steps; k++) {
    opt.minimize(() => tf.mul(0.5, tf.sum(tf.square(tf.sub(tf.squeeze(tf.matMul(A, tf.expandDims(w, 1)), [1]), b)))) as tf.Scalar, false, [w]);
    out.push(Array.from(w.dataSync()));
  }
  opt.dispose();
  tf.dispose([A, b, w]);
  return out;
}

describe('optimizer trajectories match the float64 reference to 1e-5', () => {
  it('covers all ten optimizers', () => {
    expect(Object.keys(ref.optimizers).sort()).toEqual([...OPTIMIZER_IDS].sort());
  });

  it.each(OPTIMIZER_IDS)('%s', (id) => {
    const { hyperparameters, trajectory } = ref.optimizers[id]!;
    const before = tf.memory().numTensors;
    const got = runTrajectory(id, hyperparameters, ref.steps);
    expect(tf.memory().numTensors).toBe(before);
    let worst = 0;
    trajectory.forEach((point, k) => point.forEach((v, j) => (worst = Math.max(worst, Math.abs(got[k]![j]! - v)))));
    expect(worst).toBeLessThan(1e-5);
    // Not a trivial pass: the weights really moved.
    expect(Math.abs(trajectory.at(-1)![0]! - ref.problem.w0[0]!)).toBeGreaterThan(1e-3);
  });
});

/** The optimizers with a fused one-pass step on wasm (./fused.ts). */
const FUSED: OptimizerId[] = ['adam'];

describe('on wasm, the fused steps follow the same reference to 1e-5', () => {
  beforeAll(async () => {
    installWasmKernels();
    await tf.setBackend('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(FUSED)('%s', (id) => {
    const { hyperparameters, trajectory } = ref.optimizers[id]!;
    const before = tf.memory().numTensors;
    const calls = fusedUpdateCalls();
    const got = runTrajectory(id, hyperparameters, ref.steps);
    // One fused step per optimizer step (one weight): the tensor-op rule did not run.
    expect(fusedUpdateCalls() - calls).toBe(ref.steps);
    expect(tf.memory().numTensors).toBe(before);
    let worst = 0;
    trajectory.forEach((point, k) => point.forEach((v, j) => (worst = Math.max(worst, Math.abs(got[k]![j]! - v)))));
    expect(worst).toBeLessThan(1e-5);
  });
});
