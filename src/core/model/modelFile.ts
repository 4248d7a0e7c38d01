/**
 * The saved-model file format (tfjs Layers format: `model.json` + `weights.bin`) read and
 * checked without tfjs and without allocating anything: parse, validate the manifest and the
 * byte counts, turn a tfjs/Keras topology into our ModelSpec, and compare saved weight shapes
 * with the shapes a ModelSpec needs. Pure, so the page, the worker and Node tests share it;
 * `./io.ts` does the tfjs parts (export, build, set weights).
 */
import { analyzeModel, MAX_PARAMS, PARAMS_BYTES } from './analyze';
import { ACTIVATIONS, LAYER_TYPES } from './layers';
import { formatBytes, formatBytesCompared, formatCount, formatExactBytes } from '../format';
import type { Activation, LayerSpec, ModelSpec, Padding } from './types';
import * as v from 'valibot';
import { check } from '../schema/check';
import { count, lossSchema, modelSpecSchema, preprocessingSchema, statsSchema } from '../schema/model';

/** Key of our own facts inside model.json's `userDefinedMetadata`. */
export const META_KEY = 'trainingPlayground';
/** Version of the facts we embed; a file with another version is loaded as a foreign model. */
export const META_VERSION = 1;
/** The most bytes of weights the playground loads: as many as the largest model it can build. */
export const MAX_WEIGHT_BYTES = MAX_PARAMS * PARAMS_BYTES;
/** model.json holds the topology and the manifest only; anything this large is not one. */
export const MAX_MODEL_JSON_BYTES = 20 * 1024 * 1024;

/** What we embed so a loaded model restores the builder and evaluates the same way. */
export const playgroundMetaSchema = v.object({
  version: v.literal(META_VERSION),
  spec: modelSpecSchema,
  datasetId: v.pipe(v.string(), v.maxLength(200)),
  datasetName: v.pipe(v.string(), v.maxLength(200)),
  inputShape: v.pipe(v.array(count), v.minLength(1), v.maxLength(3)),
  classNames: v.pipe(v.array(v.pipe(v.string(), v.maxLength(200))), v.minLength(2), v.maxLength(1000)),
  preprocessing: preprocessingSchema,
  /** Training-split pixel statistics that 'standardize' used (0..255 units). */
  stats: statsSchema,
  loss: lossSchema,
  oneHotLabels: v.boolean(),
  params: count,
});
export type PlaygroundMeta = v.InferOutput<typeof playgroundMetaSchema>;

/** One tensor in the weights manifest. */
export interface WeightEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
}

/** A checked model.json (or weights-only JSON). */
export interface ParsedModelFile {
  /** The tfjs/Keras topology, absent in a weights-only file. */
  topology: unknown;
  /** Shard file names in the order their bytes are concatenated. */
  paths: string[];
  weights: WeightEntry[];
  /** Total bytes the manifest describes. */
  byteLength: number;
  meta: PlaygroundMeta | null;
  /** The raw object, for tf.io.fromMemory in tests and re-download. */
  json: Record<string, unknown>;
}

/** Thrown for a file that cannot be loaded; `message` is written for a learner. */
export class ModelFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFileError';
  }
}

const fail = (message: string): never => {
  throw new ModelFileError(message);
};

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

const DTYPE_BYTES: Record<WeightEntry['dtype'], number> = { float32: 4, int32: 4 };

function checkEntry(raw: unknown, i: number): WeightEntry {
  if (!isObject(raw) || typeof raw.name !== 'string' || !Array.isArray(raw.shape)) {
    return fail(`model.json's weight list is damaged: entry ${i + 1} has no name or shape. Download the model again.`);
  }
  const { name, shape, dtype } = raw;
  if (!shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    return fail(`model.json gives the weight "${name}" the shape [${shape.join(', ')}], which is not a list of whole numbers.`);
  }
  if (raw.quantization != null) {
    return fail(
      `model.json stores the weight "${name}" quantized (compressed to fewer bits), which the playground cannot load. ` +
        'Convert the model again without quantization.',
    );
  }
  if (dtype !== 'float32' && dtype !== 'int32') {
    return fail(
      `model.json stores the weight "${name}" as ${String(dtype)} numbers; the playground loads float32 (and int32) weights only.`,
    );
  }
  return { name, shape: shape as number[], dtype };
}

/** Bytes one weight occupies; a number (possibly huge), never allocated. */
export function entryBytes(w: WeightEntry): number {
  return w.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[w.dtype];
}

/**
 * The playground's facts in model.json: null when the file carries none (a model from Keras
 * or another tfjs app) or those of another version (loaded as a foreign model); damaged ones
 * are refused, naming the field, because they decide how inputs are scaled.
 */
