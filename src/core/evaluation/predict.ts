/**
 * Class probabilities of a model for many images, computed in batches on the device and
 * read back into one Float32Array (count × numClasses), and the same for a single image.
 */
import * as tf from '@tensorflow/tfjs';
import { forwardForLoss } from '../training/forward';
import { correctCount, lossOf, type LossId } from '../training/losses';
import type { TensorData } from '../training/train';

/**
 * The model's outputs, N × classes. The training loss reads them as probabilities too (see
 * training/forward: a model that does not end in a softmax is taken at its word).
 */
function probabilities(model: tf.LayersModel, x: tf.Tensor): tf.Tensor2D {
  // apply, not predict: predict splits its input into batches of 32 (5x slower here).
  const out = model.apply(x, { training: false }) as tf.Tensor;
  return (out.rank === 2 ? out : out.reshape([out.shape[0]!, -1])) as tf.Tensor2D;
}

/**
 * Probabilities of every image of `x` (N × H × W × C, already preprocessed), `batchSize` at a
 * time so the device never holds more than one batch of activations. Row-major N × classes.
 */
export async function predictProbabilities(model: tf.LayersModel, x: tf.Tensor, batchSize = 1000): Promise<Float32Array> {
  const count = x.shape[0]!;
  let out: Float32Array | null = null;
  let classes = 0;
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    const probs = tf.tidy(() => probabilities(model, x.slice(start, size)));
    try {
      const data = (await probs.data()) as Float32Array;
      classes = probs.shape[1]!;
      out ??= new Float32Array(count * classes);
      out.set(data, start * classes);
    } finally {
      probs.dispose();
    }
  }
  return out ?? new Float32Array(0);
}

/** Probabilities for one preprocessed image (H × W × C floats). */
export async function predictOne(model: tf.LayersModel, pixels: Float32Array, shape: [number, number, number]): Promise<Float32Array> {
  const probs = tf.tidy(() => probabilities(model, tf.tensor4d(pixels, [1, ...shape], 'float32')));
  try {
    return Float32Array.from((await probs.data()) as Float32Array);
  } finally {
    probs.dispose();
  }
}

/**
 * Test loss and accuracy (as training/train's `evaluate` computes them: the same forward pass,
 * loss and correct count) and every image's probabilities, in one pass over the data: one
 * forward pass instead of two, which halves the evaluation view's cost.
 */
export async function evaluateWithProbabilities(
  model: tf.LayersModel,
  data: TensorData,
  loss: LossId,
  batchSize = 1000,
): Promise<{ loss: number; acc: number; count: number; probs: Float32Array }> {
  let lossSum = 0;
  let correct = 0;
  let out: Float32Array | null = null;
  for (let start = 0; start < data.count; start += batchSize) {
    const size = Math.min(batchSize, data.count - start);
    const [totals, probs] = tf.tidy(() => {
      const xb = tf.slice(data.x, start, size);
      const yb = tf.slice(data.y, start, size);
      const fwd = forwardForLoss(model, xb, false);
      const p = fwd.probs ?? tf.softmax(fwd.logits);
      const flat = p.rank === 2 ? p : p.reshape([size, -1]);
      return [tf.stack([tf.mul(lossOf(loss, yb, fwd), size), correctCount(yb, fwd.logits ?? fwd.probs)]), flat] as const;
    });
    try {
      const [t, p] = await Promise.all([totals.data(), probs.data()]);
      lossSum += t[0]!;
      correct += t[1]!;
      out ??= new Float32Array(data.count * probs.shape[1]!);
      out.set(p as Float32Array, start * probs.shape[1]!);
    } finally {
      tf.dispose([totals, probs]);
    }
  }
  return { loss: lossSum / data.count, acc: correct / data.count, count: data.count, probs: out ?? new Float32Array(0) };
}
