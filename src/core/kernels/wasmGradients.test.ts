/**
 * Issue 5: with the kernels the app installs (fast transposed matmul, convolution
 * gradients), the wasm backend gives the same loss gradients as the cpu backend for every
 * layer type the builder offers, to 1e-4 relative per weight tensor.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { buildModel, dropoutLayers } from '../model/build';
import { crossEntropy } from '../training/losses';
import { useBackend } from '../testing/datasets';
import type { LayerSpec } from '../model/types';

/** Loss gradients w.r.t. every trainable weight of `layers` on fixed data, on `backend`. */
async function gradients(backend: 'cpu' | 'wasm', layers: LayerSpec[], inputShape: number[]) {
  await useBackend(backend);
  const model = buildModel({ layers }, inputShape, { seed: 3, numClasses: 10 });
  for (const layer of dropoutLayers(model)) (layer as unknown as { seed: number }).seed = 11;
  const n = 8;
  const size = inputShape.reduce((a, b) => a * b, 1);
  const x = tf.tensor(Array.from({ length: n * size }, (_, i) => Math.sin(i * 0.37) + 0.1), [n, ...inputShape]);
  const y = tf.tensor1d(Array.from({ length: n }, (_, i) => i % 10), 'int32');
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { grads } = tf.variableGrads(
    () => crossEntropy('sparseCategoricalCrossentropy', y, model.apply(x, { training: true }) as tf.Tensor),
    vars,
  );
  const out = await Promise.all(vars.map((v) => grads[v.name]!.data()));
  tf.dispose([x, y, ...Object.values(grads)]);
  model.dispose();
  return out.map((d) => Array.from(d));
}

const dense = (units: number, activation: 'relu' | 'softmax' | 'tanh' = 'relu'): LayerSpec => ({ type: 'dense', units, activation });
const conv = (filters: number, kernelSize: number, strides = 1, padding: 'valid' | 'same' = 'valid', activation: 'relu' | 'tanh' = 'relu'): LayerSpec => ({
  type: 'conv2d', filters, kernelSize, strides, padding, activation,
});
const out10 = [{ type: 'flatten' } as LayerSpec, dense(10, 'softmax')];

const CASES: [string, LayerSpec[], number[]][] = [
  ['Dense + Flatten', [{ type: 'flatten' }, dense(32), dense(16, 'tanh'), dense(10, 'softmax')], [8, 8, 1]],
  ['Dense on an image (3-D matmul)', [dense(12), ...out10], [4, 4, 3]],
  ['Activation', [{ type: 'flatten' }, dense(24), { type: 'activation', activation: 'sigmoid' }, dense(10, 'softmax')], [5, 5, 1]],
  ['Dropout 0.5', [{ type: 'flatten' }, dense(24), { type: 'dropout', rate: 0.5 }, dense(10, 'softmax')], [5, 5, 1]],
  ['BatchNormalization after Dense', [{ type: 'flatten' }, dense(32), { type: 'batchNormalization', momentum: 0.99, epsilon: 0.001 }, dense(10, 'softmax')], [6, 6, 1]],
  ['MaxPooling2D valid', [{ type: 'maxPooling2d', poolSize: 2, strides: 2, padding: 'valid' }, ...out10], [8, 8, 2]],
  ['MaxPooling2D same, stride 1', [conv(3, 3), { type: 'maxPooling2d', poolSize: 3, strides: 1, padding: 'same' }, ...out10], [7, 7, 1]],
  ['Conv2D 3x3 valid (first layer, one channel)', [conv(8, 3), ...out10], [10, 10, 1]],
  ['Conv2D stacked, same padding', [conv(6, 3, 1, 'same'), conv(5, 3, 1, 'same'), ...out10], [8, 8, 2]],
  ['Conv2D stride 2', [conv(4, 3, 2, 'valid'), conv(3, 2, 2, 'same'), ...out10], [11, 11, 3]],
  // tanh, not relu: relu's zeros would tie inside pooling windows. Negative inputs to
  // MaxPooling2D caught tfjs' wasm MaxPoolGrad bug (see wasmMaxPoolGrad.ts).
  ['Conv2D 5x5 tanh + MaxPooling2D', [conv(6, 5, 1, 'valid', 'tanh'), { type: 'maxPooling2d', poolSize: 2, strides: 2, padding: 'valid' }, ...out10], [12, 12, 1]],
  ['Conv2D + BatchNormalization + MaxPooling2D same', [conv(6, 3, 1, 'same', 'tanh'), { type: 'batchNormalization', momentum: 0.9, epsilon: 0.001 }, { type: 'maxPooling2d', poolSize: 3, strides: 2, padding: 'same' }, ...out10], [9, 9, 2]],
  // Pooling windows at the edges: cells outside every window, padding, 3x3 windows.
  ['MaxPooling2D 2 valid on an odd size (cells outside every window)', [conv(4, 3, 1, 'valid', 'tanh'), { type: 'maxPooling2d', poolSize: 2, strides: 2, padding: 'valid' }, ...out10], [9, 9, 1]],
  ['MaxPooling2D 2 same on an odd size (padded)', [conv(4, 3, 1, 'valid', 'tanh'), { type: 'maxPooling2d', poolSize: 2, strides: 2, padding: 'same' }, ...out10], [9, 9, 1]],
  ['MaxPooling2D 3 stride 3', [conv(3, 3, 1, 'valid', 'tanh'), { type: 'maxPooling2d', poolSize: 3, strides: 3, padding: 'valid' }, ...out10], [11, 11, 2]],
  ['small CNN preset shape', [conv(32, 3), { type: 'maxPooling2d', poolSize: 2, strides: 2, padding: 'valid' }, ...out10], [28, 28, 1]],
];

describe('wasm gradients with the installed kernels', () => {
  it.each(CASES)('%s: gradients match the cpu backend to 1e-4 relative', async (_name, layers, shape) => {
    const cpu = await gradients('cpu', layers, shape);
    const wasm = await gradients('wasm', layers, shape);
    expect(wasm.length).toBe(cpu.length);
    cpu.forEach((g, i) => {
      const scale = Math.max(...g.map(Math.abs), 1e-6);
      const worst = Math.max(...g.map((v, j) => Math.abs(v - wasm[i]![j]!)));
      expect(worst / scale, `weight ${i}`).toBeLessThan(1e-4);
    });
  });
});
