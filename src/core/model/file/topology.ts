/**
 * A tfjs/Keras Sequential topology turned into our ModelSpec, naming the first layer it
 * cannot represent, and the tfjs layer names the builder gives (shared with build.ts).
 */
import { ACTIVATIONS } from '../layers';
import type { Activation, LayerSpec, ModelSpec, Padding } from '../types';
import { fail, isObject } from './error';

const SUPPORTED = 'Dense, Conv2D, MaxPooling2D, Flatten, Dropout, BatchNormalization and Activation';

/** A converted topology: the stack and the input shape its first layer declares. */
export interface TopologySpec {
  spec: ModelSpec;
  inputShape: number[] | null;
}

const square = (v: unknown, what: string, where: string): number => {
  const arr = Array.isArray(v) ? v : [v, v];
  const [a, b] = arr as unknown[];
  if (typeof a !== 'number' || a !== b || !Number.isInteger(a)) {
    return fail(`${where} uses ${what} ${JSON.stringify(v)}; the builder supports square windows only (like 3×3).`);
  }
  return a;
};

function activationOf(v: unknown, where: string): Activation {
  const name = v == null ? 'linear' : v;
  if (typeof name === 'string' && (ACTIVATIONS as readonly string[]).includes(name)) return name as Activation;
  return fail(`${where} uses the activation ${JSON.stringify(v)}, which the builder does not offer (${ACTIVATIONS.join(', ')}).`);
}

function paddingOf(v: unknown, where: string): Padding {
  if (v === 'valid' || v === 'same') return v;
  return fail(`${where} uses padding ${JSON.stringify(v)}; the builder supports "valid" and "same".`);
}

function checkChannelsLast(c: Record<string, unknown>, where: string) {
  if (c.data_format != null && c.data_format !== 'channels_last') {
    fail(`${where} expects ${String(c.data_format)} data; the playground's images are channels_last (height × width × channels).`);
  }
}

function needsBias(c: Record<string, unknown>, where: string) {
  if (c.use_bias === false) fail(`${where} has no bias (use_bias is false); the builder's layers always have one.`);
}

function convertLayer(className: string, c: Record<string, unknown>, where: string): LayerSpec {
  switch (className) {
    case 'Dense':
      needsBias(c, where);
      if (typeof c.units !== 'number') return fail(`${where} has no number of units.`);
      return { type: 'dense', units: c.units, activation: activationOf(c.activation, where) };
    case 'Conv2D': {
      needsBias(c, where);
      checkChannelsLast(c, where);
      if (c.dilation_rate != null && square(c.dilation_rate, 'dilation', where) !== 1) {
        fail(`${where} uses a dilated kernel, which the builder does not offer.`);
      }
      if (typeof c.filters !== 'number') return fail(`${where} has no number of filters.`);
      return {
        type: 'conv2d',
        filters: c.filters,
        kernelSize: square(c.kernel_size, 'the kernel size', where),
        strides: c.strides == null ? 1 : square(c.strides, 'strides', where),
        padding: paddingOf(c.padding ?? 'valid', where),
        activation: activationOf(c.activation, where),
      };
    }
    case 'MaxPooling2D':
    case 'MaxPool2D': {
      checkChannelsLast(c, where);
      const poolSize = square(c.pool_size ?? 2, 'the pool size', where);
      return {
        type: 'maxPooling2d',
        poolSize,
        strides: c.strides == null ? poolSize : square(c.strides, 'strides', where),
        padding: paddingOf(c.padding ?? 'valid', where),
      };
    }
    case 'Flatten':
      checkChannelsLast(c, where);
      return { type: 'flatten' };
    case 'Dropout':
      if (typeof c.rate !== 'number') return fail(`${where} has no dropout rate.`);
      return { type: 'dropout', rate: c.rate };
    case 'BatchNormalization': {
      const axis = Array.isArray(c.axis) && c.axis.length === 1 ? c.axis[0] : (c.axis ?? -1);
      if (axis !== -1 && axis !== 3 && axis !== 1) fail(`${where} normalizes along axis ${JSON.stringify(c.axis)}; the builder normalizes the last axis only.`);
      if (c.center === false || c.scale === false) fail(`${where} has no ${c.center === false ? 'beta (center)' : 'gamma (scale)'}; the builder's BatchNormalization always learns both.`);
      return {
        type: 'batchNormalization',
        momentum: typeof c.momentum === 'number' ? c.momentum : 0.99,
        epsilon: typeof c.epsilon === 'number' ? c.epsilon : 0.001,
      };
    }
    case 'Activation':
      return { type: 'activation', activation: activationOf(c.activation, where) };
    default:
      return fail(`${where} is not a layer the builder supports (it supports ${SUPPORTED}), so this model can't be loaded here.`);
  }
}

