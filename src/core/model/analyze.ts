/**
 * Checks a whole stack before anything is built, so the learner sees every blocking problem
 * in words (with shapes and parameter counts per row) instead of a tfjs stack trace.
 * Pure (no tfjs): the editor runs it on every change.
 */

import { formatBytes, formatCount, formatLarge } from '../format';
import { formatShape, inferLayer, isInferError, LAYER_TYPES } from './layers';
import { layerMultiplyAdds, modelFacts, type LayerCost, type ModelFacts } from './cost';
import type { LayerSpec, LayerType, ModelSpec } from './types';

/** float32: what every weight costs in memory. */
export const PARAMS_BYTES = 4;

/** Bytes that `n` float32 parameters occupy, for size warnings and the model summary. */
export function paramBytes(n: number): number {
  return n * PARAMS_BYTES;
}

/** Above this the weights alone take 400 MB, and gradients plus optimizer state several times that. */
export const MAX_PARAMS = 100_000_000;

/**
 * Forward multiply-adds one image may cost in one layer. Training costs about 3 times the
 * forward pass (the forward pass, the input's gradient, the weights' gradient), so a layer at
 * this limit costs 15 billion multiply-adds (30 GFLOP) per training image. The wasm backend
 * ran a Conv2D training step here at about 4 GFLOP/s (two 512-filter 11×11 convolutions: 72 s
 * for the 2-image test step, issue 14), a laptop's CPU at most a few tens: seconds per image,
 * a minute or more per batch of 32, days per epoch of MNIST; even a good laptop GPU (1-2
 * TFLOP/s under WebGPU) would need some 20 minutes per epoch. Nothing a learner needs comes
 * close: the Conv32-Conv64 CNN preset costs 12 million per image.
 */
export const MAX_LAYER_MULTIPLY_ADDS = 5e9;
/** The whole model's forward multiply-adds per image: a few layers each under the limit can still add up to one no browser trains. */
export const MAX_MODEL_MULTIPLY_ADDS = 2 * MAX_LAYER_MULTIPLY_ADDS;
/**
 * Values one layer may output per image. Each is kept (as float32) for the backward pass, and
 * its gradient takes as much again: at this limit (16 MB per image) a batch of 32 needs 1 GB
 * for that one layer, about what a tab can hold in WebAssembly memory (4 GB at most, often much
 * less) or in a laptop GPU's share. On a 28×28 dataset no layer within the field limits comes
 * near it (512 filters of 28×28 are 0.4 million); it guards large imported images.
 */
export const MAX_LAYER_ACTIVATIONS = 4_000_000;

/** One line of the model summary. */
export interface LayerRow {
  /** 0-based position in `spec.layers`; messages count from 1 ("Layer 3"). */
  index: number;
  type: LayerType;
  label: string;
  /** Batch dimension omitted; null once an earlier layer is broken and the shape is unknowable. */
  outputShape: number[] | null;
  params: number;
  trainableParams: number;
  error?: string;
}

/** Everything the editor shows about a stack, and whether it can be built. */
export interface ModelAnalysis {
  rows: LayerRow[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  /** Blocking problems in stack order, then whole-model problems. */
  errors: string[];
  ok: boolean;
  /** What each layer whose shape is known costs per image (the layers before a broken one). */
  costs: LayerCost[];
  /** The whole model's figures, from `costs`: what a run reports, so a slow stage can be explained. */
  facts: ModelFacts;
}

/** "Layer 3 (Conv2D)": positions count from 1, as a learner reads the list. */
export function layerTitle(spec: LayerSpec, index: number): string {
  const label = LAYER_TYPES[spec.type]?.label ?? String(spec.type);
  return `Layer ${index + 1} (${label})`;
}

/** Layers that only pass values through unchanged in shape and meaning at inference time. */
const isPassThrough = (layer: LayerSpec): boolean => layer.type === 'dropout';

/** Shape-preserving layers that may follow the last Dense without changing its output size. */
const keepsShape = (layer: LayerSpec): boolean =>
  layer.type === 'dropout' || layer.type === 'activation' || layer.type === 'batchNormalization';

function checkInput(inputShape: number[], numClasses: number): string[] {
  const errors: string[] = [];
  if (inputShape.length === 0 || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    errors.push(
      `The dataset's input shape [${inputShape.join(', ')}] is not valid: every axis must be a whole number of at least 1.`,
    );
  }
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    errors.push(`The dataset must have at least 2 classes to train a classifier, but it has ${String(numClasses)}.`);
  }
  return errors;
}

