import { describe, expect, it } from 'vitest';
import { learningRateWarning } from './config';

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
