/**
 * Cross-validation mode: the training examples (the validation split pooled back in) are cut
 * once into k stratified folds, uploaded once with each fold contiguous; every epoch one fold,
 * chosen at random, is held out for validation (a slice on the device) and the rest is
 * trained on (the training loop's batch gathers pick from the remaining indices).
 *
 * Which fold an epoch holds out depends only on (seed, epoch), so a resumed run repeats it.
 * Within every k consecutive epochs (0..k-1, k..2k-1, …) each fold is held out exactly once,
 * and no fold is held out two epochs in a row.
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/types';
import { computeStats } from '../data/preprocess';
import { stratifiedSubset } from '../data/split';
import { createRng, deriveSeed } from '../rng';
import { toTensors, type DataSettings, type PreparedData } from './prepare';
import type { EpochData, TensorData } from './train';

/** Where each fold lies in the pooled data: fold f is rows starts[f] .. starts[f]+sizes[f]-1. */
export interface FoldLayout {
  starts: number[];
  sizes: number[];
  count: number;
}

/**
 * Splits `indices` into k folds with every class spread evenly: each class is shuffled, the
 * classes are laid end to end, and position p goes to fold p mod k. So every fold holds each
 * class's share to within one example, and fold sizes differ by at most one.
 */
export function stratifiedFolds(indices: Int32Array, labels: Int32Array, numClasses: number, k: number, seed: number): Int32Array[] {
  if (!Number.isInteger(k) || k < 2 || k > indices.length) {
    throw new RangeError(`Cross-validation needs a whole number of folds from 2 to ${indices.length} (the examples), got ${k}.`);
  }
  const rng = createRng(deriveSeed(seed, 'folds'));
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (const i of indices) byClass[labels[i]!]!.push(i);
  const dealt: number[][] = Array.from({ length: k }, () => []);
  let p = 0;
  for (const group of byClass) for (const i of rng.shuffle(group)) dealt[p++ % k]!.push(i);
  return dealt.map((f) => Int32Array.from(f));
}

/** The fold epoch `epoch` holds out: a fresh random order of the k folds every k epochs. */
export function foldForEpoch(seed: number, epoch: number, k: number): number {
  return roundOrder(seed, Math.floor(epoch / k), k)[epoch % k]!;
}

function roundOrder(seed: number, round: number, k: number): number[] {
  const order = createRng(deriveSeed(seed, `fold-round:${round}`)).shuffle(Array.from({ length: k }, (_, i) => i));
  if (round > 0) {
    const last = roundOrder(seed, round - 1, k)[k - 1];
    if (order[0] === last) [order[0], order[1]] = [order[1]!, order[0]!]; // never the same fold twice in a row
  }
  return order;
}

/**
 * The data for a cross-validated run: the same stratified subset of examples as `prepareData`
 * picks, all of it in `train` (fold after fold), no fixed validation set. Preprocessing
 * statistics come from the whole pool (every example is validated on in some epochs).
 */
export function prepareCrossValidation(dataset: Dataset, s: DataSettings & { folds: number }): PreparedData & { folds: FoldLayout } {
  const numClasses = dataset.classNames.length;
  const rng = createRng(deriveSeed(s.seed, 'split'));
  const chosen = stratifiedSubset(dataset.train.labels, numClasses, s.trainingExamples, rng);
  const folds = stratifiedFolds(chosen, dataset.train.labels, numClasses, s.folds, s.seed);
  const pooled = new Int32Array(chosen.length);
  const starts: number[] = [];
  let at = 0;
  for (const f of folds) {
    starts.push(at);
    pooled.set(f, at);
    at += f.length;
  }
  const [h, w, c] = dataset.shape;
  const stats = computeStats(dataset.train.images, h * w * c, pooled);
  const train = toTensors(dataset.train, dataset, pooled, s, stats);
  return {
    train,
    validation: null,
    stats,
    folds: { starts, sizes: folds.map((f) => f.length), count: pooled.length },
    dispose: () => tf.dispose([train.x, train.y]),
  };
}

/** `TrainOptions.epochData` for cross-validation over `pooled`, laid out as `layout`. */
export function foldEpochs(pooled: TensorData, layout: FoldLayout, seed: number): (epoch: number) => EpochData {
  const k = layout.sizes.length;
  return (epoch) => {
    const fold = foldForEpoch(seed, epoch, k);
    const start = layout.starts[fold]!;
    const size = layout.sizes[fold]!;
    const trainIds = new Int32Array(layout.count - size);
    for (let i = 0, j = 0; i < layout.count; i++) if (i < start || i >= start + size) trainIds[j++] = i;
    const x = tf.slice(pooled.x, start, size);
    const y = tf.slice(pooled.y, start, size);
    return { trainIds, validation: { x, y, count: size }, dispose: () => tf.dispose([x, y]) };
  };
}
