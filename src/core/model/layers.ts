/**
 * What each layer type is, how a learner edits it, and what it does to the shape of the data.
 * Pure (no tfjs) so the editor can show shapes and parameter counts on every keystroke, and
 * follows Keras' shape rules so the numbers match what the chapter's Keras code prints.
 */

import { formatCount } from '../format';
import type {
  Activation,
  ActivationSpec,
  BatchNormalizationSpec,
  Conv2DSpec,
  DenseSpec,
  DropoutSpec,
  LayerSpec,
  LayerType,
  MaxPooling2DSpec,
  Padding,
} from './types';

/** Every activation the layers accept, in the order the editor lists them. */
export const ACTIVATIONS: readonly Activation[] = [
  'relu',
  'linear',
  'sigmoid',
  'tanh',
  'softmax',
  'elu',
  'selu',
  'softplus',
];

/** Padding modes, listed for the editor's select boxes. */
export const PADDINGS: readonly Padding[] = ['valid', 'same'];

/** One editable parameter of a layer, enough for a generic form to render an input. */
export interface FieldInfo {
  key: string;
  label: string;
  kind: 'int' | 'number' | 'select';
  min?: number;
  max?: number;
  step?: number;
  options?: string[];
}

/** What a layer produces from a given input shape (batch dimension omitted). */
export interface LayerInference {
  outputShape: number[];
  params: number;
  trainableParams: number;
}

/** Either the layer's effect on the shape, or a learner-facing reason it cannot work. */
export type InferResult = LayerInference | { error: string };

/**
 * Where a layer's input comes from. Only used to word errors: "the layer before it" is wrong
 * for the first layer, and "move it above the Flatten layer" is wrong when there is none.
 */
export interface InferContext {
  /** True when the input is the dataset itself, not another layer's output. */
  fromDataset?: boolean;
  /** Whether a Flatten layer comes earlier in the stack; unknown means "assume yes". */
  flattenedBefore?: boolean;
}

/** Static facts about one layer type plus its shape rule. */
export interface LayerTypeInfo {
  label: string;
  description: string;
  defaults: LayerSpec;
  fields: FieldInfo[];
  infer(spec: LayerSpec, inputShape: number[], context?: InferContext): InferResult;
}

/** True when `result` is an error rather than an inference; saves callers an `in` check. */
export function isInferError(result: InferResult): result is { error: string } {
  return 'error' in result;
}

/** Shapes read as "26×26×32" (like the chapter's figures), a flat vector as just "784". */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 0 ? 'a single number' : shape.join('×');
}

const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

const activationField: FieldInfo = {
  key: 'activation',
  label: 'Activation',
  kind: 'select',
  options: [...ACTIVATIONS],
};
const paddingField: FieldInfo = { key: 'padding', label: 'Padding', kind: 'select', options: [...PADDINGS] };

// ---- Validation helpers: each returns a learner-facing message or null. ----

/**
 * The largest values the layer fields take (their inputs' `max` and the checks below agree):
 * beyond them a layer only exhausts memory or time (a 1000×1000 kernel, 10⁵ units).
 */
export const LAYER_LIMITS = { units: 4096, filters: 512, kernelSize: 11, strides: 4, poolSize: 8, poolStrides: 8, dropoutRate: 0.95 } as const;

function checkInt(label: string, name: string, value: number, min: number, max: number, hint: string): string | null {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const shown = typeof value === 'number' ? String(value) : JSON.stringify(value)?.slice(0, 40) ?? String(value);
    return `${label} needs ${name} to be a whole number from ${min} to ${max}, but it is ${shown}. ${hint}`;
  }
  return null;
}

function checkActivation(label: string, value: string): string | null {
  if (!(ACTIVATIONS as readonly string[]).includes(value)) {
    return `${label} has an unknown activation "${String(value)}". Pick one of: ${ACTIVATIONS.join(', ')}.`;
  }
  return null;
}

function checkPadding(label: string, value: string): string | null {
  if (!(PADDINGS as readonly string[]).includes(value)) {
    return `${label} has an unknown padding "${String(value)}". Pick "valid" or "same".`;
  }
  return null;
}