function readMeta(json: Record<string, unknown>, fileName: string): PlaygroundMeta | null {
  const udm = json.userDefinedMetadata;
  if (!isObject(udm)) return null;
  const m = udm[META_KEY];
  if (m === undefined) return null;
  if (isObject(m) && typeof m.version === 'number' && m.version !== META_VERSION) return null;
  const r = check(playgroundMetaSchema, m, `${fileName}'s playground settings (userDefinedMetadata.${META_KEY})`);
  if (!r.ok) {
    return fail(
      `${r.problem} The file was changed or damaged after it was saved: download the model again, or delete ` +
        `"${META_KEY}" from model.json to load it as a model from elsewhere (with your current preprocessing).`,
    );
  }
  return r.value;
}

/**
 * Parses and checks model.json (or a weights-only JSON, whose topology is absent) without
 * allocating weights. `fileName` words the messages ("model.json is not JSON: …").
 */
export function parseModelJson(text: string, fileName = 'model.json'): ParsedModelFile {
  if (text.length > MAX_MODEL_JSON_BYTES) {
    fail(`${fileName} is ${formatBytes(text.length)}, far larger than a model description; choose the model.json saved with the model.`);
  }
  // Keras' own format: an HDF5 file, which starts with these eight bytes.
  if (text.startsWith('\uFFFDHDF\r\n\u001a\n') || text.startsWith('\u0089HDF\r\n\u001a\n')) {
    return fail(
      `${fileName} is a Keras HDF5 file (.h5), not a TensorFlow.js model. Convert it with tensorflowjs_converter ` +
        '(--input_format keras), then choose the model.json it writes together with its weights file.',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return fail(`${fileName} is not JSON: ${(err as Error).message}. Choose the model.json file that was saved with the model.`);
  }
  if (!isObject(json)) {
    const held = Array.isArray(json) ? 'a list' : typeof json === 'string' ? `the text ${JSON.stringify(json.slice(0, 40))}` : String(json);
    return fail(`${fileName} does not describe a model: it holds ${held}, not an object.`);
  }
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length === 0) {
    return fail(
      `${fileName} has no weightsManifest, the list of weights that weights.bin holds, so it is not a TensorFlow.js model file.`,
    );
  }
  const paths: string[] = [];
  const weights: WeightEntry[] = [];
  for (const group of manifest) {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      return fail(`${fileName}'s weightsManifest is damaged: a group has no paths or weights. Download the model again.`);
    }
    for (const p of group.paths) {
      if (typeof p !== 'string') return fail(`${fileName}'s weightsManifest names a weights file that is not a file name.`);
      paths.push(p);
    }
    for (const w of group.weights) weights.push(checkEntry(w, weights.length));
  }
  let byteLength = 0;
  for (const w of weights) {
    const bytes = entryBytes(w);
    if (bytes > MAX_WEIGHT_BYTES) {
      fail(
        `${fileName} says the weight "${w.name}" has shape [${w.shape.join(', ')}], which is ${formatBytesCompared(bytes, MAX_WEIGHT_BYTES).a}; ` +
          `the playground loads models up to ${formatBytesCompared(bytes, MAX_WEIGHT_BYTES).b} (${formatCount(MAX_PARAMS)} parameters). ` +
          'The file is damaged or the model is too large for a browser tab.',
      );
    }
    byteLength += bytes;
  }
  if (byteLength > MAX_WEIGHT_BYTES) {
    const sizes = formatBytesCompared(byteLength, MAX_WEIGHT_BYTES);
    fail(
      `${fileName} describes ${sizes.a} of weights; the playground loads models up to ` +
        `${sizes.b} (${formatCount(MAX_PARAMS)} parameters).`,
    );
  }
  return { topology: json.modelTopology ?? null, paths, weights, byteLength, meta: readMeta(json, fileName), json };
}

/** One chosen weights file (name as the browser reports it, possibly renamed "weights (1).bin"). */
export interface WeightFile {
  name: string;
  bytes: ArrayBuffer;
}

/**
 * The manifest's shards concatenated in order, checked against the sizes the manifest
 * describes. One shard and one file match whatever the file is called (downloads get renamed).
 */
export function assembleWeightData(parsed: ParsedModelFile, files: WeightFile[]): ArrayBuffer {
  if (files.length === 0) {
    fail(`Choose the weights file (${parsed.paths[0] ?? 'weights.bin'}) together with model.json: the weights are stored in it.`);
  }
  let data: ArrayBuffer;
  if (parsed.paths.length <= 1 && files.length === 1) {
    data = files[0]!.bytes;
  } else {
    const base = (n: string) => n.split(/[\\/]/).pop()!;
    const parts = parsed.paths.map((p) => {
      const f = files.find((x) => base(x.name) === base(p));
      return f ? f.bytes : fail(`model.json needs the weights file "${base(p)}", which is not among the files you chose.`);
    });
    const total = parts.reduce((a, b) => a + b.byteLength, 0);
    const out = new Uint8Array(total);
    let off = 0;
    for (const part of parts) {
      out.set(new Uint8Array(part), off);
      off += part.byteLength;
    }
    data = out.buffer;
  }
  checkWeightBytes(parsed, data.byteLength, files.length === 1 ? files[0]!.name : 'The weights files');
  return data;
}

