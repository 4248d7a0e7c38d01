/**
 * The weights a ModelSpec needs, compared with a file's: each layer's shapes from the shape
 * rules (no tfjs), where each layer's weights lie in weights.bin, and the weight data
 * assembled from its shards and checked against the byte count model.json describes.
 */
import { analyzeModel } from '../analyze';
import { LAYER_TYPES } from '../layers';
import type { ModelSpec } from '../types';
import { formatBytesCompared, formatExactBytes } from '../../format';
import { fail } from './error';
import { entryBytes, type ParsedModelFile, type WeightEntry } from './manifest';
import { layerName } from './topology';

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
