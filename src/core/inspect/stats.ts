/**
 * Per-layer statistics of a training step, for the Layers chart: the root mean square of each
 * weight layer's kernel gradient and of the kernel itself (a BatchNormalization layer's scale,
 * gamma, stands in for the kernel: see `inspectedLayers`), and the mean, standard deviation
 * and share of zeros of the layer's output (post-activation: a share near 1 behind a ReLU
 * means dead units). Tensor versions run on the device inside the sampled step; the plain
 * number versions are the reference the tests check them against.
 */
import * as tf from '@tensorflow/tfjs';

/** Numbers per layer in a packed stats tensor, in this order (actStd packed as E[x²]). */
export const STATS_FIELDS = ['gradRms', 'weightRms', 'actMean', 'actStd', 'actZero'] as const;
export const STATS_PER_LAYER = STATS_FIELDS.length;

/** The statistics of one sampled step, one entry per inspected layer (see `inspectedLayers`). */
export interface LayerStatsSample {
  /** Batches run since training began, of the step sampled. */
  step: number;
  /** 0-based epoch of that step. */
  epoch: number;
  /** RMS of the kernel's (BatchNormalization: gamma's) gradient (of the loss, averaged over the batch). */
  gradRms: Float32Array;
  /** RMS of the kernel (BatchNormalization: gamma), before the step. */
  weightRms: Float32Array;
  /** Mean and standard deviation of the layer's outputs over the batch and all units. */
  actMean: Float32Array;
  actStd: Float32Array;
  /** Share of the layer's outputs that are exactly 0, 0..1. */
  actZero: Float32Array;
}

/** √(mean(x²)) of plain numbers; 0 for none. */
export function rms(values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]! * values[i]!;
  return Math.sqrt(s / values.length);
}

/** Mean, population standard deviation and share of exact zeros of plain numbers. */
export function moments(values: ArrayLike<number>): { mean: number; std: number; zero: number } {
  const n = values.length;
  if (n === 0) return { mean: 0, std: 0, zero: 0 };
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < n; i++) {
    sum += values[i]!;
    if (values[i] === 0) zeros++;
  }
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (values[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(sq / n), zero: zeros / n };
}

/** RMS of a tensor, as a scalar on the device. */
export function rmsTensor(t: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.mean(tf.square(t))) as tf.Scalar);
}

/** Examples of a batch the activation statistics are taken over (an estimate: cheaper). */
export const ACTIVATION_EXAMPLES = 16;

/**
 * [mean, mean of squares, share of zeros] of a tensor's values, a 1-D tensor of 3 on the
 * device (the fewest kernels: `unpackStats` turns the second into the standard deviation);
 * with `examples`, over only the first that many rows (examples) of a batch.
 */
export function momentsTensor(t: tf.Tensor, examples = Infinity): tf.Tensor1D {
  return tf.tidy(() => {
    const x = t.rank > 0 && t.shape[0]! > examples ? tf.slice(t, 0, examples) : t;
    return tf.stack([tf.mean(x), tf.mean(tf.square(x)), tf.mean(tf.cast(tf.equal(x, 0), 'float32'))]) as tf.Tensor1D;
  });
}

/**
 * One packed tensor [layers × 5] (`STATS_FIELDS` order per layer) from each layer's kernel
 * gradient, kernel and output moments (`momentsTensor`; absent = zeros).
 */
export function packStats(grads: tf.Tensor[], kernels: tf.Tensor[], acts: (tf.Tensor1D | undefined)[]): tf.Tensor1D {
  return tf.tidy(() => {
    const rows = grads.map((g, i) =>
      tf.concat([tf.stack([rmsTensor(g), rmsTensor(kernels[i]!)]), acts[i] ?? tf.zeros([3])]),
    );
    return (rows.length > 0 ? tf.concat(rows) : tf.zeros([0])) as tf.Tensor1D;
  });
}

/** The sample a packed stats read-back describes. */
export function unpackStats(values: ArrayLike<number>, step: number, epoch: number): LayerStatsSample {
  const n = Math.floor(values.length / STATS_PER_LAYER);
  const field = (k: number) => Float32Array.from({ length: n }, (_, i) => values[i * STATS_PER_LAYER + k]!);
  const actMean = field(2);
  // The packed field is the mean of squares: std = √(E[x²] − E[x]²).
  const actStd = field(3).map((m2, i) => Math.sqrt(Math.max(0, m2 - actMean[i]! ** 2)));
  return { step, epoch, gradRms: field(0), weightRms: field(1), actMean, actStd, actZero: field(4) };
}