/** The byte count must match exactly: shorter is truncated, longer belongs to another model. */
export function checkWeightBytes(parsed: ParsedModelFile, actual: number, fileName = 'weights.bin'): void {
  if (actual === parsed.byteLength) return;
  // Rounded sizes can read the same ("2.7 MB but … 2.7 MB"): then the exact byte counts.
  const sizes = formatBytesCompared(actual, parsed.byteLength);
  const diff = Math.abs(actual - parsed.byteLength);
  fail(
    `${fileName} ${fileName.startsWith('The ') ? 'hold' : 'holds'} ${sizes.a} but model.json describes ${sizes.b}` +
      (sizes.exact ? ` (${formatExactBytes(diff)} ${actual < parsed.byteLength ? 'short' : 'too many'})` : '') +
      ': ' +
      (actual < parsed.byteLength
        ? 'the file is truncated or belongs to another model. Download or save the model again.'
        : 'the file belongs to another model. Choose the weights.bin saved together with this model.json.'),
  );
}

// ---- Topology -> ModelSpec ------------------------------------------------------------

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

// ---- Weight shapes a spec needs, compared with a file's ----------------------------------

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

/** The weights one layer of a spec owns, in tfjs' order. */
export interface LayerWeights {
  index: number;
  name: string;
  label: string;
  weights: { name: string; shape: number[] }[];
}

/**
 * Every layer's weight shapes for `spec` on `inputShape`, computed from the shape rules
 * (no tfjs), so a file can be checked before any tensor exists. Layers without weights are
 * left out. Throws if the spec cannot be built on that input.
 */
export function expectedWeights(spec: ModelSpec, inputShape: number[], numClasses: number): LayerWeights[] {
  const analysis = analyzeModel(spec, inputShape, numClasses);
  if (!analysis.ok) fail(`The model cannot be built: ${analysis.errors.join(' ')}`);
  const out: LayerWeights[] = [];
  let shape = inputShape;
  spec.layers.forEach((layer, index) => {
    const name = layerName(layer, index);
    const label = LAYER_TYPES[layer.type].label;
    const last = shape[shape.length - 1]!;
    let weights: { name: string; shape: number[] }[] = [];
    if (layer.type === 'dense') weights = [{ name: 'kernel', shape: [last, layer.units] }, { name: 'bias', shape: [layer.units] }];
    if (layer.type === 'conv2d') {
      weights = [
        { name: 'kernel', shape: [layer.kernelSize, layer.kernelSize, last, layer.filters] },
        { name: 'bias', shape: [layer.filters] },
      ];
    }
    if (layer.type === 'batchNormalization') {
      weights = ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((n) => ({ name: n, shape: [last] }));
    }
    if (weights.length > 0) out.push({ index, name, label, weights });
    shape = analysis.rows[index]!.outputShape!;
  });
  return out;
}

/**
 * A file's weights grouped per layer (by the prefix before the last "/"), layers in order of
 * first appearance. tfjs writes all trainable weights before the non-trainable ones (a
 * BatchNormalization's moving mean comes after every kernel), so groups are not contiguous.
 */
export function groupByLayer(weights: WeightEntry[]): { layer: string; entries: (WeightEntry & { offset: number })[] }[] {
  const groups = new Map<string, (WeightEntry & { offset: number })[]>();
  let offset = 0;
  for (const w of weights) {
    const cut = w.name.lastIndexOf('/');
    const layer = cut > 0 ? w.name.slice(0, cut) : w.name;
    let entries = groups.get(layer);
    if (!entries) groups.set(layer, (entries = []));
    entries.push({ ...w, offset });
    offset += entryBytes(w);
  }
  return [...groups].map(([layer, entries]) => ({ layer, entries }));
}

/** "dense_1/kernel:0" -> "kernel": the weight's role inside its layer. */
const role = (name: string) => name.slice(name.lastIndexOf('/') + 1).replace(/:\d+$/, '');

/** The group's entries in the layer's order (by role when every role is named, else file order). */
function inLayerOrder<T extends WeightEntry>(entries: T[], names: string[]): T[] {
  const byRole = names.map((n) => entries.find((e) => role(e.name) === n));
  return byRole.every((e) => e !== undefined) ? (byRole as T[]) : entries;
}

const fmtShape = (s: number[]) => `[${s.join(', ')}]`;

/** Where each layer's weights lie in weights.bin, once the shapes have been checked. */
export interface WeightPlan {
  layer: LayerWeights;
  entries: (WeightEntry & { offset: number })[];
}

