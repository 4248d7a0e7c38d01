/**
 * model.json read and checked without tfjs and without allocating anything: the playground's
 * facts (meta), the weights manifest and the byte counts it describes, and the choice of
 * files ("model.json and weights.bin") before any of them is read.
 */
import { MAX_PARAMS, PARAMS_BYTES } from '../analyze';
import * as v from 'valibot';
import { check } from '../../schema/check';
import { count, lossSchema, modelSpecSchema, preprocessingSchema, statsSchema } from '../../schema/model';
import { formatBytes, formatBytesCompared, formatCount } from '../../format';
import { fail, isObject } from './error';

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
