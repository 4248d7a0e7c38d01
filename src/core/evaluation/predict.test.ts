import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { loadTestDataset, useBackend } from '../testing/datasets';
import { buildModel } from '../model/build';
import { presetSpec } from '../model/presets';
import { prepareTest } from '../training/prepare';
import type { Dataset } from '../data/types';
import { evaluateWithProbabilities, predictOne, predictProbabilities } from './predict';
import { evaluate } from '../training/train';
import { argmaxRows } from './predictions';
import { confusionMatrix, perClassMetrics } from './confusion';

let mnist: Dataset;
beforeAll(async () => {
  mnist = await loadTestDataset('mnist');
  await useBackend('wasm');
});

describe('predictProbabilities', () => {
  it('scores the whole MNIST test set with the chapter MLP, without leaking tensors', async () => {
    const model = buildModel(presetSpec('mlp', 10), mnist.shape, { seed: 1, numClasses: 10 });
    const test = prepareTest(mnist, { preprocessing: 'normalize', oneHotLabels: true }, { mean: 0, std: 1 });
    await predictProbabilities(model, test.x.slice(0, 100), 100); // warm-up (kernels, weights)
    const before = tf.memory().numTensors;
    const probs = await predictProbabilities(model, test.x, 1000);
    const labels = mnist.test.labels;
    const { predicted } = argmaxRows(probs, 10);
    perClassMetrics(confusionMatrix(labels, predicted, 10), 10);
    expect(tf.memory().numTensors).toBe(before);
    expect(probs.length).toBe(10_000 * 10);
    const sum = probs.subarray(0, 10).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 4);
    // Its speed (at most 2 s in the browser) is measured by npm run bench (evaluationMs), not here.

    const one = await predictOne(model, (await test.x.slice(7, 1).data()) as Float32Array, [28, 28, 1]);
    Array.from(one).forEach((p, c) => expect(p).toBeCloseTo(probs[70 + c]!, 5));
    tf.dispose([test.x, test.y]);
    model.dispose();
  });

  it('gives the same loss and accuracy as training/evaluate, and the same probabilities, in one pass', async () => {
    const model = buildModel(presetSpec('mlp', 10), mnist.shape, { seed: 2, numClasses: 10 });
    const test = prepareTest(mnist, { preprocessing: 'normalize', oneHotLabels: true }, { mean: 0, std: 1 });
    const data = { x: test.x.slice(0, 600), y: test.y.slice(0, 600), count: 600 };
    const before = tf.memory().numTensors;
    const both = await evaluateWithProbabilities(model, data, 'categoricalCrossentropy', 256);
    expect(tf.memory().numTensors).toBe(before);
    const ref = await evaluate(model, data, 'categoricalCrossentropy', 256);
    expect(both.loss).toBeCloseTo(ref.loss, 4);
    expect(both.acc).toBeCloseTo(ref.acc, 6);
    const probs = await predictProbabilities(model, data.x, 256);
    expect(both.probs.length).toBe(probs.length);
    for (let i = 0; i < probs.length; i += 97) expect(both.probs[i]).toBeCloseTo(probs[i]!, 5);
    tf.dispose([test.x, test.y, data.x, data.y]);
    model.dispose();
  });
});
