/**
 * Random, stratified selection of examples: every subset keeps the class proportions of its
 * source, so a small training subset or a validation split is never missing a class by bad
 * luck, and validation accuracy is comparable across runs. All randomness comes from the
 * `Rng` passed in, so a seed reproduces the exact selection.
 */
import type { Rng } from '../rng';
import { DataFormatError } from './types';

/** Indices of `indices` grouped by label, each group in input order. */
function groupByClass(indices: ArrayLike<number>, labels: Int32Array, numClasses: number): Int32Array[] {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new RangeError(`numClasses must be a positive integer, got ${numClasses}.`);
  }
  const counts = new Int32Array(numClasses);
  for (let i = 0; i < indices.length; i++) {
    const idx = indices[i];
    if (!Number.isInteger(idx) || idx < 0 || idx >= labels.length) {
      throw new RangeError(`Index ${idx} at position ${i} is outside the ${labels.length} labels.`);
    }
    const label = labels[idx];
    if (label < 0 || label >= numClasses) {
      throw new DataFormatError(
        `Example ${idx} has the label ${label}, but this dataset only has the classes 0..${numClasses - 1}. ` +
          `The labels do not belong to this dataset; reload it.`,
      );
    }
    counts[label]++;
  }
  const groups = Array.from(counts, (c) => new Int32Array(c));
  const fill = new Int32Array(numClasses);
  for (let i = 0; i < indices.length; i++) {
    const label = labels[indices[i]];
    groups[label][fill[label]++] = indices[i];
  }
  return groups;
}

/**
 * Splits `count` among classes in proportion to `sizes` by largest remainder, so the total is
 * exactly `count` and every class is within 1 of its exact share. Integer arithmetic only,
 * so float rounding never shifts an example from one class to another. Requires count < sum.
 */
function allocate(sizes: number[], count: number): number[] {
  const total = sizes.reduce((s, c) => s + c, 0);
  const alloc = sizes.map((c) => Math.floor((count * c) / total));
  let left = count - alloc.reduce((s, a) => s + a, 0);
  // Largest remainder first; ties go to the lower class index.
  const order = sizes
    .map((c, k) => ({ k, rem: (count * c) % total }))
    .sort((x, y) => y.rem - x.rem || x.k - y.k);
  for (let i = 0; left > 0; i++, left--) alloc[order[i].k]++;

  // Guarantee every present class is represented when the budget allows. The donor is the
  // class furthest above its exact share that can spare one, so proportions suffer least.
  const present = sizes.filter((c) => c > 0).length;
  if (count >= present) {
    for (let k = 0; k < sizes.length; k++) {
      if (sizes[k] === 0 || alloc[k] > 0) continue;
      let donor = -1;
      let best = -Infinity;
      for (let j = 0; j < sizes.length; j++) {
        if (alloc[j] < 2) continue;
        const excess = alloc[j] * total - count * sizes[j];
        if (excess > best) {
          best = excess;
          donor = j;
        }
      }
      // count >= present classes means some class holds at least 2 while one holds 0.
      alloc[donor]--;
      alloc[k]++;
    }
  }
  return alloc;
}

/** The first `k` entries of a copy of `group`, chosen uniformly (partial Fisher–Yates). */
function sample(group: Int32Array, k: number, rng: Rng): Int32Array {
  const a = group.slice();
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(a.length - i);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

function concat(parts: Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * Picks `count` example indices (into `labels`) with the class proportions of the whole set:
 * each class gets its share rounded by largest remainder (total exactly `count`, each class
 * within ±1 of its share), and at least one example when `count >= numClasses` and the class
 * occurs (the one it gets is taken from the class most above its share, which in rare cases
 * with many tiny classes pushes that class more than 1 below). Which examples is random per class; the result is shuffled. `count >= labels.length`
 * returns every index, shuffled. Labels must lie in 0..numClasses-1.
 */
export function stratifiedSubset(labels: Int32Array, numClasses: number, count: number, rng: Rng): Int32Array {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`The number of examples to pick must be a whole number ≥ 0, got ${count}.`);
  }
  const all = Int32Array.from({ length: labels.length }, (_, i) => i);
  const groups = groupByClass(all, labels, numClasses);
  if (count >= labels.length) return rng.shuffle(all);
  const alloc = allocate(Array.from(groups, (g) => g.length), count);
  return rng.shuffle(concat(groups.map((g, k) => sample(g, alloc[k], rng).subarray(0, alloc[k]))));
}

/**
 * Holds out a stratified validation set from `indices` (indices into `labels`): from each class
 * `round(validationFraction × classCount)` examples, chosen at random, go to validation and the
 * rest to train. Both outputs are shuffled; together they are exactly `indices`.
 * `validationFraction` is in [0, 1); 0 gives an empty validation set.
 */
export function stratifiedSplit(
  indices: Int32Array,
  labels: Int32Array,
  numClasses: number,
  validationFraction: number,
  rng: Rng,
): { train: Int32Array; validation: Int32Array } {
  if (!(validationFraction >= 0 && validationFraction < 1)) {
    throw new RangeError(
      `The validation fraction must be at least 0 and below 1 (e.g. 0.1 for 10%), got ${validationFraction}.`,
    );
  }
  const groups = groupByClass(indices, labels, numClasses);
  const train: Int32Array[] = [];
  const validation: Int32Array[] = [];
  for (const g of groups) {
    const k = Math.round(validationFraction * g.length);
    const picked = sample(g, k, rng);
    validation.push(picked.subarray(0, k));
    train.push(picked.subarray(k));
  }
  return { train: rng.shuffle(concat(train)), validation: rng.shuffle(concat(validation)) };
}
