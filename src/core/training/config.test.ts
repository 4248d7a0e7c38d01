import { describe, expect, it } from 'vitest';
import { learningRateWarning, validateSettings } from './config';
import { defaultConfig } from './defaults';

describe('learningRateWarning', () => {
  it.each([
    [0.001, 'adam', null],
    [0.1, 'sgd', null],
    [0.00001, 'adam', null],
    [1, 'sgd', /above the useful range.*diverge.*Try 0\.01/],
    [1, 'adam', /above the useful range.*Try 0\.001/],
    [1e-7, 'adam', /below the useful range.*barely move.*Try 0\.001/],
    [0, 'adam', null], // rejected by the form's check instead
    [Number.NaN, 'adam', null],
  ] as const)('lr %s with %s', (lr, optimizer, expected) => {
    const w = learningRateWarning(lr, optimizer);
    if (expected === null) expect(w).toBeNull();
    else expect(w).toMatch(expected);
  });
});

describe('validateSettings: the learning rate', () => {
  const d = { name: 'MNIST', trainCount: 60000, numClasses: 10 };
  it.each([
    [1000, /Learning rate 1,000 is above the largest this app trains with, 10/],
    [0, /must be a positive number, at most 10/],
    [-1, /must be a positive number, at most 10/],
    [Number.NaN, /must be a positive number, at most 10/],
  ])('lr %s is refused with the real limit named', (lr, message) => {
    const issues = validateSettings({ ...defaultConfig(), learningRate: lr }, d).filter((i) => i.field === 'learningRate');
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toMatch(message);
  });
  it('10 itself is accepted', () => {
    expect(validateSettings({ ...defaultConfig(), learningRate: 10 }, d).filter((i) => i.field === 'learningRate')).toEqual([]);
  });
});