/** Guards against a malformed shape reaching the arithmetic (e.g. from a hand-edited URL). */
function checkInputShape(label: string, shape: readonly number[]): string | null {
  if (shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    return `${label} received an input of shape [${shape.join(', ')}], which is not a valid shape: every axis must be a whole number of at least 1.`;
  }
  return null;
}

/** Describes an input that is not an image, in words, for the Conv2D/MaxPooling2D errors. */
function notAnImage(label: string, shape: readonly number[], context: InferContext | undefined): string {
  const source = context?.fromDataset ? 'the dataset provides' : 'the layer before it outputs';
  const what =
    shape.length === 1 ? `a flat vector of ${formatCount(shape[0])} numbers` : `data of shape ${formatShape(shape)}`;
  let advice: string;
  if (shape.length === 1 && !context?.fromDataset && context?.flattenedBefore !== false) {
    advice = `Move ${label} above the Flatten layer.`;
  } else if (shape.length === 1) {
    advice = `${label} only works on images; use Dense layers for flat data.`;
  } else {
    advice = `${label} only works on 3-D inputs, where each position has a value per channel.`;
  }
  return `${label} needs an image (height × width × channels) as input, but ${source} ${what}. ${advice}`;
}

/** Keras' output length along one spatial axis. */
function windowOutput(n: number, window: number, strides: number, padding: Padding): number {
  return padding === 'same' ? Math.ceil(n / strides) : Math.floor((n - window) / strides) + 1;
}

// ---- Shape rules, one per layer type. ----

function inferDense(spec: DenseSpec, inputShape: number[]): InferResult {
  const err =
    checkInt('Dense', 'units', spec.units, 1, LAYER_LIMITS.units, 'Each unit produces one output number; try 64.') ??
    checkActivation('Dense', spec.activation) ??
    checkInputShape('Dense', inputShape);
  if (err) return { error: err };
  // Keras applies Dense to the last axis only, so an H×W×C input keeps its H×W.
  const inputs = inputShape[inputShape.length - 1];
  const params = inputs * spec.units + spec.units;
  return { outputShape: [...inputShape.slice(0, -1), spec.units], params, trainableParams: params };
}

function inferConv2D(spec: Conv2DSpec, inputShape: number[], context?: InferContext): InferResult {
  const err =
    checkInt('Conv2D', 'filters', spec.filters, 1, LAYER_LIMITS.filters, 'Each filter produces one output channel; try 32.') ??
    checkInt('Conv2D', 'the kernel size', spec.kernelSize, 1, LAYER_LIMITS.kernelSize, 'Try 3 (a 3×3 window).') ??
    checkInt('Conv2D', 'the strides', spec.strides, 1, LAYER_LIMITS.strides, 'Try 1 (move the window one pixel at a time).') ??
    checkPadding('Conv2D', spec.padding) ??
    checkActivation('Conv2D', spec.activation) ??
    checkInputShape('Conv2D', inputShape);
  if (err) return { error: err };
  if (inputShape.length !== 3) return { error: notAnImage('Conv2D', inputShape, context) };
  const [h, w, c] = inputShape;
  const k = spec.kernelSize;
  if (spec.padding === 'valid' && (k > h || k > w)) {
    return {
      error:
        `Conv2D's ${k}×${k} kernel is bigger than its ${h}×${w} input, and with padding "valid" the kernel ` +
        `must fit inside the image. Set padding to "same" or use a kernel size of at most ${Math.min(h, w)}.`,
    };
  }
  const params = k * k * c * spec.filters + spec.filters;
  return {
    outputShape: [
      windowOutput(h, k, spec.strides, spec.padding),
      windowOutput(w, k, spec.strides, spec.padding),
      spec.filters,
    ],
    params,
    trainableParams: params,
  };
}

