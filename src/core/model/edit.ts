/**
 * Whole-stack edits the layer table offers as one action (the deep-network lesson needs a
 * BatchNormalization after each of 40 Dense layers), and the folding of repeated layers into
 * one row. Pure: the store applies them.
 */
import { defaultLayer } from './layers';
import type { LayerSpec, LayerType } from './types';

/** Layers with weights, after which a normalization layer belongs. */
export const WEIGHT_LAYERS: readonly LayerType[] = ['dense', 'conv2d'];

const isOutput = (l: LayerSpec) => (l.type === 'dense' || l.type === 'activation') && l.activation === 'softmax';

/**
 * A `kind` layer (with its defaults) after every layer of the types `after`, except the
 * softmax output and layers already followed by one. Returns the new stack and how many
 * layers were added.
 */
export function addAfterEach(layers: readonly LayerSpec[], kind: LayerType, after: readonly LayerType[] = WEIGHT_LAYERS): { layers: LayerSpec[]; added: number } {
  const out: LayerSpec[] = [];
  let added = 0;
  layers.forEach((l, i) => {
    out.push(l);
    if (!after.includes(l.type) || isOutput(l) || layers[i + 1]?.type === kind) return;
    out.push(defaultLayer(kind));
    added++;
  });
  return { layers: out, added };
}

/** The stack without any layer of `type`, and how many were removed. */
export function removeAllOfType(layers: readonly LayerSpec[], type: LayerType): { layers: LayerSpec[]; removed: number } {
  const kept = layers.filter((l) => l.type !== type);
  return { layers: kept, removed: layers.length - kept.length };
}

/** A run of equal consecutive layers: `count` copies starting at index `start`. */
export interface LayerGroup {
  start: number;
  count: number;
}

const same = (a: LayerSpec, b: LayerSpec) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The stack as groups of equal consecutive layers, for the folded view; a repeated pair
 * (Dense, BatchNormalization) × 40 folds too, as groups of `period` 2. Groups of one are the
 * layers that are not repeated.
 */
export function foldRepeats(layers: readonly LayerSpec[]): (LayerGroup & { period: number })[] {
  const groups: (LayerGroup & { period: number })[] = [];
  let i = 0;
  while (i < layers.length) {
    let best = { count: 1, period: 1 };
    for (const period of [1, 2]) {
      let count = 1;
      while (
        i + (count + 1) * period <= layers.length &&
        Array.from({ length: period }, (_, k) => same(layers[i + k]!, layers[i + count * period + k]!)).every(Boolean)
      ) {
        count++;
      }
      // A pair counts when it repeats; it must cover more layers than runs of single layers.
      if (count > 1 && count * period > best.count * best.period) best = { count, period };
    }
    groups.push({ start: i, count: best.count, period: best.period });
    i += best.count * best.period;
  }
  return groups;
}