function shapeOf(c: Record<string, unknown>): number[] | null {
  const s = c.batch_input_shape ?? c.batch_shape;
  if (Array.isArray(s) && s.length >= 2 && s.slice(1).every((d) => typeof d === 'number')) return s.slice(1) as number[];
  return null;
}

/**
 * A tfjs or Keras Sequential topology as our ModelSpec, naming the first layer it cannot
 * represent. InputLayer entries only give the input shape.
 */
export function topologyToSpec(topology: unknown): TopologySpec {
  if (!isObject(topology)) return fail('model.json has no modelTopology (the list of layers), so there is no model to load.');
  // tfjs nests the Keras model config under `model_config` in some files.
  const root = isObject(topology.model_config) ? topology.model_config : topology;
  const cls = root.class_name;
  if (cls !== 'Sequential') {
    // A graph model's topology is a TensorFlow graph (nodes and ops), not Keras layers.
    if (Array.isArray(root.node)) {
      return fail(
        'model.json is a TensorFlow.js graph model (converted from a SavedModel or a frozen graph): it holds operations, not layers, ' +
          'so the builder cannot load it. Convert the Keras model as a Layers model (tensorflowjs_converter --output_format tfjs_layers_model), ' +
          'or save one from this app.',
      );
    }
    const kind = typeof cls === 'string' ? `a ${cls.slice(0, 40)} model` : 'a model of no known kind (its class_name is missing)';
    return fail(`model.json describes ${kind}; the builder can load Sequential models (one stack of layers) only.`);
  }
  const config = root.config;
  const layers = Array.isArray(config) ? config : isObject(config) ? config.layers : null;
  if (!Array.isArray(layers)) return fail('model.json\'s Sequential model has no list of layers.');
  const spec: LayerSpec[] = [];
  let inputShape: number[] | null = null;
  layers.forEach((raw, i) => {
    if (!isObject(raw) || typeof raw.class_name !== 'string' || !isObject(raw.config)) {
      fail(`Layer ${i + 1} in model.json is damaged: it has no class name or config.`);
    }
    const { class_name: className, config: c } = raw as { class_name: string; config: Record<string, unknown> };
    inputShape ??= shapeOf(c);
    if (className === 'InputLayer') return;
    const where = `Layer ${spec.length + 1} (${typeof c.name === 'string' ? `${c.name}, ` : ''}${className})`;
    spec.push(convertLayer(className, c, where));
  });
  return { spec: { layers: spec }, inputShape };
}

/** The tfjs layer names our builder gives ("dense_2"); build.ts uses them too (this file is tfjs-free). */
const NAME_PREFIX: Record<LayerSpec['type'], string> = {
  dense: 'dense',
  conv2d: 'conv2d',
  maxPooling2d: 'max_pooling2d',
  flatten: 'flatten',
  dropout: 'dropout',
  batchNormalization: 'batch_normalization',
  activation: 'activation',
};
/** The name of the layer at `index` (0-based) of a spec, as built: "dense_2". */
export const layerName = (spec: LayerSpec, index: number): string => `${NAME_PREFIX[spec.type]}_${index + 1}`;
