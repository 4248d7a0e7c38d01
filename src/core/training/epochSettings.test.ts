import { describe, expect, it } from 'vitest';
import { defaultConfig } from './defaults';
import { validateSettings, type ExperimentConfig } from './config';
import { batchesAvailable, trainingCount, validationNoiseNote } from './epochSettings';

const facts = { name: 'MNIST', trainCount: 60000, numClasses: 10 };
const cfg = (patch: Partial<ExperimentConfig>): ExperimentConfig => ({ ...defaultConfig(), trainingExamples: 1000, batchSize: 100, ...patch });
const issues = (patch: Partial<ExperimentConfig>) => validateSettings(cfg(patch), facts);

describe('epoch settings', () => {
  it.each([
    [{ validationSplit: 0.1 }, 900, 9],
    [{ crossValidation: true, folds: 5 }, 800, 8],
    [{ crossValidation: true, folds: 3, trainingExamples: 1001 }, 667, 7],
  ])('%o trains on %i examples in %i batches', (patch, count, batches) => {
    expect(trainingCount(cfg(patch))).toBe(count);
    expect(batchesAvailable(cfg(patch))).toBe(batches);
  });

  it.each([
    [{}, null],
    [{ stepsPerEpoch: 9 }, null],
    [{ stepsPerEpoch: 10 }, /Steps per epoch 10 is more than the 9 batches of 100 that 900 training examples make/],
    [{ stepsPerEpoch: 0 }, /at least 1, or empty/],
    [{ stepsPerEpoch: 2.5 }, /whole number/],
    [{ crossValidation: true, folds: 1 }, /Folds must be a whole number from 2 to 20/],
    [{ crossValidation: true, folds: 21 }, /from 2 to 20/],
    [{ crossValidation: true, folds: 20, trainingExamples: 30, batchSize: 10 }, /20 folds need at least 40 training examples/],
    [{ crossValidation: false, folds: 1 }, null],
    [{ optimizer: 'adam', optimizerParams: { beta1: 1 } }, /Adam's Beta 1 must be a number at least 0 and below 1/],
    [{ optimizer: 'sgd', optimizerParams: { beta1: 1 } }, null], // not SGD's: ignored
    [{ optimizer: 'rmsprop', optimizerParams: { epsilon: 0 } }, /RMSprop's Epsilon must be a number above 0/],
  ] as [Partial<ExperimentConfig>, RegExp | null][])('%o → %s', (patch, message) => {
    const found = issues(patch);
    if (message === null) expect(found).toEqual([]);
    else expect(found.map((i) => i.message).join('\n')).toMatch(message);
  });

  it('offers fixes that make the settings valid', () => {
    for (const patch of [{ stepsPerEpoch: 50 }, { optimizer: 'nadam' as const, optimizerParams: { beta2: 2 } }]) {
      const [issue] = issues(patch);
      for (const fix of issue!.fixes!) expect(validateSettings({ ...cfg(patch), ...fix.patch }, facts)).toEqual([]);
    }
  });

  it('checks batch size against the examples left per epoch in cross-validation', () => {
    expect(issues({ crossValidation: true, folds: 5, batchSize: 850 }).map((i) => i.field)).toEqual(['batchSize']);
  });

  it('tolerates a saved config from before these settings existed', () => {
    const old = cfg({}) as Partial<ExperimentConfig>;
    delete old.stepsPerEpoch;
    delete old.optimizerParams;
    expect(validateSettings(old as ExperimentConfig, facts)).toEqual([]);
  });
});

describe('validationNoiseNote', () => {
  it('explains the noise of a small validation split, in points of accuracy', () => {
    // The Overfitting lesson's first try: 600 examples, 10% held out = 60 images.
    const note = validationNoiseNote({ trainingExamples: 600, validationSplit: 0.1, crossValidation: false, folds: 5 });
    expect(note).toMatch(/Validation on 60 images is noisy: one image is 1\.7 points.*±3\.9 points/);
  });
  it('is silent from 1,000 validation images on, and without validation', () => {
    expect(validationNoiseNote({ trainingExamples: 60000, validationSplit: 0.1, crossValidation: false, folds: 5 })).toBeNull();
    expect(validationNoiseNote({ trainingExamples: 600, validationSplit: 0, crossValidation: false, folds: 5 })).toBeNull();
  });
  it('counts a fold under cross-validation', () => {
    expect(validationNoiseNote({ trainingExamples: 1000, validationSplit: 0.1, crossValidation: true, folds: 5 })).toMatch(/on 200 images/);
  });
});
