/**
 * Which layers the Layers chart shows (those with a kernel: Dense, Conv2D; and
 * BatchNormalization, through its scale gamma) and the sampled
 * training step that measures them. A sampled step is the same optimizer step as
 * `optimizer.minimize` (computeGradients, then applyGradients), so no extra backward pass: the
 * statistics are taken from the gradients the step computes anyway, and the activations are
 * seen as the forward pass goes through the layers.
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerTap } from '../training/forward';
import { ACTIVATION_EXAMPLES, momentsTensor, packStats } from './stats';
import { BATCH_NORM } from './reading';

export { DEFAULT_INSPECT_EVERY } from './settings';

/** A layer the chart has a row for. */
export interface InspectedLayer {
  /** Position in model.layers. */
  index: number;
  /** The layer's name, e.g. "dense_3". */
  name: string;
  /** Its class, e.g. "Dense", "Conv2D", "BatchNormalization". */
  kind: string;
  /**
   * The variable the row measures (its name keys the gradient map): a Dense or Conv2D
   * kernel, a BatchNormalization layer's gamma. Gamma is what a BN layer learns to scale its
   * normalized outputs by, so its gradient says whether that layer still learns; beta (the
   * shift) and the moving statistics would add numbers but no new story.
   */
  weight: tf.Variable;
}

/** The variable a layer's row measures: its kernel, or a BatchNormalization's gamma. */
function measured(layer: tf.layers.Layer): tf.layers.Layer['trainableWeights'][number] | undefined {
  const named = (re: RegExp) => layer.trainableWeights.find((v) => re.test(v.originalName ?? v.name));
  return named(/(^|\/)kernel(_\d+)?$/) ?? (layer.getClassName() === BATCH_NORM ? named(/(^|\/)gamma(_\d+)?$/) : undefined);
}

/**
 * The model's layers that have a trainable kernel, and its BatchNormalization layers that
 * learn a scale (gamma), input to output.
 */
export function inspectedLayers(model: tf.LayersModel): InspectedLayer[] {
  const out: InspectedLayer[] = [];
  model.layers.forEach((layer, index) => {
    const w = measured(layer);
    if (w) out.push({ index, name: layer.name, kind: layer.getClassName(), weight: w.read() as tf.Variable });
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
      layers.map((l) => grads[l.weight.name] ?? tf.zeros([1])),
      layers.map((l) => l.weight),
      acts,
    );
    optimizer.applyGradients(grads);
    return { loss: value, stats };
  } finally {
    acts.forEach((a) => a?.dispose());
  }
}
