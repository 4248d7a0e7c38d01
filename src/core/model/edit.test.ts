import { describe, expect, it } from 'vitest';
import { addAfterEach, foldRepeats, removeAllOfType } from './edit';
import { presetSpec } from './presets';
import type { LayerSpec } from './types';

const types = (layers: LayerSpec[]) => layers.map((l) => l.type);

describe('addAfterEach', () => {
  it('puts a BatchNormalization after each of the 40 hidden Dense layers, not after the output', () => {
    const deep = presetSpec('deep-mlp', 10).layers;
    const { layers, added } = addAfterEach(deep, 'batchNormalization');
    expect(added).toBe(40);
    expect(layers).toHaveLength(deep.length + 40);
    expect(types(layers).slice(0, 5)).toEqual(['flatten', 'dense', 'batchNormalization', 'dense', 'batchNormalization']);
    expect(types(layers).slice(-2)).toEqual(['batchNormalization', 'dense']);
    expect(layers.at(-1)).toMatchObject({ type: 'dense', activation: 'softmax' });
  });
  it('is done once: layers already followed by one get no second', () => {
    const once = addAfterEach(presetSpec('cnn', 10).layers, 'batchNormalization').layers;
    expect(addAfterEach(once, 'batchNormalization').added).toBe(0);
    expect(types(once)).toEqual(['conv2d', 'batchNormalization', 'conv2d', 'batchNormalization', 'maxPooling2d', 'flatten', 'dense', 'batchNormalization', 'dense']);
  });
});

describe('removeAllOfType', () => {
  it('removes every layer of a kind and says how many', () => {
    const withBn = addAfterEach(presetSpec('deep-mlp', 10).layers, 'batchNormalization').layers;
    const { layers, removed } = removeAllOfType(withBn, 'batchNormalization');
    expect(removed).toBe(40);
    expect(layers).toEqual(presetSpec('deep-mlp', 10).layers);
  });
});

describe('foldRepeats', () => {
  it('folds 40 × Dense 64 into one group', () => {
    expect(foldRepeats(presetSpec('deep-mlp', 10).layers)).toEqual([
      { start: 0, count: 1, period: 1 },
      { start: 1, count: 40, period: 1 },
      { start: 41, count: 1, period: 1 },
    ]);
  });
  it('folds 40 × (Dense 64, BatchNormalization) into one group of pairs', () => {
    const withBn = addAfterEach(presetSpec('deep-mlp', 10).layers, 'batchNormalization').layers;
    expect(foldRepeats(withBn)).toEqual([
      { start: 0, count: 1, period: 1 },
      { start: 1, count: 40, period: 2 },
      { start: 81, count: 1, period: 1 },
    ]);
  });
  it('leaves a stack without repeats as it is', () => {
    expect(foldRepeats(presetSpec('mlp', 10).layers).map((g) => g.count)).toEqual([1, 2, 1]);
    expect(foldRepeats(presetSpec('small-cnn', 10).layers).every((g) => g.count === 1)).toBe(true);
  });
});