function inferMaxPooling2D(spec: MaxPooling2DSpec, inputShape: number[], context?: InferContext): InferResult {
  const err =
    checkInt('MaxPooling2D', 'the pool size', spec.poolSize, 1, LAYER_LIMITS.poolSize, 'Try 2 (keep the largest of each 2×2 block).') ??
    checkInt('MaxPooling2D', 'the strides', spec.strides, 1, LAYER_LIMITS.poolStrides, 'Try 2, the same as the pool size.') ??
    checkPadding('MaxPooling2D', spec.padding) ??
    checkInputShape('MaxPooling2D', inputShape);
  if (err) return { error: err };
  if (inputShape.length !== 3) return { error: notAnImage('MaxPooling2D', inputShape, context) };
  const [h, w, c] = inputShape;
  const p = spec.poolSize;
  if (spec.padding === 'valid' && (p > h || p > w)) {
    return {
      error:
        `MaxPooling2D's ${p}×${p} pool is bigger than its ${h}×${w} input, and with padding "valid" the pool ` +
        `must fit inside the image. Set padding to "same", use a pool size of at most ${Math.min(h, w)}, ` +
        `or remove this layer.`,
    };
  }
  return {
    outputShape: [windowOutput(h, p, spec.strides, spec.padding), windowOutput(w, p, spec.strides, spec.padding), c],
    params: 0,
    trainableParams: 0,
  };
}

function inferFlatten(_spec: LayerSpec, inputShape: number[]): InferResult {
  const err = checkInputShape('Flatten', inputShape);
  if (err) return { error: err };
  return { outputShape: [product(inputShape)], params: 0, trainableParams: 0 };
}

function inferDropout(spec: DropoutSpec, inputShape: number[]): InferResult {
  if (typeof spec.rate !== 'number' || !Number.isFinite(spec.rate) || spec.rate < 0 || spec.rate > LAYER_LIMITS.dropoutRate) {
    return {
      error:
        `Dropout's rate must be from 0 to ${LAYER_LIMITS.dropoutRate}, but it is ${String(spec.rate)}. The rate is the ` +
        `fraction of numbers switched off in each training step, so 1 would switch off everything. Try 0.5.`,
    };
  }
  const err = checkInputShape('Dropout', inputShape);
  if (err) return { error: err };
  return { outputShape: [...inputShape], params: 0, trainableParams: 0 };
}

function inferBatchNormalization(spec: BatchNormalizationSpec, inputShape: number[]): InferResult {
  if (typeof spec.momentum !== 'number' || !(spec.momentum >= 0 && spec.momentum < 1)) {
    return {
      error:
        `BatchNormalization's momentum must be at least 0 and below 1, but it is ${String(spec.momentum)}. ` +
        `It sets how slowly the running averages used at test time change; 0.99 is the usual value.`,
    };
  }
  if (typeof spec.epsilon !== 'number' || !(spec.epsilon > 0) || !Number.isFinite(spec.epsilon)) {
    return {
      error:
        `BatchNormalization's epsilon must be a small positive number, but it is ${String(spec.epsilon)}. ` +
        `It keeps the division by the spread of the batch from dividing by zero; 0.001 is the usual value.`,
    };
  }
  const err = checkInputShape('BatchNormalization', inputShape);
  if (err) return { error: err };
  // Per channel (last axis): gamma and beta are learned, the moving mean and variance are not.
  const channels = inputShape[inputShape.length - 1];
  return { outputShape: [...inputShape], params: 4 * channels, trainableParams: 2 * channels };
}

function inferActivation(spec: ActivationSpec, inputShape: number[]): InferResult {
  const err = checkActivation('Activation', spec.activation) ?? checkInputShape('Activation', inputShape);
  if (err) return { error: err };
  return { outputShape: [...inputShape], params: 0, trainableParams: 0 };
}

/**
 * Guards the dispatch: a spec whose `type` does not match the entry it was handed to would
 * otherwise be read with the wrong fields.
 */
function typed<T extends LayerSpec>(
  type: T['type'],
  rule: (spec: T, inputShape: number[], context?: InferContext) => InferResult,
): LayerTypeInfo['infer'] {
  return (spec, inputShape, context) =>
    spec.type === type
      ? rule(spec as T, inputShape, context)
      : { error: `Internal error: a ${spec.type} layer was checked with the ${type} rules.` };
}

