import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../testing/datasets';

const values = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37));

async function sumOn(backend: 'cpu' | 'wasm', shape: number[], axis: number | number[], keepDims: boolean) {
  await useBackend(backend);
  const x = tf.tensor(values(shape.reduce((a, b) => a * b, 1)), shape);
  const s = tf.sum(x, axis, keepDims);
  const out = { shape: s.shape, values: Array.from(await s.data()) };
  tf.dispose([x, s]);
  return out;
}

/** Float64 sums over every axis but the last, and the sum of absolute values (error scale). */
function exact(shape: number[]) {
  const c = shape[shape.length - 1]!;
  const v = values(shape.reduce((a, b) => a * b, 1));
  const sum = new Float64Array(c);
  const abs = new Float64Array(c);
  v.forEach((x, i) => {
    sum[i % c] += x;
    abs[i % c] += Math.abs(x);
  });
  return { sum, abs };
}

describe('Sum over leading axes on wasm', () => {
  it.each([
    [[64, 26, 26, 32], [0, 1, 2], false, [32]],
    [[64, 26, 26, 32], [2, 0, 1], true, [1, 1, 1, 32]],
    [[2048, 10], 0, false, [10]],
    [[2048, 10], -2, true, [1, 10]],
    [[8, 10], 0, false, [10]], // small: the original kernel
  ] as const)('shape %j axis %j keepDims %s: as accurate as the cpu backend', async (shape, axis, keepDims, outShape) => {
    const cpu = await sumOn('cpu', [...shape], axis as number | number[], keepDims);
    const before = tf.memory().numTensors;
    const wasm = await sumOn('wasm', [...shape], axis as number | number[], keepDims);
    expect(tf.memory().numTensors).toBe(before);
    expect(wasm.shape).toEqual(outShape);
    const { sum, abs } = exact([...shape]);
    sum.forEach((s, i) => {
      const cpuErr = Math.abs(cpu.values[i]! - s);
      const wasmErr = Math.abs(wasm.values[i]! - s);
      expect(wasmErr).toBeLessThanOrEqual(Math.max(cpuErr, 1e-6 * abs[i]!));
    });
  });

  it('leaves other reductions to the original kernel', async () => {
    await useBackend('wasm');
    const x = tf.tensor(values(4 * 5 * 6), [4, 5, 6]);
    const [a, b] = [tf.sum(x, [1, 2]), tf.sum(x)];
    expect(a.shape).toEqual([4]);
    expect(b.shape).toEqual([]);
    tf.dispose([x, a, b]);
  });
});
