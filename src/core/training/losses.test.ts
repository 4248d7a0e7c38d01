import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { crossEntropy, lossOf } from './losses';
import { forwardForLoss, lossFromLogits } from './forward';
import { buildModel } from '../model/build';
import { useBackend } from '../testing/datasets';
import type { ModelSpec } from '../model/types';

beforeAll(() => useBackend('cpu'));

/** Mean of -log_softmax(z)[y] over the rows, in float64. */
function referenceLogitsLoss(logits: number[][], labels: number[]): number {
  let total = 0;
  logits.forEach((z, i) => {
    const m = Math.max(...z);
    const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
    total += lse - z[labels[i]!]!;
  });
  return total / logits.length;
}

describe('lossOf from logits', () => {
  const cases: [string, number[][], number[]][] = [
    ['moderate logits', [[1, 2, 0.5], [-1, 0, 3], [0.2, 0.1, -0.3]], [1, 2, 0]],
    // A saturated softmax: probabilities 1 and 0 in float32. Clipping would give ~16.1.
    ['saturated, confidently wrong', [[300, -200, 10], [0, 450, -80]], [1, 0]],
    ['saturated, confidently right', [[300, -200, 10], [0, 450, -80]], [0, 1]],
  ];
  it.each(cases)('%s matches the float64 reference', async (_, logits, labels) => {
    const want = referenceLogitsLoss(logits, labels);
    const got = tf.tidy(() => lossOf('sparseCategoricalCrossentropy', tf.tensor1d(labels, 'int32'), { logits: tf.tensor2d(logits) }));
    const oneHot = tf.tidy(() =>
      lossOf('categoricalCrossentropy', tf.oneHot(tf.tensor1d(labels, 'int32'), 3).toFloat(), { logits: tf.tensor2d(logits) }),
    );
    const [g, o] = [(await got.data())[0]!, (await oneHot.data())[0]!];
    tf.dispose([got, oneHot]);
    expect(Math.abs(g - want)).toBeLessThanOrEqual(1e-5 * Math.max(1, want));
    expect(o).toBeCloseTo(g, 5);
  });

  it('is not capped near 16 where the clipped loss is, and keeps a gradient there', async () => {
    const logits = tf.tensor2d([[300, -200, 10]]);
    const labels = tf.tensor1d([1], 'int32');
    const fromLogits = lossOf('sparseCategoricalCrossentropy', labels, { logits });
    const clipped = crossEntropy('sparseCategoricalCrossentropy', labels, tf.softmax(logits));
    expect((await fromLogits.data())[0]).toBeCloseTo(500, 3);
    expect((await clipped.data())[0]).toBeCloseTo(16.118, 2);
    const grad = tf.grad((z: tf.Tensor) => lossOf('sparseCategoricalCrossentropy', labels, { logits: z }))(logits);
    const clippedGrad = tf.grad((z: tf.Tensor) => crossEntropy('sparseCategoricalCrossentropy', labels, tf.softmax(z)))(logits);
    expect(Array.from(await grad.data()).map((v) => Math.round(v))).toEqual([1, -1, 0]);
    expect(Array.from(await clippedGrad.data()).every((v) => v === 0)).toBe(true);
    tf.dispose([logits, labels, fromLogits, clipped, grad, clippedGrad]);
  });
});

describe('forwardForLoss', () => {
  const spec = (last: ModelSpec['layers']): ModelSpec => ({
    layers: [{ type: 'flatten' }, { type: 'dense', units: 8, activation: 'relu' }, ...last],
  });
  const x = () => tf.randomUniform([4, 3, 3, 1], 0, 1, 'float32', 7);

  it.each([
    ['Dense(softmax)', spec([{ type: 'dense', units: 5, activation: 'softmax' }])],
    ['Dense(linear) + Activation(softmax)', spec([{ type: 'dense', units: 5, activation: 'linear' }, { type: 'activation', activation: 'softmax' }])],
  ])('%s: gives logits whose softmax is the model output', async (_, s) => {
    const model = buildModel(s, [3, 3, 1], { seed: 3, numClasses: 5 });
    expect(lossFromLogits(model)).toBe(true);
    const input = x();
    const out = forwardForLoss(model, input, false);
    const probs = model.predict(input) as tf.Tensor;
    const fromLogits = tf.softmax(out.logits!);
    const diff = (await tf.max(tf.abs(tf.sub(fromLogits, probs))).data())[0]!;
    expect(diff).toBeLessThan(1e-6);
    tf.dispose([input, out.logits!, probs, fromLogits]);
    model.dispose();
  });

  it('a model ending in Dropout after the softmax gives probabilities (Keras clips there too)', () => {
    const model = buildModel(spec([{ type: 'dense', units: 5, activation: 'softmax' }, { type: 'dropout', rate: 0.1 }]), [3, 3, 1], {
      seed: 3,
      numClasses: 5,
    });
    expect(lossFromLogits(model)).toBe(false);
    const input = x();
    const out = forwardForLoss(model, input, false);
    expect(out.logits).toBeUndefined();
    expect(out.probs!.shape).toEqual([4, 5]);
    tf.dispose([input, out.probs!]);
    model.dispose();
  });
});
