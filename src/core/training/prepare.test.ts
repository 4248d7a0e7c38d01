import { describe, expect, it } from 'vitest';
import { dataKey } from './prepare';
import { defaultConfig } from './defaults';

describe('dataKey', () => {
  const base = defaultConfig();

  it('changes with every setting the data tensors depend on', () => {
    const changed = [
      { datasetId: 'fashion-mnist' },
      { trainingExamples: 600 },
      { validationSplit: 0.2 },
      { preprocessing: 'standardize' as const },
      { oneHotLabels: !base.oneHotLabels },
      { seed: base.seed + 1 },
    ];
    const keys = changed.map((patch) => dataKey({ ...base, ...patch }));
    for (const k of keys) expect(k).not.toBe(dataKey(base));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('stays the same for settings that only shape the training', () => {
    for (const patch of [{ learningRate: 0.1 }, { epochs: 2 }, { batchSize: 128 }, { backend: 'cpu' as const }, { optimizer: 'sgd' as const }]) {
      expect(dataKey({ ...base, ...patch })).toBe(dataKey(base));
    }
  });
});
