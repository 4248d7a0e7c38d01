/**
 * The model's output as the loss needs it. Keras computes the cross-entropy of a model that
 * ends in a softmax from the softmax's input, the logits (a numerically stable log-softmax),
 * not from the clipped probabilities: a saturated softmax (raw 0–255 pixels make the logits
 * huge) still has a gradient, and the loss is exact instead of capped near 16. This does the
 * same for a Sequential model whose last layer is Dense(softmax) or Activation(softmax); any
 * other ending (e.g. Dropout after the softmax, where Keras clips too) gives probabilities.
 */
import * as tf from '@tensorflow/tfjs';

/** Logits when the model ends in a softmax, else the model's probabilities. */
export type LossInput = { logits: tf.Tensor; probs?: undefined } | { probs: tf.Tensor; logits?: undefined };

interface SoftmaxEnding {
  /** Dense: its kernel and bias; Activation: nothing (its input is the logits). */
  dense: { kernel: tf.Tensor; bias: tf.Tensor | null } | null;
}

/** How the model's last layer makes its softmax, or null when it does not end in one. */
function softmaxEnding(layer: tf.layers.Layer | undefined): SoftmaxEnding | null {
  if (!layer) return null;
  const config = layer.getConfig() as { activation?: unknown; useBias?: unknown };
  if (config.activation !== 'softmax') return null;
  const name = layer.getClassName();
  if (name === 'Activation') return { dense: null };
  if (name !== 'Dense') return null;
  // The variables themselves (read() returns the tf.Variable), so gradients reach them.
  const [kernel, bias] = layer.getWeights();
  return { dense: { kernel: kernel!, bias: config.useBias === false ? null : (bias ?? null) } };
}

/** Whether the loss of `model` is computed from logits (it ends in a softmax). */
export function lossFromLogits(model: tf.LayersModel): boolean {
  return softmaxEnding(model.layers[model.layers.length - 1]) !== null;
}

/**
 * Sees each layer's output during a forward pass (core/inspect's activation statistics): the
 * layer's index and output; for a softmax output layer, its logits.
 */
export type LayerTap = (index: number, output: tf.Tensor) => void;

/**
 * Runs `model` on `x` and returns what the loss takes: the logits if it ends in a softmax.
 * With `tap`, the layers run one by one (a Sequential stack) and each output is shown to it.
 */
export function forwardForLoss(model: tf.LayersModel, x: tf.Tensor, training: boolean, tap?: LayerTap): LossInput {
  const layers = model.layers;
  const ending = softmaxEnding(layers[layers.length - 1]);
  if (!ending && !tap) return { probs: model.apply(x, { training }) as tf.Tensor };
  let h = x;
  const body = ending ? layers.length - 1 : layers.length;
  for (let i = 0; i < body; i++) {
    h = layers[i]!.apply(h, { training }) as tf.Tensor;
    tap?.(i, h);
  }
  if (!ending) return { probs: h };
  if (!ending.dense) return { logits: h };
  const { kernel, bias } = ending.dense;
  const units = kernel.shape[1]!;
  const flat = h.rank === 2 ? h : tf.reshape(h, [-1, h.shape[h.rank - 1]!]);
  let logits = tf.matMul(flat, kernel);
  if (bias) logits = tf.add(logits, bias);
  const out = h.rank === 2 ? logits : tf.reshape(logits, [...h.shape.slice(0, -1), units]);
  tap?.(layers.length - 1, out);
  return { logits: out };
}
