/**
 * Which layers the Layers chart shows (those with a kernel: Dense, Conv2D) and the sampled
 * training step that measures them. A sampled step is the same optimizer step as
 * `optimizer.minimize` (computeGradients, then applyGradients), so no extra backward pass: the
 * statistics are taken from the gradients the step computes anyway, and the activations are
 * seen as the forward pass goes through the layers.
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerTap } from '../training/forward';
import { ACTIVATION_EXAMPLES, momentsTensor, packStats } from './stats';

export { DEFAULT_INSPECT_EVERY } from './settings';

/** A layer the chart has a row for. */
export interface InspectedLayer {
  /** Position in model.layers. */
  index: number;
  /** The layer's name, e.g. "dense_3". */
  name: string;
  /** Its class, e.g. "Dense", "Conv2D". */
  kind: string;
  /** The kernel variable (its name keys the gradient map). */
  kernel: tf.Variable;
}

/** The model's layers that have a trainable kernel, input to output. */
export function inspectedLayers(model: tf.LayersModel): InspectedLayer[] {
  const out: InspectedLayer[] = [];
  model.layers.forEach((layer, index) => {
    const w = layer.trainableWeights.find((v) => /(^|\/)kernel(_\d+)?$/.test(v.originalName ?? v.name));
    if (w) out.push({ index, name: layer.name, kind: layer.getClassName(), kernel: w.read() as tf.Variable });
  });
  return out;
}

/**
 * One optimizer step on the loss `lossFn(tap)` computes, returning the loss and the packed
 * statistics [layers × 5] of `layers` (see core/inspect/stats). Call inside a tf.tidy: the
 * gradients are freed by it.
 */
export function inspectedStep(
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  layers: readonly InspectedLayer[],
  lossFn: (tap: LayerTap) => tf.Scalar,
): { loss: tf.Scalar; stats: tf.Tensor1D } {
  const row = new Map(layers.map((l, j) => [l.index, j]));
  const acts: (tf.Tensor1D | undefined)[] = new Array(layers.length);
  const tap: LayerTap = (i, output) => {
    const j = row.get(i);
    // Kept: the gradient scope would free it. Not on the path to the loss, so the backward
    // pass never differentiates it.
    if (j !== undefined) acts[j] = tf.keep(momentsTensor(output, ACTIVATION_EXAMPLES));
  };
  try {
    const { value, grads } = optimizer.computeGradients(() => lossFn(tap), variables);
    const stats = packStats(
      layers.map((l) => grads[l.kernel.name] ?? tf.zeros([1])),
      layers.map((l) => l.kernel),
      acts,
    );
    optimizer.applyGradients(grads);
    return { loss: value, stats };
  } finally {
    acts.forEach((a) => a?.dispose());
  }
}
