/**
 * The confusion matrix of a classifier on a labelled set, and the per-class numbers a learner
 * reads from it. Pure functions on typed arrays: they run in Node, the worker and the page.
 */

/**
 * Counts per (true class, predicted class): `matrix[t * numClasses + p]` is the number of
 * images of class `t` the model called `p`. Rows are true classes, columns predictions.
 */
export function confusionMatrix(labels: Int32Array, predicted: Int32Array, numClasses: number): Int32Array {
  if (labels.length !== predicted.length) {
    throw new RangeError(`There are ${labels.length} labels but ${predicted.length} predictions.`);
  }
  const m = new Int32Array(numClasses * numClasses);
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i]!;
    const p = predicted[i]!;
    if (t < 0 || t >= numClasses || p < 0 || p >= numClasses) {
      throw new RangeError(`Image ${i} has class ${t} predicted as ${p}, outside 0..${numClasses - 1}.`);
    }
    m[t * numClasses + p]!++;
  }
  return m;
}

/** One class's results on the test set. Fractions in [0, 1]; NaN where undefined (0 / 0). */
export interface ClassMetrics {
  /** Test images of this class (the row sum). */
  support: number;
  /** Of them, classified correctly (the diagonal cell). */
  correct: number;
  /** Images the model called this class (the column sum). */
  predictedCount: number;
  /** correct / predictedCount: when the model says this class, how often it is right. */
  precision: number;
  /** correct / support: how many of this class's images the model finds. */
  recall: number;
  /**
   * The class's accuracy: the fraction of its images classified correctly. For a single class
   * this is the same number as recall; it is what "accuracy on 4s" means.
   */
  accuracy: number;
  /** Harmonic mean of precision and recall. */
  f1: number;
}

/** Per-class precision, recall, accuracy and F1 from a `confusionMatrix`. */
export function perClassMetrics(matrix: Int32Array, numClasses: number): ClassMetrics[] {
  if (matrix.length !== numClasses * numClasses) {
    throw new RangeError(`A confusion matrix of ${numClasses} classes has ${numClasses * numClasses} cells, not ${matrix.length}.`);
  }
  const out: ClassMetrics[] = [];
  for (let c = 0; c < numClasses; c++) {
    let support = 0;
    let predictedCount = 0;
    for (let k = 0; k < numClasses; k++) {
      support += matrix[c * numClasses + k]!;
      predictedCount += matrix[k * numClasses + c]!;
    }
    const correct = matrix[c * numClasses + c]!;
    const precision = predictedCount > 0 ? correct / predictedCount : NaN;
    const recall = support > 0 ? correct / support : NaN;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : precision === 0 && recall === 0 ? 0 : NaN;
    out.push({ support, correct, predictedCount, precision, recall, accuracy: recall, f1 });
  }
  return out;
}

/** Correct predictions over all images (the matrix's trace over its sum); NaN when empty. */
export function overallAccuracy(matrix: Int32Array, numClasses: number): number {
  let total = 0;
  let trace = 0;
  for (let i = 0; i < matrix.length; i++) total += matrix[i]!;
  for (let c = 0; c < numClasses; c++) trace += matrix[c * numClasses + c]!;
  return total > 0 ? trace / total : NaN;
}

/** Each cell as a fraction of its row (its true class), 0 for an empty row. */
export function rowNormalized(matrix: Int32Array, numClasses: number): Float32Array {
  const out = new Float32Array(matrix.length);
  for (let t = 0; t < numClasses; t++) {
    let sum = 0;
    for (let p = 0; p < numClasses; p++) sum += matrix[t * numClasses + p]!;
    if (sum === 0) continue;
    for (let p = 0; p < numClasses; p++) out[t * numClasses + p] = matrix[t * numClasses + p]! / sum;
  }
  return out;
}
