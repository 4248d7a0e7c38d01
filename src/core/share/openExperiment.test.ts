import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../training/defaults';
import { presetSpec } from '../model/presets';
import { builtinFacts, datasetFingerprint, datasetRefFor, experimentProblems, resolveDataset, settingChanges, type LocalDataset } from './openExperiment';

const leaves: LocalDataset = { id: 'imp-1', name: 'leaves', shape: [28, 28, 1], classNames: ['a', 'b', 'c'], trainCount: 800, testCount: 200 };

describe('settingChanges', () => {
  it('lists nothing for the same settings', () => {
    expect(settingChanges(defaultConfig(), defaultConfig())).toEqual([]);
  });

  it('lists each changed setting in words', () => {
    const next = { ...defaultConfig(), model: presetSpec('deep-mlp', 10), learningRate: 0.01, seed: 7, datasetId: 'fashion-mnist' };
    const changes = settingChanges(defaultConfig(), next, (id) => builtinFacts(id)?.name ?? id);
    expect(changes).toEqual([
      { label: 'Dataset', from: 'MNIST', to: 'Fashion-MNIST' },
      { label: 'Model', from: 'Dense 512-512 MLP', to: '40 hidden layers of Dense 64' },
      { label: 'Learning rate', from: 'lr 0.001', to: 'lr 0.01' },
      { label: 'Seed', from: 'seed 42', to: 'seed 7' },
    ]);
  });

  it('spells out a hidden detail the short text does not show', () => {
    const d = defaultConfig();
    const next = { ...d, folds: 10, earlyStopping: { ...d.earlyStopping, minDelta: 0.01 }, checkpoints: { ...d.checkpoints!, keepLast: 5 }, inspectEvery: 0 };
    const changes = settingChanges(d, next);
    expect(changes).toEqual([
      { label: 'Validation', from: '10% validation', to: '10% validation (folds 5 → 10)' },
      { label: 'Early stopping', from: 'no early stopping', to: 'no early stopping (minDelta 0 → 0.01)' },
      { label: 'Checkpoints', from: 'on', to: 'on (keepLast 3 → 5)' },
      { label: 'Layer measurements', from: 'default', to: '0' },
    ]);
  });
});

describe('datasets', () => {
  it('names an imported dataset by name and fingerprint, and finds it again', () => {
    const ref = datasetRefFor('imp-1', [leaves]);
    expect(ref).toEqual({ kind: 'imported', name: 'leaves', fingerprint: datasetFingerprint(leaves) });
    const other = { ...leaves, id: 'imp-9', name: 'leaves (2)' };
    expect(resolveDataset(ref, [other])).toMatchObject({ ok: true, facts: { id: 'imp-9', numClasses: 3, trainCount: 800 } });
    expect(resolveDataset(ref, [])).toEqual({ ok: false, problem: expect.stringMatching(/"leaves", which is not in this browser/) });
    const changed = { ...leaves, trainCount: 900 };
    expect(resolveDataset(ref, [changed])).toMatchObject({ ok: true, note: expect.stringMatching(/differs/) });
  });

  it('knows the built-in and generated datasets', () => {
    expect(resolveDataset({ kind: 'builtin', id: 'shapes' }, [])).toMatchObject({ ok: true, facts: { numClasses: 5, trainCount: 6000 } });
    expect(resolveDataset({ kind: 'builtin', id: 'cifar' }, []).ok).toBe(false);
  });
});

describe('experimentProblems', () => {
  it('runs the settings and model checks', () => {
    const facts = builtinFacts('mnist')!;
    expect(experimentProblems(defaultConfig(), facts)).toEqual([]);
    const bad = { ...defaultConfig(), epochs: 0, model: { layers: [{ type: 'dense' as const, units: 10, activation: 'softmax' as const }] } };
    const problems = experimentProblems(bad, facts);
    expect(problems[0]).toMatch(/^Epochs must be/);
    expect(problems.some((p) => p.startsWith('Model: '))).toBe(true);
  });
});
