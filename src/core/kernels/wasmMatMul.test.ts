/**
 * The patched wasm matmul must give the same gradients as the cpu backend for every layer
 * type wasm can train, to 1e-4 relative.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { installFastWasmMatMul, matMulPlan } from './wasmMatMul';
import { buildModel } from '../model/build';
import { crossEntropy } from '../training/losses';
import type { LayerSpec } from '../model/types';

installFastWasmMatMul();

/** Loss gradients w.r.t. every trainable weight of `layers` on fixed data, on `backend`. */
async function gradients(backend: 'cpu' | 'wasm', layers: LayerSpec[], inputShape: number[]) {
  await tf.setBackend(backend);
  await tf.ready();
  const model = buildModel({ layers }, inputShape, { seed: 3, numClasses: 10 });
  const n = 16;
  const size = inputShape.reduce((a, b) => a * b, 1);
  const x = tf.tensor(Array.from({ length: n * size }, (_, i) => Math.sin(i * 0.37)), [n, ...inputShape]);
  const y = tf.tensor1d(Array.from({ length: n }, (_, i) => i % 10), 'int32');
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { grads } = tf.variableGrads(() => crossEntropy('sparseCategoricalCrossentropy', y, model.apply(x, { training: true }) as tf.Tensor), vars);
  const out = await Promise.all(vars.map((v) => grads[v.name]!.data()));
  tf.dispose([x, y, ...Object.values(grads)]);
  model.dispose();
  return out.map((d) => Array.from(d));
}

const dense = (units: number, activation: 'relu' | 'softmax' | 'tanh' = 'relu'): LayerSpec => ({ type: 'dense', units, activation });

const CASES: [string, LayerSpec[], number[]][] = [
  ['Dense MLP', [{ type: 'flatten' }, dense(32), dense(16, 'tanh'), dense(10, 'softmax')], [8, 8, 1]],
  ['BatchNormalization', [{ type: 'flatten' }, dense(32), { type: 'batchNormalization', momentum: 0.99, epsilon: 0.001 }, dense(10, 'softmax')], [6, 6, 1]],
  ['Activation + Dropout 0', [{ type: 'flatten' }, dense(24), { type: 'activation', activation: 'sigmoid' }, { type: 'dropout', rate: 0 }, dense(10, 'softmax')], [5, 5, 1]],
  ['MaxPooling2D', [{ type: 'maxPooling2d', poolSize: 2, strides: 2, padding: 'valid' }, { type: 'flatten' }, dense(10, 'softmax')], [8, 8, 2]],
  ['Dense on an image (3-D matmul)', [dense(12), { type: 'flatten' }, dense(10, 'softmax')], [4, 4, 3]],
];

describe('fast wasm BatchMatMul', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
  });

  it.each(CASES)('%s: gradients match the cpu backend', async (_name, layers, shape) => {
    const cpu = await gradients('cpu', layers, shape);
    const wasm = await gradients('wasm', layers, shape);
    expect(wasm.length).toBe(cpu.length);
    cpu.forEach((g, i) => {
      const scale = Math.max(...g.map(Math.abs), 1e-6);
      const worst = Math.max(...g.map((v, j) => Math.abs(v - wasm[i]![j]!)));
      expect(worst / scale, `weight ${i}`).toBeLessThan(1e-4);
    });
  });

  it('matches matMul for every transpose combination and batched operands', async () => {
    await tf.setBackend('wasm');
    const a = tf.tensor(Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 0.1 - 1), [2, 3, 4]);
    const b = tf.tensor(Array.from({ length: 2 * 4 * 5 }, (_, i) => Math.cos(i)), [2, 4, 5]);
    const expected = await tf.matMul(a, b).array();
    const before = tf.memory().numTensors;
    const aT = tf.transpose(a, [0, 2, 1]);
    const bT = tf.transpose(b, [0, 2, 1]);
    for (const [x, y, ta, tb] of [[aT, b, true, false], [a, bT, false, true], [aT, bT, true, true]] as const) {
      const got = tf.matMul(x, y, ta, tb);
      const values = (await got.array()) as number[][][];
      got.dispose();
      values.flat(2).forEach((v, i) => expect(v).toBeCloseTo((expected as number[][][]).flat(2)[i]!, 4));
    }
    tf.dispose([aT, bT]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });

  it('matches the cpu backend in both forms, for every transpose combination', async () => {
    // rows 3 against cols 40: a forward pass with a small batch, where the swapped form wins
    const rows = 3;
    const inner = 7;
    const cols = 40;
    const aData = Array.from({ length: rows * inner }, (_, i) => Math.sin(i * 0.7));
    const bData = Array.from({ length: inner * cols }, (_, i) => Math.cos(i * 0.3));
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      for (const rank of [2, 3]) {
        const shapeA = ta ? [inner, rows] : [rows, inner];
        const shapeB = tb ? [cols, inner] : [inner, cols];
        const lead = rank === 3 ? [1] : [];
        const product = async (backend: 'cpu' | 'wasm') => {
          await tf.setBackend(backend);
          const a = tf.tensor(aData, [...lead, ...shapeA]);
          const b = tf.tensor(bData, [...lead, ...shapeB]);
          const before = tf.memory().numTensors;
          const first = tf.matMul(a, b, ta, tb);
          const second = tf.matMul(a, b, ta, tb); // untransposed b seen before: the direct form
          const out = [first.shape, await first.data(), await second.data()] as const;
          tf.dispose([first, second]);
          expect(tf.memory().numTensors).toBe(before);
          tf.dispose([a, b]);
          return out;
        };
        const [cpuShape, cpu] = await product('cpu');
        const [wasmShape, wasmFirst, wasmSecond] = await product('wasm');
        expect(wasmShape, `ta=${ta} tb=${tb} rank ${rank}`).toEqual(cpuShape);
        for (const got of [wasmFirst, wasmSecond]) {
          got.forEach((v, i) => expect(v, `ta=${ta} tb=${tb} rank ${rank} [${i}]`).toBeCloseTo(cpu[i]!, 4));
        }
      }
    }
  });
});

describe('matMulPlan', () => {
  const plan = (rows: number, inner: number, cols: number, transposeA = false, transposeB = false) =>
    matMulPlan({ rows, inner, cols, transposeA, transposeB });

  it('swaps a forward pass of a small batch through a big weight matrix (packs the batch, not the weights)', () => {
    expect(plan(32, 784, 512)).toBe('swapped');
    expect(plan(128, 784, 512)).toBe('swapped');
  });

  it('swaps the input gradient dy @ W^T, which then needs no transpose at all', () => {
    expect(plan(32, 512, 784, false, true)).toBe('swapped');
  });

  it('keeps the weight gradient x^T @ dy direct: its packed operand is the small dy', () => {
    expect(plan(784, 32, 512, true, false)).toBe('direct');
  });

  it('keeps products with few result columns direct', () => {
    expect(plan(512, 64, 10)).toBe('direct');
    expect(plan(10, 64, 10)).toBe('direct');
  });
});