/** Everything the editor and the analysis need to know per layer type. */
export const LAYER_TYPES: Record<LayerType, LayerTypeInfo> = {
  dense: {
    label: 'Dense',
    description: 'Connects every input number to every unit: each unit computes a weighted sum plus a bias, then applies the activation.',
    defaults: { type: 'dense', units: 64, activation: 'relu' },
    fields: [
      { key: 'units', label: 'Units', kind: 'int', min: 1, max: LAYER_LIMITS.units, step: 1 },
      activationField,
    ],
    infer: typed('dense', inferDense),
  },
  conv2d: {
    label: 'Conv2D',
    description: 'Slides small learned filters over the image, so the same pattern detector is reused at every position.',
    defaults: { type: 'conv2d', filters: 32, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' },
    fields: [
      { key: 'filters', label: 'Filters', kind: 'int', min: 1, max: LAYER_LIMITS.filters, step: 1 },
      { key: 'kernelSize', label: 'Kernel size', kind: 'int', min: 1, max: LAYER_LIMITS.kernelSize, step: 1 },
      { key: 'strides', label: 'Strides', kind: 'int', min: 1, max: LAYER_LIMITS.strides, step: 1 },
      paddingField,
      activationField,
    ],
    infer: typed('conv2d', inferConv2D),
  },
  maxPooling2d: {
    label: 'MaxPooling2D',
    description: 'Shrinks the image by keeping only the largest value in each small block, which makes features cheaper and less sensitive to position.',
    defaults: { type: 'maxPooling2d', poolSize: 2, strides: 2, padding: 'valid' },
    fields: [
      { key: 'poolSize', label: 'Pool size', kind: 'int', min: 1, max: LAYER_LIMITS.poolSize, step: 1 },
      { key: 'strides', label: 'Strides', kind: 'int', min: 1, max: LAYER_LIMITS.poolStrides, step: 1 },
      paddingField,
    ],
    infer: typed('maxPooling2d', inferMaxPooling2D),
  },
  flatten: {
    label: 'Flatten',
    description: 'Unrolls an image (height × width × channels) into one long vector so Dense layers can use it.',
    defaults: { type: 'flatten' },
    fields: [],
    infer: typed('flatten', inferFlatten),
  },
  dropout: {
    label: 'Dropout',
    description: 'During training, randomly switches off a fraction of the numbers passing through, so the network cannot rely on any single one.',
    defaults: { type: 'dropout', rate: 0.5 },
    fields: [{ key: 'rate', label: 'Rate', kind: 'number', min: 0, max: LAYER_LIMITS.dropoutRate, step: 0.05 }],
    infer: typed('dropout', inferDropout),
  },
  batchNormalization: {
    label: 'BatchNormalization',
    description: 'Rescales each channel to zero mean and unit spread over the batch, which keeps deep networks trainable with larger learning rates.',
    defaults: { type: 'batchNormalization', momentum: 0.99, epsilon: 0.001 },
    fields: [
      { key: 'momentum', label: 'Momentum', kind: 'number', min: 0, max: 0.999, step: 0.01 },
      { key: 'epsilon', label: 'Epsilon', kind: 'number', min: 1e-7, max: 0.1, step: 0.0001 },
    ],
    infer: typed('batchNormalization', inferBatchNormalization),
  },
  activation: {
    label: 'Activation',
    description: 'Applies a function to every number on its own, without any weights; use it to add softmax or a non-linearity as a separate step.',
    defaults: { type: 'activation', activation: 'relu' },
    fields: [activationField],
    infer: typed('activation', inferActivation),
  },
};

/** Layer types in the order the editor offers them. */
export const LAYER_TYPE_ORDER: readonly LayerType[] = [
  'dense',
  'conv2d',
  'maxPooling2d',
  'flatten',
  'dropout',
  'batchNormalization',
  'activation',
];

/** A fresh copy of a type's defaults, so editing a new layer never mutates the registry. */
export function defaultLayer(type: LayerType): LayerSpec {
  return { ...LAYER_TYPES[type].defaults };
}

/** Shape rule for any layer, dispatched on its type. */
export function inferLayer(spec: LayerSpec, inputShape: number[], context?: InferContext): InferResult {
  const info = (LAYER_TYPES as Partial<Record<string, LayerTypeInfo>>)[spec.type];
  if (!info) return { error: `Unknown layer type "${String(spec.type)}".` };
  return info.infer(spec, inputShape, context);
}
