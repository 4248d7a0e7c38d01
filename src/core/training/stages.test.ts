import { describe, expect, it } from 'vitest';
import { describeModelCost, STAGE_LIMITS_MS, STAGE_TEXT, stageTimeoutMessage, stopRestartMessage, type PrepStage } from './stages';
import { analyzeModel } from '../model/analyze';
import { presetSpec } from '../model/presets';
import type { LayerSpec } from '../model/types';

const conv = (filters: number): LayerSpec => ({ type: 'conv2d', filters, kernelSize: 11, strides: 1, padding: 'same', activation: 'relu' });
/** A model the analysis accepts that is still slow: 3.1 billion multiply-adds per image in layer 2. */
const heavy = analyzeModel({ layers: [conv(128), conv(256), { type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }] }, [28, 28, 1], 10);

describe('stage limits and messages', () => {
  it('gives every stage a limit of at least 45 s and words for the status line', () => {
    for (const [stage, ms] of Object.entries(STAGE_LIMITS_MS)) {
      expect(ms, stage).toBeGreaterThanOrEqual(45_000);
      expect(STAGE_TEXT[stage as PrepStage].doing).toMatch(/^[A-Z]/);
    }
  });

  it('describes the model by its parameters and its heaviest layer, and the largest when it is another', () => {
    expect(heavy.ok).toBe(true);
    expect(describeModelCost(heavy.facts)).toBe(
      'the model has 5,987,850 parameters; Layer 2 (Conv2D) alone needs 3.1 billion multiply-adds per image (its output is 28×28×256), ' +
        'of 3.1 billion for the whole model',
    );
    const cnn = analyzeModel(presetSpec('cnn', 10), [28, 28, 1], 10);
    expect(describeModelCost(cnn.facts)).toBe(
      'the model has 1,199,882 parameters; Layer 2 (Conv2D) alone needs 11 million multiply-adds per image (its output is 24×24×64), ' +
        'of 12 million for the whole model; Layer 5 (Dense) holds the most weights (1,179,776)',
    );
  });

  it('names the stage, its limit, why it was slow and what to do for a model-bound stage', () => {
    const text = stageTimeoutMessage('backend', 60_000, heavy.facts);
    expect(text).toMatch(/^Choosing a backend \(starting the backend and running a test training step of the model on it\) took longer than 60 s, so the run was stopped and the training worker restarted\./);
    expect(text).toContain("It was likely slow because of the model's size: the model has 5,987,850 parameters; Layer 2 (Conv2D) alone needs 3.1 billion multiply-adds");
    expect(text).toContain('give Layer 2 (Conv2D) fewer filters or a smaller kernel, or add a MaxPooling2D layer before it');
    expect(text).toMatch(/Your layers and settings are kept\.$/);
  });

  it('advises on a Dense layer in its own terms', () => {
    const mlp = analyzeModel(presetSpec('mlp', 10), [28, 28, 1], 10);
    expect(stageTimeoutMessage('firstStep', 60_000, mlp.facts)).toContain('give Layer 2 (Dense) fewer units, or add a MaxPooling2D layer before Flatten');
  });

  it('does not blame the model for a slow download, and works without figures', () => {
    const text = stageTimeoutMessage('dataset', 120_000, null);
    expect(text).toBe(
      'Loading the dataset (loading the dataset) took longer than 120 s, so the run was stopped and the training worker restarted. ' +
        'The download may be slow or stalled: check the connection (or pick another dataset), then train again. Your layers and settings are kept.',
    );
    expect(stageTimeoutMessage('build', 45_000, null)).toContain('Use a smaller model (a preset is a good start)');
  });

  it('explains a Stop that needed a restart, with the model figures only for a model-bound stage', () => {
    expect(stopRestartMessage('backend', heavy.facts)).toBe(
      `Stopped during "Choosing a backend": that step cannot be interrupted (${describeModelCost(heavy.facts)}), ` +
        'so the training worker was restarted, which takes a second or two. Your layers and settings are kept.',
    );
    expect(stopRestartMessage('dataset', heavy.facts)).toBe(
      'Stopped during "Loading the dataset": that step cannot be interrupted, so the training worker was restarted, which takes a second or two. Your layers and settings are kept.',
    );
    expect(stopRestartMessage(null, null)).toMatch(/^Stopped before the run had started: /);
  });
});
