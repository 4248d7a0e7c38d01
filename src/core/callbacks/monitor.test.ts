import { describe, expect, it } from 'vitest';
import { isImprovement, monitorProblem, readMonitor, resolveMode } from './monitor';

describe('isImprovement', () => {
  it.each([
    // current, best, mode, minDelta, expected
    [0.5, null, 'min', 0, true],
    [0.5, 0.6, 'min', 0, true],
    [0.6, 0.6, 'min', 0, false],
    [0.55, 0.6, 'min', 0.1, false],
    [0.49, 0.6, 'min', 0.1, true],
    [0.7, 0.6, 'max', 0, true],
    [0.65, 0.6, 'max', 0.1, false],
    [0.6, 0.6, 'max', 0, false],
    [Number.NaN, 0.6, 'min', 0, false],
    [Number.NaN, null, 'max', 0, false],
    [0.3, Number.NaN, 'min', 0, true],
    [0.49, 0.6, 'min', -0.1, true], // a negative min_delta counts by its size, as in Keras
  ] as const)('%s vs %s (%s, delta %s) -> %s', (current, best, mode, minDelta, expected) => {
    expect(isImprovement(current, best, { mode, minDelta })).toBe(expected);
  });
});

describe('resolveMode', () => {
  it('picks max for accuracies and min for losses under auto', () => {
    expect(resolveMode('val_acc')).toBe('max');
    expect(resolveMode('acc', 'auto')).toBe('max');
    expect(resolveMode('val_loss')).toBe('min');
    expect(resolveMode('loss', 'max')).toBe('max');
  });
});

describe('readMonitor and monitorProblem', () => {
  it('reads a metric or null', () => {
    expect(readMonitor({ loss: 1, acc: 0.5, val_loss: 2 }, 'val_loss')).toBe(2);
    expect(readMonitor({ loss: 1, acc: 0.5 }, 'val_acc')).toBeNull();
  });
  it('explains a validation monitor without a validation split', () => {
    expect(monitorProblem('val_loss', false)).toMatch(/validation split is 0/);
    expect(monitorProblem('val_loss', true)).toBeNull();
    expect(monitorProblem('loss', false)).toBeNull();
  });
});
