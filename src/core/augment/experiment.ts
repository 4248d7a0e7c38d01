/**
 * Augmentation in an experiment: the batch transform the training loop applies, the preview
 * of augmented training images, and the checks that need the dataset.
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/types';
import { preprocess, type PixelStats } from '../data/preprocess';
import type { ExperimentConfig } from '../training/config';
import { deriveSeed } from '../rng';
import type { Experiment } from '../experiment';
import { prepareTest } from '../training/prepare';
import { evaluateInvariance, type InvariancePoint } from './invariance';
import {
  applyAugmentation,
  augmentationTransform,
  augmentRng,
  describeParams,
  isAugmenting,
  sampleParams,
  type AugmentationConfig,
  type PixelRange,
} from './augment';

/** Values of a black (0) and a white (255) pixel after the config's preprocessing. */
export function pixelRange(preprocessing: ExperimentConfig['preprocessing'], stats: PixelStats): PixelRange {
  const v = preprocess(Uint8Array.of(0, 255), 1, Int32Array.of(0, 1), preprocessing, stats);
  return { black: v[0]!, white: v[1]! };
}

/** Problems that depend on the dataset (quarter turns on non-square images). */
export function augmentationProblems(config: ExperimentConfig, dataset: Pick<Dataset, 'name' | 'shape'>): string[] {
  const a = config.augmentation;
  const [h, w] = dataset.shape;
  if (isAugmenting(a) && a.rot90 && h !== w) {
    return [
      `"Rotate by 90/180/270" needs square images, but ${dataset.name} images are ${h}×${w}: a quarter turn would ` +
        'change their shape. Switch it off, or use "Rotation range" instead.',
    ];
  }
  return [];
}

/** train()'s `transformBatch` for this config, or undefined when nothing is augmented. */
export function batchAugmentation(
  config: ExperimentConfig,
  stats: PixelStats,
): ((x: tf.Tensor, info: { step: number }) => tf.Tensor) | undefined {
  if (!isAugmenting(config.augmentation)) return undefined;
  return augmentationTransform(config.augmentation, config.seed, pixelRange(config.preprocessing, stats));
}

/** One training image and its augmented versions, as uint8 pixels with their parameters. */
export interface PreviewItem {
  label: number;
  original: Uint8Array;
  versions: { pixels: Uint8Array; params: string }[];
}

/**
 * `images` training images (one per class first) with `versions` augmented versions each.
 * Every version is augmented (the fraction only applies in training); `round` picks fresh
 * random versions, the same ones again for the same seed and round.
 */
export function previewAugmentation(
  dataset: Dataset,
  a: AugmentationConfig,
  opts: { seed: number; round: number; images?: number; versions?: number },
): PreviewItem[] {
  const images = opts.images ?? 5;
  const versions = opts.versions ?? 5;
  const [h, w, c] = dataset.shape;
  const size = h * w * c;
  const picked: number[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < dataset.train.count && picked.length < images; i++) {
    if (!seen.has(dataset.train.labels[i]!)) (seen.add(dataset.train.labels[i]!), picked.push(i));
  }
  for (let i = 0; i < dataset.train.count && picked.length < images; i++) if (!picked.includes(i)) picked.push(i);
  const rng = augmentRng(deriveSeed(opts.seed, 'preview'), opts.round);
  const params = sampleParams({ ...a, fraction: 1 }, picked.length * versions, h, w, rng);
  const out = tf.tidy(() => {
    const idx = Int32Array.from(picked.flatMap((i) => Array.from({ length: versions }, () => i)));
    const x = tf.tensor4d(preprocess(dataset.train.images, size, idx, 'normalize'), [idx.length, h, w, c]);
    const y = applyAugmentation(x, params, a.shiftMode, { black: 0, white: 1 });
    return tf.cast(tf.round(tf.mul(tf.clipByValue(y, 0, 1), 255)), 'int32');
  });
  const data = out.dataSync();
  out.dispose();
  return picked.map((i, k) => ({
    label: dataset.train.labels[i]!,
    original: dataset.train.images.slice(i * size, (i + 1) * size),
    versions: Array.from({ length: versions }, (_, v) => {
      const n = k * versions + v;
      return { pixels: Uint8Array.from(data.subarray(n * size, (n + 1) * size)), params: describeParams(params[n]!) };
    }),
  }));
}

/**
 * The invariance sweeps on the experiment's test split (uploaded on first use), with the
 * experiment's preprocessing for the black fill.
 */
export function experimentInvariance(
  exp: Experiment,
  opts: { onPoint?: (p: InvariancePoint) => void; shouldStop?: () => boolean; maxExamples?: number } = {},
): Promise<InvariancePoint[]> {
  exp.test ??= prepareTest(exp.dataset, exp.config, exp.data.stats);
  return evaluateInvariance({
    model: exp.model,
    test: exp.test,
    loss: exp.config.loss,
    range: pixelRange(exp.config.preprocessing, exp.data.stats),
    seed: exp.config.seed,
    maxExamples: opts.maxExamples ?? 2000,
    onPoint: opts.onPoint,
    shouldStop: opts.shouldStop,
  });
}
