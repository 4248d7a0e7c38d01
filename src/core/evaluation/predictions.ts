/**
 * From a probability matrix to what the evaluation view shows: the predicted class and its
 * probability per image, the images of one confusion-matrix cell, and the most confidently
 * wrong ones. Pure functions on typed arrays.
 */

/** The most probable class per image and its probability. `probs` is count × numClasses, row-major. */
export function argmaxRows(probs: Float32Array, numClasses: number): { predicted: Int32Array; confidence: Float32Array } {
  const count = Math.floor(probs.length / numClasses);
  const predicted = new Int32Array(count);
  const confidence = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const base = i * numClasses;
    let best = 0;
    let bestP = probs[base]!;
    for (let c = 1; c < numClasses; c++) {
      const p = probs[base + c]!;
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    predicted[i] = best;
    confidence[i] = bestP;
  }
  return { predicted, confidence };
}

/** Indices sorted by `score` descending; ties keep index order (so results repeat). */
function byScoreDesc(indices: number[], score: Float32Array): Int32Array {
  indices.sort((a, b) => score[b]! - score[a]! || a - b);
  return Int32Array.from(indices);
}

/**
 * The images of true class `trueClass` predicted as `predictedClass`, most confident first,
 * at most `limit` of them.
 */
export function cellImages(
  labels: Int32Array,
  predicted: Int32Array,
  confidence: Float32Array,
  trueClass: number,
  predictedClass: number,
  limit = Infinity,
): Int32Array {
  const found: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === trueClass && predicted[i] === predictedClass) found.push(i);
  return byScoreDesc(found, confidence).slice(0, limit);
}

/** The `limit` misclassified images whose (wrong) prediction had the highest probability. */
export function mostConfidentlyWrong(labels: Int32Array, predicted: Int32Array, confidence: Float32Array, limit: number): Int32Array {
  const wrong: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] !== predicted[i]) wrong.push(i);
  return byScoreDesc(wrong, confidence).slice(0, limit);
}

/** The `k` most probable classes of one probability row, most probable first. */
export function topClasses(row: ArrayLike<number>, k: number): { classIndex: number; probability: number }[] {
  const all = Array.from({ length: row.length }, (_, c) => ({ classIndex: c, probability: row[c]! }));
  all.sort((a, b) => b.probability - a.probability || a.classIndex - b.classIndex);
  return all.slice(0, k);
}
