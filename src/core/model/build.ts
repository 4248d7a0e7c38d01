/**
 * Turns a checked ModelSpec into a tfjs model. Runs in the worker; the UI never imports it,
 * so tfjs stays out of the main bundle's critical path.
 */

import * as tf from '@tensorflow/tfjs';
import { analyzeModel } from './analyze';
import type { LayerSpec, ModelSpec } from './types';
import { layerName } from './file/topology';

/** What building needs besides the stack itself. */
export interface BuildOptions {
  /** Same seed, same initial weights: runs can be compared fairly and replayed. */
  seed: number;
  /** Classes in the dataset, so the output check matches the data actually trained on. */
  numClasses: number;
}

/** Layer names ("conv2d_1", "dense_4") come from the 1-based position: see file/topology.ts. */
export { layerName };

/**
 * Mixes the run seed with the layer position (a 32-bit integer hash), so layers with the same
 * shape do not start with identical weights and nearby seeds do not give related streams.
 */
export function layerSeed(seed: number, index: number): number {
  let h = (Math.trunc(seed) ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

function toLayer(spec: LayerSpec, index: number, seed: number, inputShape?: number[]): tf.layers.Layer {
  const base = { name: layerName(spec, index), ...(inputShape ? { inputShape } : {}) };
  switch (spec.type) {
    case 'dense':
      return tf.layers.dense({
        ...base,
        units: spec.units,
        activation: spec.activation,
        kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(seed, index) }),
        biasInitializer: 'zeros',
      });
    case 'conv2d':
      return tf.layers.conv2d({
        ...base,
        filters: spec.filters,
        kernelSize: spec.kernelSize,
        strides: spec.strides,
        padding: spec.padding,
        activation: spec.activation,
        kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(seed, index) }),
        biasInitializer: 'zeros',
      });
    case 'maxPooling2d':
      return tf.layers.maxPooling2d({ ...base, poolSize: spec.poolSize, strides: spec.strides, padding: spec.padding });
    case 'flatten':
      return tf.layers.flatten(base);
    case 'dropout':
      // No seed here: the training loop sets one per batch so masks differ between steps.
      return tf.layers.dropout({ ...base, rate: spec.rate });
    case 'batchNormalization':
      // gamma=1, beta=0, moving mean 0, variance 1: deterministic, nothing to seed.
      return tf.layers.batchNormalization({ ...base, momentum: spec.momentum, epsilon: spec.epsilon });
    case 'activation':
      return tf.layers.activation({ ...base, activation: spec.activation });
  }
}

/**
 * Builds an uncompiled Sequential model. Throws an Error listing the analysis errors (one per
 * line) when the stack cannot work, so the worker never hands tfjs a broken stack.
 */
export function buildModel(spec: ModelSpec, inputShape: number[], options: BuildOptions): tf.Sequential {
  const analysis = analyzeModel(spec, inputShape, options.numClasses);
  if (!analysis.ok) throw new Error(analysis.errors.join('\n'));
  const model = tf.sequential();
  spec.layers.forEach((layer, index) => {
    model.add(toLayer(layer, index, options.seed, index === 0 ? inputShape : undefined));
  });
  return model;
}

/** The model's Dropout layers, whose `seed` the training loop sets before each batch. */
export function dropoutLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((layer) => layer.getClassName() === 'Dropout');
}