/**
 * Matches a file's weights to the layers of a spec, layer by layer, and names the first
 * layer whose shapes differ ("Layer 2 (dense_2, Dense): saved kernel is [784, 256], this
 * model needs [784, 512]"). Returns where each layer's weights lie in the data.
 */
export function planWeights(expected: LayerWeights[], weights: WeightEntry[], source = 'saved'): WeightPlan[] {
  const groups = groupByLayer(weights);
  const plans: WeightPlan[] = [];
  const n = Math.min(expected.length, groups.length);
  for (let i = 0; i < n; i++) {
    const layer = expected[i]!;
    const group = groups[i]!;
    const title = `Layer ${layer.index + 1} (${layer.name}, ${layer.label})`;
    if (group.entries.length !== layer.weights.length) {
      fail(
        `${title}: the ${source} layer "${group.layer}" has ${group.entries.length} weight tensor${group.entries.length === 1 ? '' : 's'}, ` +
          `this model needs ${layer.weights.length} (${layer.weights.map((w) => w.name).join(', ')}). The file belongs to another architecture.`,
      );
    }
    const entries = inLayerOrder(group.entries, layer.weights.map((w) => w.name));
    layer.weights.forEach((w, j) => {
      const saved = entries[j]!;
      if (saved.shape.length !== w.shape.length || saved.shape.some((d, k) => d !== w.shape[k])) {
        fail(`${title}: ${source} ${w.name} is ${fmtShape(saved.shape)}, this model needs ${fmtShape(w.shape)}.`);
      }
      if (saved.dtype !== 'float32') fail(`${title}: ${source} ${w.name} holds ${saved.dtype} numbers, this model needs float32.`);
    });
    plans.push({ layer, entries });
  }
  if (expected.length !== groups.length) {
    const describe = (k: number) => `${k} layer${k === 1 ? '' : 's'} with weights`;
    const extra =
      expected.length > groups.length
        ? `Layer ${expected[n]!.index + 1} (${expected[n]!.name}, ${expected[n]!.label}) has no ${source} weights`
        : `the ${source} layer "${groups[n]!.layer}" has no layer here`;
    fail(
      `The ${source} weights belong to another architecture: there are ${describe(groups.length)} ${source}, this model has ` +
        `${describe(expected.length)}; ${extra}.`,
    );
  }
  return plans;
}

/** The total parameter count of a checked file, for summaries. */
export function countParams(weights: WeightEntry[]): number {
  return weights.reduce((a, w) => a + w.shape.reduce((x, y) => x * y, 1), 0);
}

/** model.json minus the topology: what "Download weights" saves next to weights.bin. */
export function weightsOnlyJson(modelJson: Record<string, unknown>): Record<string, unknown> {
  const { modelTopology: _t, ...rest } = modelJson;
  return { ...rest, format: 'weights-manifest' };
}

/** A file the learner chose, read lazily (a browser File fits this). */
export interface ChosenFile {
  name: string;
  size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * Sorts chosen files into one model.json and its .bin weights, refusing (before reading
 * anything) a wrong mix or a file too large to be one of ours.
 */
export function pickModelFiles<T extends ChosenFile>(files: readonly T[]): { json: T; bins: T[] } {
  const jsons = files.filter((f) => /\.json$/i.test(f.name));
  const bins = files.filter((f) => /\.bin$/i.test(f.name));
  const other = files.find((f) => !jsons.includes(f) && !bins.includes(f));
  if (files.length === 0) fail('Choose the model files: model.json and weights.bin (hold Ctrl or ⌘ to pick both).');
  if (other) fail(`"${other.name}" is neither a model.json nor a .bin weights file. Choose model.json and weights.bin.`);
  if (jsons.length === 0) fail(`You chose ${bins.map((b) => b.name).join(', ')} only: choose model.json too (hold Ctrl or ⌘ to pick both), it describes the weights.`);
  if (jsons.length > 1) fail(`Choose one model.json at a time (you chose ${jsons.map((j) => j.name).join(', ')}).`);
  if (bins.length === 0) fail(`You chose ${jsons[0]!.name} only: choose its weights.bin too (hold Ctrl or ⌘ to pick both).`);
  const json = jsons[0]!;
  if (json.size > MAX_MODEL_JSON_BYTES) {
    fail(`${json.name} is ${formatBytes(json.size)}, far larger than a model description; choose the model.json saved with the model.`);
  }
  const binBytes = bins.reduce((a, b) => a + b.size, 0);
  if (binBytes > MAX_WEIGHT_BYTES) {
    const sizes = formatBytesCompared(binBytes, MAX_WEIGHT_BYTES);
    fail(`The weights files hold ${sizes.a}; the playground loads models up to ${sizes.b} (${formatCount(MAX_PARAMS)} parameters).`);
  }
  return { json, bins };
}
