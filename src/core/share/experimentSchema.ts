/**
 * The experiment as a file (`experiment.json`) and as a link (`?exp=`): one versioned valibot
 * schema for everything a run depends on. The schema gives both the TypeScript type and the
 * structural check; the semantic checks (ranges, a layer stack that works) stay where they
 * are, in `validateSettings` and `analyzeModel` (see ./openExperiment.ts).
 *
 * A file is `{ format, version, dataset, config }`: `dataset` names a built-in dataset by id or
 * an imported one by name and fingerprint (an imported dataset's id is local to one browser),
 * `config` is ExperimentConfig without `datasetId`. Pure: no DOM.
 */
import * as v from 'valibot';
import type { ExperimentConfig } from '../training/config';
import { layerSchema, lossSchema, modelSpecSchema, num, preprocessingSchema } from '../schema/model';
import { OPTIMIZER_IDS } from '../optimizers/catalog';
import { SCHEDULE_IDS } from '../schedules/schedules';
import { MONITOR_IDS, MONITOR_MODES } from '../callbacks/settings';

/** The format version this app writes; it reads this one and every older one. */
export const EXPERIMENT_VERSION = 1;
/** Marks a JSON file as an experiment of this app. */
export const EXPERIMENT_FORMAT = 'training-playground/experiment';

const monitor = v.picklist(MONITOR_IDS);
const mode = v.picklist(MONITOR_MODES);

/** Re-exported: the layer schema is shared with the model file and checkpoint checks. */
export { layerSchema };

const checkpointsSchema = v.object({
  enabled: v.boolean(),
  policy: v.picklist(['everyEpoch', 'everyN', 'bestOnly'] as const),
  everyN: num,
  monitor,
  mode,
  nameTemplate: v.pipe(v.string(), v.maxLength(200)),
  keepLast: num,
});

const scheduleSchema = v.object({
  id: v.picklist(SCHEDULE_IDS),
  stepPer: v.picklist(['batch', 'epoch'] as const),
  params: v.record(v.string(), num),
  monitor: v.optional(monitor),
});

const earlyStoppingSchema = v.object({
  enabled: v.boolean(),
  monitor,
  mode,
  patience: num,
  minDelta: num,
  baseline: v.nullable(num),
  restoreBestWeights: v.boolean(),
});

const augmentationSchema = v.object({
  fraction: num,
  flipH: v.boolean(),
  flipV: v.boolean(),
  rot90: v.boolean(),
  rotateDeg: num,
  shiftW: num,
  shiftH: num,
  shiftMode: v.picklist(['roll', 'pad'] as const),
  zoom: num,
  brightness: num,
});

/** ExperimentConfig without `datasetId` (the file's `dataset` says which one). */
export const configSchema = v.object({
  trainingExamples: num,
  preprocessing: preprocessingSchema,
  model: modelSpecSchema,
  optimizer: v.picklist(OPTIMIZER_IDS),
  learningRate: num,
  loss: lossSchema,
  oneHotLabels: v.boolean(),
  epochs: num,
  batchSize: num,
  validationSplit: num,
  seed: num,
  backend: v.picklist(['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const),
  optimizerParams: v.record(v.string(), num),
  stepsPerEpoch: v.nullable(num),
  crossValidation: v.boolean(),
  folds: num,
  checkpoints: v.optional(checkpointsSchema),
  schedule: v.optional(scheduleSchema),
  earlyStopping: earlyStoppingSchema,
  augmentation: v.optional(augmentationSchema),
  inspectEvery: v.optional(num),
});

export const datasetRefSchema = v.variant('kind', [
  v.object({ kind: v.literal('builtin'), id: v.pipe(v.string(), v.maxLength(100)) }),
  v.object({
    kind: v.literal('imported'),
    name: v.pipe(v.string(), v.maxLength(200)),
    /** See `datasetFingerprint`: the same images' shape, classes and counts give the same one. */
    fingerprint: v.pipe(v.string(), v.maxLength(100)),
  }),
]);

/** An experiment file of the current version. */
export const experimentSchema = v.object({
  format: v.literal(EXPERIMENT_FORMAT),
  version: v.literal(EXPERIMENT_VERSION),
  dataset: datasetRefSchema,
  config: configSchema,
});

/** Each config field as the form names it, for messages ("Not in the file: Epochs, Seed"). */
export const FIELD_LABELS: Record<keyof SharedConfig, string> = {
  trainingExamples: 'Training examples',
  preprocessing: 'Preprocessing',
  model: 'Model',
  optimizer: 'Optimizer',
  learningRate: 'Learning rate',
  loss: 'Loss',
  oneHotLabels: 'One-hot labels',
  epochs: 'Epochs',
  batchSize: 'Batch size',
  validationSplit: 'Validation split',
  seed: 'Seed',
  backend: 'Backend',
  optimizerParams: 'Optimizer settings',
  stepsPerEpoch: 'Steps per epoch',
  crossValidation: 'Cross-validation',
  folds: 'Folds',
  checkpoints: 'Checkpoints',
  schedule: 'Schedule',
  earlyStopping: 'Early stopping',
  augmentation: 'Augmentation',
  inspectEvery: 'Layer measurements',
};

export type ExperimentDocument = v.InferOutput<typeof experimentSchema>;
export type DatasetRef = v.InferOutput<typeof datasetRefSchema>;
export type SharedConfig = v.InferOutput<typeof configSchema>;

// The schema and ExperimentConfig must describe the same thing: a field added to one and not
// the other fails the typecheck here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: Same<SharedConfig, Omit<ExperimentConfig, 'datasetId'>> = true;
void sameShape;
