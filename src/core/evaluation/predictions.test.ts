import { describe, expect, it } from 'vitest';
import { argmaxRows, cellImages, mostConfidentlyWrong, topClasses } from './predictions';

// 5 images, 3 classes.
const probs = Float32Array.from([
  0.7, 0.2, 0.1, // 0: predicted 0, label 0
  0.1, 0.1, 0.8, // 1: predicted 2, label 1 (wrong, 0.8)
  0.3, 0.6, 0.1, // 2: predicted 1, label 0 (wrong, 0.6)
  0.05, 0.05, 0.9, // 3: predicted 2, label 1 (wrong, 0.9)
  0.2, 0.5, 0.3, // 4: predicted 1, label 1
]);
const labels = Int32Array.from([0, 1, 0, 1, 1]);

describe('predictions', () => {
  const { predicted, confidence } = argmaxRows(probs, 3);
  it('takes the most probable class per row', () => {
    expect(Array.from(predicted)).toEqual([0, 2, 1, 2, 1]);
    expect(Array.from(confidence).map((x) => Number(x.toFixed(2)))).toEqual([0.7, 0.8, 0.6, 0.9, 0.5]);
  });
  it('lists a cell, most confident first', () => {
    expect(Array.from(cellImages(labels, predicted, confidence, 1, 2))).toEqual([3, 1]);
    expect(Array.from(cellImages(labels, predicted, confidence, 1, 2, 1))).toEqual([3]);
    expect(Array.from(cellImages(labels, predicted, confidence, 2, 2))).toEqual([]);
  });
  it('finds the most confidently wrong', () => {
    expect(Array.from(mostConfidentlyWrong(labels, predicted, confidence, 2))).toEqual([3, 1]);
    expect(Array.from(mostConfidentlyWrong(labels, predicted, confidence, 10))).toEqual([3, 1, 2]);
  });
  it('ranks the classes of one row', () => {
    expect(topClasses(probs.subarray(6, 9), 2).map((t) => t.classIndex)).toEqual([1, 0]);
  });
});
