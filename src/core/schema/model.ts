/**
 * The valibot schemas of the pieces several stored or shared formats carry: a layer stack,
 * the preprocessing and loss ids, pixel statistics. The experiment file (core/share), the
 * model file's playground metadata (core/model/file/manifest) and the checkpoint manifest
 * (core/checkpoint/snapshot) build on them, so a layer kind added to the app is added to
 * every check at once (the typecheck below fails otherwise).
 */
import * as v from 'valibot';
import { ACTIVATIONS, PADDINGS } from '../model/layers';
import type { LayerSpec } from '../model/types';
import type { PreprocessingId } from '../data/preprocess';
import type { LossId } from '../training/losses-catalog';

/** A finite number (no NaN, no Infinity: JSON cannot carry them, a hand edit can). */
export const num = v.pipe(v.number(), v.finite());
/** A whole number ≥ 0 (a count, a dimension). */
export const count = v.pipe(v.number(), v.integer(), v.minValue(0));

const activation = v.picklist(ACTIVATIONS);
const padding = v.picklist(PADDINGS);

export const layerSchema = v.variant('type', [
  v.object({ type: v.literal('dense'), units: num, activation }),
  v.object({ type: v.literal('conv2d'), filters: num, kernelSize: num, strides: num, padding, activation }),
  v.object({ type: v.literal('maxPooling2d'), poolSize: num, strides: num, padding }),
  v.object({ type: v.literal('flatten') }),
  v.object({ type: v.literal('dropout'), rate: num }),
  v.object({ type: v.literal('batchNormalization'), momentum: num, epsilon: num }),
  v.object({ type: v.literal('activation'), activation }),
]);

/** A layer stack; its semantics (does it build?) are checked by analyzeModel, not here. */
export const modelSpecSchema = v.object({ layers: v.pipe(v.array(layerSchema), v.maxLength(500)) });

export const preprocessingSchema = v.picklist(['raw', 'normalize', 'center', 'standardize'] as const);
export const lossSchema = v.picklist(['sparseCategoricalCrossentropy', 'categoricalCrossentropy'] as const);
export const statsSchema = v.object({ mean: num, std: num });

// The schemas and the app's types must describe the same thing: a layer kind, preprocessing
// or loss added to one and not the other fails the typecheck here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same: [
  Same<v.InferOutput<typeof layerSchema>, LayerSpec>,
  Same<v.InferOutput<typeof preprocessingSchema>, PreprocessingId>,
  Same<v.InferOutput<typeof lossSchema>, LossId>,
] = [true, true, true];
void same;