/** The final output must be one vector of class scores, one per class. */
function checkOutputShape(layers: LayerSpec[], outputShape: number[], numClasses: number): string | null {
  const lastDense = layers.map((l) => l.type).lastIndexOf('dense');
  const denseIsLast = lastDense >= 0 && layers.slice(lastDense + 1).every(keepsShape);
  const target = `one vector of ${numClasses} class scores`;
  if (outputShape.length !== 1) {
    const advice = denseIsLast
      ? 'add a Flatten layer before the last Dense layer.'
      : `end the network with a Flatten layer followed by a Dense layer with ${numClasses} units and softmax activation.`;
    return `The network ends with shape ${formatShape(outputShape)}, but a classifier must output ${target}: ${advice}`;
  }
  if (outputShape[0] === numClasses) return null;
  const [size] = outputShape;
  if (!denseIsLast) {
    return (
      `The network outputs ${formatCount(size)} numbers but the dataset has ${numClasses} classes: ` +
      `add a Dense layer with ${numClasses} units and softmax activation at the end.`
    );
  }
  if (lastDense === layers.length - 1) {
    return `The last layer outputs ${formatCount(size)} numbers but the dataset has ${numClasses} classes: set its units to ${numClasses}.`;
  }
  return (
    `The network outputs ${formatCount(size)} numbers but the dataset has ${numClasses} classes: ` +
    `set the units of the last Dense layer (layer ${lastDense + 1}) to ${numClasses}.`
  );
}

/**
 * Cross-entropy compares probability distributions, so the last layer that transforms values
 * (skipping Dropout, which is off at test time) must be a softmax.
 */
function checkSoftmax(layers: LayerSpec[]): string | null {
  let i = layers.length - 1;
  while (i >= 0 && isPassThrough(layers[i])) i--;
  if (i < 0) return null; // A stack of only Dropout layers is already reported by the shape check.
  const last = layers[i];
  if ((last.type === 'dense' || last.type === 'activation') && last.activation === 'softmax') return null;
  const why =
    'the loss (categorical cross-entropy) needs probabilities, positive numbers that add up to 1, and softmax is what turns scores into probabilities';
  if (last.type === 'dense' || last.type === 'activation') {
    return `${layerTitle(last, i)} ends the network with activation "${last.activation}", but ${why}: set its activation to "softmax".`;
  }
  return (
    `${layerTitle(last, i)} ends the network, but ${why}: end with a Dense layer whose activation is "softmax" ` +
    `(or add an Activation layer with "softmax" at the end).`
  );
}

/**
 * Walks the stack with Keras' shape rules. Stops inferring at the first broken layer: every
 * later shape depends on it, so further errors would only be noise.
 */
