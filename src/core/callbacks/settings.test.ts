import { describe, expect, it } from 'vitest';
import { defaultEarlyStopping, earlyStoppingOf, earlyStoppingProblems, type EarlyStoppingSettings } from './settings';
import { validateSettings } from '../training/config';
import { defaultConfig } from '../training/defaults';

const on = (patch: Partial<EarlyStoppingSettings>) => ({ ...defaultEarlyStopping(), enabled: true, ...patch });

describe('earlyStoppingProblems', () => {
  it.each([
    ['off: nothing to check', { ...defaultEarlyStopping(), patience: -3 }, true, []],
    ['the defaults, switched on', on({}), true, []],
    ['val_loss without a validation split', on({ monitor: 'val_loss' }), false, [/validation split is 0/]],
    ['training loss without a validation split', on({ monitor: 'loss' }), false, []],
    ['a fractional patience', on({ patience: 1.5 }), true, [/Patience must be a whole number/]],
    ['an empty patience box (NaN)', on({ patience: Number.NaN }), true, [/Patience/]],
    ['a negative min delta', on({ minDelta: -0.1 }), true, [/Min delta/]],
    ['a NaN baseline', on({ baseline: Number.NaN }), true, [/Baseline must be a number/]],
    ['a null baseline', on({ baseline: null }), true, []],
    ['an unknown monitor', on({ monitor: 'f1' as never }), true, [/cannot watch "f1"/]],
  ] as [string, EarlyStoppingSettings, boolean, RegExp[]][])('%s', (_, s, hasValidation, expected) => {
    const problems = earlyStoppingProblems(s, hasValidation);
    expect(problems).toHaveLength(expected.length);
    expected.forEach((re, i) => expect(problems[i]).toMatch(re));
  });

  it('is off by default and fills in configs saved before it existed', () => {
    expect(defaultConfig().earlyStopping.enabled).toBe(false);
    expect(earlyStoppingOf(undefined)).toEqual(defaultEarlyStopping());
    expect(earlyStoppingProblems(undefined, false)).toEqual([]);
  });

  it('reaches validateSettings under the earlyStopping field', () => {
    const config = { ...defaultConfig(), validationSplit: 0, earlyStopping: on({}) };
    const issues = validateSettings(config, { name: 'MNIST', trainCount: 60000, numClasses: 10 });
    expect(issues).toMatchObject([{ field: 'earlyStopping', message: expect.stringMatching(/^Early stopping: It watches the validation loss/) }]);
  });
});
