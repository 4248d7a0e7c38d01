/**
 * The patched wasm matmul must give the same gradients as the cpu backend for every layer
 * type wasm can train, to 1e-4 relative.
 */
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { installFastWasmMatMul, matMulPlan, ROWS_MATMUL_MAX, setRowsMatMulMax } from './wasmMatMul';
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
    // (with the row loops of simd/rows.wat off; they are tested below)
    const limit = ROWS_MATMUL_MAX;
    setRowsMatMulMax(0);
    onTestFinished(() => setRowsMatMulMax(limit));
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

describe('the SIMD row loops (simd/rows.wat) for few rows', () => {
  const values = (n: number, k: number, zeros = false) =>
    Array.from({ length: n }, (_, i) => (zeros && i % 3 === 0 ? 0 : Math.sin(i * 0.37 + k) * (1 + (i % 7))));

  it.each([
    // rows, inner, cols: batch 1 to the limit; inner and cols not multiples of 16 (the 4-float tails)
    [1, 784, 512],
    [2, 36, 20],
    [3, 20, 36],
    [ROWS_MATMUL_MAX, 52, 12],
  ])('%i × %i times %i columns: a·b and a·b^T match the cpu backend, zeros in a included', async (rows, inner, cols) => {
    for (const transposeB of [false, true]) {
      const aData = values(rows * inner, 1, true);
      const bData = values(inner * cols, 2);
      const product = async (backend: 'cpu' | 'wasm') => {
        await tf.setBackend(backend);
        const a = tf.tensor(aData, [rows, inner]);
        const b = tf.tensor(bData, transposeB ? [cols, inner] : [inner, cols]);
        const before = tf.memory().numTensors;
        const out = tf.matMul(a, b, false, transposeB);
        const result = [out.shape, await out.data()] as const;
        tf.dispose([out]);
        expect(tf.memory().numTensors).toBe(before);
        tf.dispose([a, b]);
        return result;
      };
      const [cpuShape, cpu] = await product('cpu');
      const [wasmShape, wasm] = await product('wasm');
      expect(wasmShape).toEqual(cpuShape);
      const scale = Math.max(...cpu.map(Math.abs));
      const worst = Math.max(...cpu.map((v, i) => Math.abs(v - wasm[i]!)));
      expect(worst / scale, `transposeB=${transposeB}`).toBeLessThan(1e-5);
    }
  });

  it('falls back to XNNPACK where the loops cannot take the shape (cols or inner not a multiple of 4)', async () => {
    for (const [inner, cols, transposeB] of [[8, 10, false], [10, 8, true]] as const) {
      const a = tf.tensor(values(2 * inner, 3), [2, inner]);
      const b = tf.tensor(values(inner * cols, 4), transposeB ? [cols, inner] : [inner, cols]);
      await tf.setBackend('cpu');
      const ca = tf.tensor(values(2 * inner, 3), [2, inner]);
      const cb = tf.tensor(values(inner * cols, 4), transposeB ? [cols, inner] : [inner, cols]);
      const expected = await tf.matMul(ca, cb, false, transposeB).data();
      await tf.setBackend('wasm');
      const got = await tf.matMul(a, b, false, transposeB).data();
      got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 4));
    }
  });

  it('times the chapter MLP shapes against XNNPACK (printed; the limit is chosen from it)', async () => {
    await tf.setBackend('wasm');
    const limit = ROWS_MATMUL_MAX;
    onTestFinished(() => setRowsMatMulMax(limit));
    const w = tf.tensor(values(784 * 512, 5), [784, 512]);
    const report: string[] = [];
    for (const rows of [1, 2, 4, 8, 16, 32]) {
      const x = tf.tensor(values(rows * 784, 6, true), [rows, 784]);
      const dy = tf.tensor(values(rows * 512, 7), [rows, 512]);
      const ms: number[] = [];
      for (const max of [0, 64]) {
        setRowsMatMulMax(max);
        const step = (i: number) => {
          // a fresh weight each step, as in training (XNNPACK cannot reuse a packing)
          const wi = tf.add(w, i);
          tf.dispose([tf.matMul(x, wi), tf.matMul(dy, wi, false, true), wi]);
        };
        for (let i = 0; i < 3; i++) step(i);
        const t0 = performance.now();
        for (let i = 0; i < 20; i++) step(i);
        ms.push((performance.now() - t0) / 20);
      }
      report.push(`rows ${rows}: XNNPACK ${ms[0]!.toFixed(2)} ms, row loops ${ms[1]!.toFixed(2)} ms`);
      tf.dispose([x, dy]);
    }
    w.dispose();
    console.log(`x·W and dy·W^T for W 784×512 (plus an add):\n${report.join('\n')}`);
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

