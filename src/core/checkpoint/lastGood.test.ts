import { describe, expect, it } from 'vitest';
import { lastGoodCheckpoint, learnedSomething } from './lastGood';
import type { TrainEvent } from '../callbacks/types';

const ckpt = (epoch: number, loss: number, valAcc: number, extra: Partial<{ runId: string; problem: string | null }> = {}) => ({
  id: `c${epoch}`,
  runId: 'r1',
  name: `model-${String(epoch).padStart(2, '0')}-${loss.toFixed(4)}`,
  epoch,
  metrics: { loss, acc: valAcc, val_loss: loss, val_acc: valAcc },
  problem: null,
  ...extra,
});
const diverged = (epoch: number): TrainEvent[] => [{ kind: 'divergence', epoch, message: 'diverged' }];

describe('lastGoodCheckpoint', () => {
  it('skips a checkpoint that already holds the diverged model (Adam at lr 1.0)', () => {
    const list = [ckpt(1, 0.4, 0.9), ckpt(2, 14.52, 0.1)];
    expect(lastGoodCheckpoint(list, 'r1', diverged(3), 10)?.name).toBe('model-01-0.4000');
  });
  it('skips checkpoints saved in or after the epoch that diverged', () => {
    const list = [ckpt(1, 0.4, 0.9), ckpt(2, 0.3, 0.92), ckpt(3, 0.3, 0.92)];
    expect(lastGoodCheckpoint(list, 'r1', diverged(3), 10)?.epoch).toBe(2);
  });
  it('says there is none when no checkpoint learned anything', () => {
    expect(lastGoodCheckpoint([ckpt(1, 2.31, 0.1), ckpt(2, 14.5, 0.1)], 'r1', diverged(3), 10)).toBeNull();
  });
  it('ignores other runs and unreadable checkpoints', () => {
    const list = [ckpt(1, 0.4, 0.9, { runId: 'r2' }), ckpt(2, 0.3, 0.92, { problem: 'damaged' })];
    expect(lastGoodCheckpoint(list, 'r1', diverged(3), 10)).toBeNull();
  });
  it('takes the latest good one when the run did not diverge', () => {
    expect(lastGoodCheckpoint([ckpt(1, 0.4, 0.9), ckpt(2, 0.3, 0.92)], 'r1', [], 10)?.epoch).toBe(2);
  });
});

describe('learnedSomething', () => {
  it('needs a loss below guessing and accuracy above chance', () => {
    expect(learnedSomething({ loss: 0.5, acc: 0.85 }, 10)).toBe(true);
    expect(learnedSomething({ loss: 2.4, acc: 0.3 }, 10)).toBe(false);
    expect(learnedSomething({ loss: 1.9, acc: 0.12 }, 10)).toBe(false);
    expect(learnedSomething({ loss: Number.NaN, acc: 0.9 }, 10)).toBe(false);
    expect(learnedSomething(null, 10)).toBe(false);
  });
});
