import { describe, expect, it } from 'vitest';
import { MODEL_PRESETS, presetSpec } from './presets';

describe('MODEL_PRESETS', () => {
  it('has the four chapter networks with unique ids', () => {
    expect(MODEL_PRESETS.map((p) => p.id)).toEqual(['mlp', 'small-cnn', 'cnn', 'deep-mlp']);
    expect(MODEL_PRESETS.map((p) => p.name)).toEqual([
      'Dense 512-512 MLP (chapter)',
      'Small CNN',
      'Conv32-Conv64-MaxPool-Dense128 CNN',
      '40 hidden layers of Dense 64',
    ]);
    for (const preset of MODEL_PRESETS) expect(preset.description.length).toBeGreaterThan(10);
  });

  it('deep-mlp has 40 hidden Dense 64 layers', () => {
    const layers = presetSpec('deep-mlp', 10).layers;
    expect(layers).toHaveLength(42);
    expect(layers.slice(1, 41).every((l) => l.type === 'dense' && l.units === 64 && l.activation === 'relu')).toBe(true);
  });
});

describe('presetSpec', () => {
  it('sets the last Dense units to the class count and leaves the preset untouched', () => {
    const spec = presetSpec('cnn', 3);
    const last = spec.layers[spec.layers.length - 1];
    expect(last).toEqual({ type: 'dense', units: 3, activation: 'softmax' });
    expect(spec.layers[4]).toEqual({ type: 'dense', units: 128, activation: 'relu' });
    const preset = MODEL_PRESETS.find((p) => p.id === 'cnn')!;
    expect(preset.spec.layers[5]).toEqual({ type: 'dense', units: 10, activation: 'softmax' });
  });

  it('returns a deep copy', () => {
    const a = presetSpec('deep-mlp', 10);
    const b = presetSpec('deep-mlp', 10);
    const first = a.layers[1];
    if (first.type === 'dense') first.units = 1;
    expect(b.layers[1]).toEqual({ type: 'dense', units: 64, activation: 'relu' });
    expect(a.layers[2]).not.toBe(b.layers[2]);
  });

  it('throws for an unknown id', () => {
    expect(() => presetSpec('nope', 10)).toThrow('Unknown model preset');
  });
});
