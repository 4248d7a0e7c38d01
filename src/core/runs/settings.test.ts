import { describe, expect, it } from 'vitest';
import { checkpointRunName, differingSettings, modelText, runName, summaryName, uniqueName } from './settings';
import { defaultConfig } from '../training/defaults';
import { presetSpec } from '../model/presets';
import type { ExperimentConfig } from '../training/config';
import type { LayerSpec } from '../model/types';

const base = defaultConfig();
const withConfig = (patch: Partial<ExperimentConfig>): ExperimentConfig => ({ ...base, ...patch });
const mlpWith = (extra: LayerSpec, after = 2): ExperimentConfig => {
  const layers = [...presetSpec('mlp', 10).layers];
  layers.splice(after, 0, extra);
  return withConfig({ model: { layers } });
};

describe('runName', () => {
  it.each([
    ['raw pixels against normalized', withConfig({ preprocessing: 'raw' }), base, 'raw pixels'],
    ['normalized against raw', base, withConfig({ preprocessing: 'raw' }), 'normalize [0,1]'],
    ['a smaller learning rate', withConfig({ learningRate: 1e-5 }), base, 'lr 0.00001'],
    ['two changes', withConfig({ batchSize: 128, optimizer: 'sgd' }), base, 'sgd, batch 128'],
    ['dropout added', mlpWith({ type: 'dropout', rate: 0.5 }), base, '+ Dropout 0.5'],
    ['dropout removed', base, mlpWith({ type: 'dropout', rate: 0.5 }), 'no Dropout'],
    ['dropout rate changed', mlpWith({ type: 'dropout', rate: 0.2 }), mlpWith({ type: 'dropout', rate: 0.5 }), 'Dropout 0.2'],
    ['another preset', withConfig({ model: presetSpec('small-cnn', 10) }), base, 'Small CNN'],
    ['the same settings', base, base, 'same settings again'],
    ['only the backend (not part of a name)', withConfig({ backend: 'cpu' }), base, 'same settings again'],
    [
      'many changes, summed up',
      withConfig({ batchSize: 64, epochs: 3, seed: 7, learningRate: 0.01, trainingExamples: 600 }),
      base,
      '600 examples, lr 0.01, batch 64 + 2 more',
    ],
  ])('%s', (_, config, previous, name) => {
    expect(runName(config, previous)).toBe(name);
  });

  it('names a first run (or one on another dataset) by its main settings', () => {
    expect(runName(base, null)).toBe('Dense 512-512 MLP, adam, lr 0.001, normalize [0,1]');
    expect(runName(withConfig({ datasetId: 'fashion-mnist' }), base)).toBe(summaryName(withConfig({ datasetId: 'fashion-mnist' })));
  });

  it('folds repeated layers: 40 × Dense 64 in a few words', () => {
    expect(modelText(presetSpec('deep-mlp', 10))).toBe('40 hidden layers of Dense 64');
    const layers: LayerSpec[] = [{ type: 'flatten' }, ...Array.from({ length: 3 }, () => ({ type: 'dense', units: 64, activation: 'relu' }) as LayerSpec)];
    layers.push({ type: 'dense', units: 10, activation: 'softmax' });
    expect(modelText({ layers })).toBe('Flatten · 3×Dense 64 · Dense 10 softmax');
  });
});

describe('differingSettings', () => {
  it('lists only the settings that differ among the runs, as table columns', () => {
    const runs = [base, withConfig({ preprocessing: 'raw' }), withConfig({ preprocessing: 'standardize', learningRate: 0.01 })];
    expect(differingSettings(runs).map((s) => s.label)).toEqual(['Inputs', 'Learning rate']);
    expect(differingSettings(runs).map((s) => runs.map((r) => s.text(r)))).toEqual([
      ['normalize [0,1]', 'raw pixels', 'standardize'],
      ['lr 0.001', 'lr 0.001', 'lr 0.01'],
    ]);
    expect(differingSettings([base, base])).toEqual([]);
  });
});

describe('checkpointRunName', () => {
  it('tells runs with and without Dropout apart (they once shared "2-layer net on MNIST, adam 0.001, seed 42")', () => {
    const plain = defaultConfig();
    const layers = plain.model.layers.flatMap((l): LayerSpec[] => (l.type === 'dense' && l.activation !== 'softmax' ? [l, { type: 'dropout', rate: 0.5 }] : [l]));
    const dropout: ExperimentConfig = { ...plain, model: { layers } };
    expect(checkpointRunName(plain)).toMatch(/on MNIST, seed 42$/);
    expect(checkpointRunName(dropout)).toMatch(/Dropout 0\.5/);
    expect(checkpointRunName(dropout)).not.toBe(checkpointRunName(plain));
  });
});

describe('uniqueName', () => {
  it('numbers a name already taken', () => {
    expect(uniqueName('raw pixels', [])).toBe('raw pixels');
    expect(uniqueName('raw pixels', ['raw pixels'])).toBe('raw pixels (2)');
    expect(uniqueName('raw pixels', ['raw pixels', 'raw pixels (2)'])).toBe('raw pixels (3)');
  });
});
