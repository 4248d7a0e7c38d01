import { describe, expect, it } from 'vitest';
import { checkpointProblems, defaultCheckpointSettings, resolveCheckpointSettings } from './settings';
import type { CheckpointSettings } from './settings';

describe('checkpointProblems', () => {
  it.each([
    [{}, true, []],
    [{ enabled: false, everyN: -1, nameTemplate: '{x}' }, true, []],
    [{ policy: 'everyN', everyN: 0 }, true, [/whole number N from 1/]],
    [{ policy: 'everyN', everyN: 2.5 }, true, [/whole number N from 1/]],
    [{ keepLast: -1 }, true, [/Keep last/]],
    [{ nameTemplate: 'm-{epoch:02d}-{vall:.4f}' }, true, [/\{vall\}.*not a known field/]],
    [{}, false, []],
    [{ nameTemplate: 'm-{val_loss:.4f}' }, false, [/\{val_loss\}, but this run has no val_loss/]],
    [{ nameTemplate: 'm-{epoch:02d}', policy: 'bestOnly', monitor: 'val_acc' }, false, [/best-only.*validation split is 0/]],
    [{ nameTemplate: 'm-{epoch:02d}', policy: 'bestOnly', monitor: 'loss' }, false, []],
  ] as [Partial<CheckpointSettings>, boolean, RegExp[]][])('%j (validation %s)', (patch, hasValidation, expected) => {
    const problems = checkpointProblems({ ...defaultCheckpointSettings(), ...patch }, hasValidation);
    expect(problems).toHaveLength(expected.length);
    expected.forEach((re, i) => expect(problems[i]).toMatch(re));
  });

  it('treats a config without checkpoint settings as saving none', () => {
    expect(resolveCheckpointSettings({}).enabled).toBe(false);
    expect(resolveCheckpointSettings({ checkpoints: defaultCheckpointSettings() }).enabled).toBe(true);
  });
});
