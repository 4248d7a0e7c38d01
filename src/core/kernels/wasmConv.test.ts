/**
 * The wasm convolution and pooling gradient kernels: exact small cases, no leaked memory,
 * and the chapter's CNN presets really training on MNIST on wasm.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createExperiment, disposeExperiment, runExperiment } from '../experiment';
import { loadTestDataset, useBackend } from '../testing/datasets';
import { defaultConfig } from '../training/defaults';
import { presetSpec } from '../model/presets';
import type { Dataset } from '../data/types';
import type { EpochSummary } from '../callbacks/types';

let mnist: Dataset;
beforeAll(async () => {
  mnist = await loadTestDataset('mnist');
  await useBackend('wasm');
});

describe('MaxPoolGrad on wasm', () => {
  it.each([
    [[1, 2, 3, 4], [0, 0, 0, 1]],
    [[-4, -3, -2, -1], [0, 0, 0, 1]], // all negative: tfjs' own wasm kernel answers [1, 0, 0, 0]
    [[-3, -1, -1, -2], [0, 1, 0, 0]], // a tie goes to the first maximum, as on cpu
  ])('routes the gradient of %j to the largest cell', async (values, expected) => {
    const x = tf.tensor4d(values, [1, 2, 2, 1]);
    const g = tf.grad((v) => tf.sum(tf.maxPool(v as tf.Tensor4D, 2, 2, 'valid')))(x);
    expect(Array.from(await g.data())).toEqual(expected);
    tf.dispose([x, g]);
  });

  it('sums the gradients of overlapping windows', async () => {
    const x = tf.tensor4d([-5, -1, -4, -6, -2, -7, -8, -9, -3], [1, 3, 3, 1]);
    const g = tf.grad((v) => tf.sum(tf.maxPool(v as tf.Tensor4D, 2, 1, 'valid')))(x);
    // Windows' maxima: -1, -1, -2, -2 (cells 1 and 4).
    expect(Array.from(await g.data())).toEqual([0, 2, 0, 0, 2, 0, 0, 0, 0]);
    tf.dispose([x, g]);
  });
});

describe('convolution gradients on wasm', () => {
  it('free every intermediate: no tensors and no wasm bytes left behind', async () => {
    const x = tf.randomNormal([4, 9, 9, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 3, 5], 0, 1, 'float32', 2) as tf.Tensor4D;
    const step = () =>
      tf.tidy(() => {
        const g = tf.grads((a, b) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')))([x, w]);
        return tf.stack([tf.sum(g[0]!), tf.sum(g[1]!)]);
      });
    step().dispose();
    const before = { ...tf.memory(), buffers: tf.backend().numDataIds() };
    for (let i = 0; i < 3; i++) step().dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    // The kernels' own intermediates never reach the engine: count the backend's buffers.
    expect(tf.backend().numDataIds()).toBe(before.buffers);
    tf.dispose([x, w]);
  });
});

describe('the CNN presets train on wasm', () => {
  it.each(['small-cnn', 'cnn'])('%s: loss falls and accuracy is far above chance on 1,000 MNIST images', async (id) => {
    const exp = createExperiment(
      { ...defaultConfig(), model: presetSpec(id, 10), trainingExamples: 1000, epochs: 2, batchSize: 32, validationSplit: 0.2, seed: 7 },
      mnist,
    );
    const epochs: EpochSummary[] = [];
    const result = await runExperiment(exp, { callbacks: [{ onEpochEnd: (e) => void epochs.push(e) }] });
    expect(result.reason).toBe('completed');
    expect(epochs[1]!.logs.loss).toBeLessThan(epochs[0]!.logs.loss);
    expect(epochs[1]!.logs.val_acc).toBeGreaterThan(0.6);
    disposeExperiment(exp);
  }, 300_000);
});
