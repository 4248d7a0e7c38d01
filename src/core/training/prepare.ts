/**
 * Turns a dataset and the data settings into device tensors: a stratified subset, a
 * stratified shuffled validation hold-out, and preprocessing whose statistics come from the
 * training split only (so nothing about validation or test leaks into training).
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset, ImageSet } from '../data/types';
import { computeStats, preprocess, type PreprocessingId } from '../data/preprocess';
import { stratifiedSplit, stratifiedSubset } from '../data/split';
import { createRng, deriveSeed } from '../rng';
import type { TensorData } from './train';

export interface DataSettings {
  trainingExamples: number;
  validationSplit: number;
  preprocessing: PreprocessingId;
  oneHotLabels: boolean;
  seed: number;
}

export interface PreparedData {
  train: TensorData;
  validation: TensorData | null;
  /** Mean and std of the training split, used by 'standardize' (and for test data). */
  stats: { mean: number; std: number };
  dispose(): void;
}

/** Tensors for the images `indices` of `set`, preprocessed. */
export function toTensors(
  set: ImageSet,
  dataset: Dataset,
  indices: Int32Array,
  settings: Pick<DataSettings, 'preprocessing' | 'oneHotLabels'>,
  stats: { mean: number; std: number },
): TensorData {
  const [h, w, c] = dataset.shape;
  const pixels = preprocess(set.images, h * w * c, indices, settings.preprocessing, stats);
  const labels = Int32Array.from(indices, (i) => set.labels[i]!);
  const x = tf.tensor4d(pixels, [indices.length, h, w, c], 'float32');
  const y = tf.tidy(() => {
    const ints = tf.tensor1d(labels, 'int32');
    return settings.oneHotLabels ? tf.oneHot(ints, dataset.classNames.length).toFloat() : ints;
  });
  return { x, y, count: indices.length };
}

/**
 * Everything `prepareData` depends on besides the dataset, as a string: two configs with the
 * same key get the same tensors, so data prepared for one serves the other.
 */
export function dataKey(config: { datasetId: string } & DataSettings): string {
  return JSON.stringify([config.datasetId, ...DATA_SETTINGS.map((k) => config[k])]);
}

/** Every field of DataSettings (the type makes a new field fail to compile until listed here). */
const DATA_SETTING_FIELDS: Record<keyof DataSettings, true> = {
  trainingExamples: true,
  validationSplit: true,
  preprocessing: true,
  oneHotLabels: true,
  seed: true,
};
const DATA_SETTINGS = Object.keys(DATA_SETTING_FIELDS) as (keyof DataSettings)[];

/** Selects, splits and uploads the training data for one run. */
export function prepareData(dataset: Dataset, s: DataSettings): PreparedData {
  const numClasses = dataset.classNames.length;
  const rng = createRng(deriveSeed(s.seed, 'split'));
  const chosen = stratifiedSubset(dataset.train.labels, numClasses, s.trainingExamples, rng);
  const split = stratifiedSplit(chosen, dataset.train.labels, numClasses, s.validationSplit, rng);
  const [h, w, c] = dataset.shape;
  const stats = computeStats(dataset.train.images, h * w * c, split.train);
  const train = toTensors(dataset.train, dataset, split.train, s, stats);
  const validation = split.validation.length > 0 ? toTensors(dataset.train, dataset, split.validation, s, stats) : null;
  return {
    train,
    validation,
    stats,
    dispose() {
      tf.dispose([train.x, train.y]);
      if (validation) tf.dispose([validation.x, validation.y]);
    },
  };
}

/** The whole test split, preprocessed with the training statistics. */
export function prepareTest(
  dataset: Dataset,
  s: Pick<DataSettings, 'preprocessing' | 'oneHotLabels'>,
  stats: { mean: number; std: number },
): TensorData {
  const all = Int32Array.from({ length: dataset.test.count }, (_, i) => i);
  return toTensors(dataset.test, dataset, all, s, stats);
}
