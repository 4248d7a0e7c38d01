import { describe, expect, it } from 'vitest';
import { confusionMatrix, overallAccuracy, perClassMetrics, rowNormalized } from './confusion';

// A hand-made table of 3 classes and 10 images:
//            predicted 0  1  2
//   true 0            3  1  0     (4 images)
//   true 1            0  2  2     (4 images)
//   true 2            1  0  1     (2 images)
const labels = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1, 2, 2]);
const predicted = Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 0, 2]);

describe('confusionMatrix', () => {
  it('counts true × predicted, rows are true classes', () => {
    expect(Array.from(confusionMatrix(labels, predicted, 3))).toEqual([3, 1, 0, 0, 2, 2, 1, 0, 1]);
  });
  it('rejects mismatched lengths and classes out of range, in words', () => {
    expect(() => confusionMatrix(labels, predicted.slice(1), 3)).toThrow(/10 labels but 9 predictions/);
    expect(() => confusionMatrix(Int32Array.from([3]), Int32Array.from([0]), 3)).toThrow(/outside 0..2/);
  });
});

describe('perClassMetrics', () => {
  const m = perClassMetrics(confusionMatrix(labels, predicted, 3), 3);
  it.each([
    // class, support, correct, predicted, precision, recall
    [0, 4, 3, 4, 3 / 4, 3 / 4],
    [1, 4, 2, 3, 2 / 3, 2 / 4],
    [2, 2, 1, 3, 1 / 3, 1 / 2],
  ])('class %i', (c, support, correct, predictedCount, precision, recall) => {
    const r = m[c]!;
    expect(r).toMatchObject({ support, correct, predictedCount });
    expect(r.precision).toBeCloseTo(precision, 10);
    expect(r.recall).toBeCloseTo(recall, 10);
    expect(r.accuracy).toBeCloseTo(recall, 10);
    expect(r.f1).toBeCloseTo((2 * precision * recall) / (precision + recall), 10);
  });
  it('gives NaN where a class never occurs or is never predicted', () => {
    const [r] = perClassMetrics(Int32Array.from([0, 0, 0, 5]), 2);
    expect(r!.support).toBe(0);
    expect(r!.recall).toBeNaN();
    expect(r!.precision).toBeNaN();
  });
  it('overall accuracy is the trace over the total', () => {
    expect(overallAccuracy(confusionMatrix(labels, predicted, 3), 3)).toBeCloseTo(6 / 10, 10);
  });
  it('row-normalizes each true class', () => {
    const r = rowNormalized(confusionMatrix(labels, predicted, 3), 3);
    expect(Array.from(r).map((x) => Number(x.toFixed(3)))).toEqual([0.75, 0.25, 0, 0, 0.5, 0.5, 0.5, 0, 0.5]);
  });
});
