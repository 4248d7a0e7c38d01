import { describe, expect, it } from 'vitest';
import { nanGuard } from './nanGuard';
import { testContext } from './testContext';

const ctx = () => testContext({ epochs: 3 });
const log = (loss: number) => ({ epoch: 1, batch: 4, step: 14, size: 32, loss, acc: 0.1 });

describe('nanGuard', () => {
  it.each([
    [0.5, false],
    [16.1, false],
    [Number.NaN, true],
    [Number.POSITIVE_INFINITY, true],
    [Number.NEGATIVE_INFINITY, true],
  ])('loss %s stops training: %s', (loss, stops) => {
    const c = ctx();
    void nanGuard().onBatchEnd!(log(loss), c);
    expect(c.stopTraining).toBe(stops);
    if (stops) expect(c.stopMessage).toMatch(/epoch 2, batch 5.*learning rate is too high/s);
  });

  it('keeps the first explanation when later batches are NaN too', () => {
    const c = ctx();
    const guard = nanGuard();
    void guard.onBatchEnd!(log(Number.NaN), c);
    const first = c.stopMessage;
    void guard.onBatchEnd!({ ...log(Number.NaN), batch: 5 }, c);
    expect(c.stopMessage).toBe(first);
  });
});