export function analyzeModel(spec: ModelSpec, inputShape: number[], numClasses: number): ModelAnalysis {
  const layers = spec.layers;
  const errors = checkInput(inputShape, numClasses);
  const rows: LayerRow[] = [];

  if (layers.length === 0) {
    errors.push(
      `Add at least one layer: the network needs at least a Flatten layer and a Dense layer with ${numClasses} units and softmax activation to turn an image into class scores.`,
    );
    return { rows, totalParams: 0, trainableParams: 0, nonTrainableParams: 0, errors, ok: false, costs: [], facts: modelFacts([]) };
  }

  let shape: number[] | null = errors.length === 0 ? [...inputShape] : null;
  let flattenedBefore = false;
  let total = 0;
  let trainable = 0;
  const costs: LayerCost[] = [];

  layers.forEach((layer, index) => {
    const row: LayerRow = {
      index,
      type: layer.type,
      // Optional chaining: specs can arrive from a URL or a saved file with an unknown type.
      label: LAYER_TYPES[layer.type]?.label ?? String(layer.type),
      outputShape: null,
      params: 0,
      trainableParams: 0,
    };
    rows.push(row);
    if (shape === null) return;
    const result = inferLayer(layer, shape, { fromDataset: index === 0, flattenedBefore });
    if (isInferError(result)) {
      row.error = result.error;
      errors.push(`${layerTitle(layer, index)}: ${result.error}`);
      shape = null;
      return;
    }
    costs.push({
      title: layerTitle(layer, index),
      type: layer.type,
      params: result.params,
      activations: result.outputShape.reduce((a, b) => a * b, 1),
      multiplyAdds: layerMultiplyAdds(layer, shape, result.outputShape),
      outputShape: result.outputShape,
    });
    row.outputShape = result.outputShape;
    row.params = result.params;
    row.trainableParams = result.trainableParams;
    total += result.params;
    trainable += result.trainableParams;
    shape = result.outputShape;
    if (layer.type === 'flatten') flattenedBefore = true;
  });

  if (shape !== null) {
    const outputError = checkOutputShape(layers, shape, numClasses);
    if (outputError) errors.push(outputError);
  }
  const softmaxError = checkSoftmax(layers);
  if (softmaxError) errors.push(softmaxError);
  // Known rows only; if the stack is broken the true count can only be larger.
  if (total > MAX_PARAMS) {
    errors.push(
      `The network has ${formatCount(total)} parameters, more than the ${formatCount(MAX_PARAMS)} a browser tab can train: ` +
        `the weights alone would take ${formatBytes(paramBytes(total))} as float32 numbers, and training needs several times that. ` +
        `Use fewer units or filters, or add a MaxPooling2D layer before Flatten to shrink the input of the first Dense layer.`,
    );
  }

  errors.push(...costErrors(costs));

  return {
    rows,
    totalParams: total,
    trainableParams: trainable,
    nonTrainableParams: total - trainable,
    errors,
    ok: errors.length === 0,
    costs,
    facts: modelFacts(costs),
  };
}

/** Arithmetic operations of one training step of 32 images: forward and two backward products, a multiply and an add each. */
const stepFlops = (multiplyAdds: number) => 32 * 3 * 2 * multiplyAdds;

/** What `flops` take at 20 GFLOP/s, a laptop CPU's best in WebAssembly (optimistic: 4 were measured here). */
function onLaptopCpu(flops: number): string {
  const s = flops / 20e9;
  return s < 120 ? `about ${Math.round(s)} s on a fast laptop's CPU` : `about ${Math.round(s / 60)} minutes on a fast laptop's CPU`;
}

/** Layers (and a whole model) too costly per image for any browser to train, each named. */
function costErrors(costs: readonly LayerCost[]): string[] {
  const errors: string[] = [];
  const advice = (c: LayerCost) =>
    c.type === 'conv2d'
      ? 'Use fewer filters or a smaller kernel, or add a MaxPooling2D layer (or strides 2) before it to shrink the image it works on.'
      : 'Use fewer units, or add a MaxPooling2D layer before Flatten to shrink its input.';
  for (const c of costs) {
    if (c.multiplyAdds > MAX_LAYER_MULTIPLY_ADDS) {
      errors.push(
        `${c.title} needs ${formatLarge(c.multiplyAdds)} multiply-adds per image, more than the ${formatLarge(MAX_LAYER_MULTIPLY_ADDS)} a browser can train: ` +
          `one training step of 32 images would cost ${formatLarge(stepFlops(c.multiplyAdds))} arithmetic operations, ${onLaptopCpu(stepFlops(c.multiplyAdds))}. ${advice(c)}`,
      );
    }
    // Flatten only reshapes what the layer before it made: it holds nothing new.
    if (c.activations > MAX_LAYER_ACTIVATIONS && c.type !== 'flatten') {
      errors.push(
        `${c.title} outputs ${formatLarge(c.activations)} numbers per image (${formatShape(c.outputShape)}), more than the ${formatLarge(MAX_LAYER_ACTIVATIONS)} a browser can train: ` +
          `a batch of 32 images would need ${formatBytes(c.activations * 32 * 2 * PARAMS_BYTES)} for this layer alone. ${advice(c)}`,
      );
    }
  }
  const total = costs.reduce((s, c) => s + c.multiplyAdds, 0);
  const heaviest = modelFacts(costs).heaviest;
  if (total > MAX_MODEL_MULTIPLY_ADDS && heaviest && !errors.length) {
    errors.push(
      `The network needs ${formatLarge(total)} multiply-adds per image, more than the ${formatLarge(MAX_MODEL_MULTIPLY_ADDS)} a browser can train; ` +
        `the heaviest layer is ${heaviest.title} (${formatLarge(heaviest.multiplyAdds)}). ${advice(heaviest)}`,
    );
  }
  return errors;
}
