import { describe, expect, it } from 'vitest';
import { chartSummary } from './summary';

const rows = [
  { epoch: 1, loss: 0.5, val_loss: 0.4, acc: 85, val_acc: 88 },
  { epoch: 2, loss: 0.3, val_loss: 0.35, acc: 91, val_acc: 90.5 },
  { epoch: 3, loss: 0.2, val_loss: 0.38, acc: 94, val_acc: 90.1 },
];

describe('chartSummary', () => {
  it('says the last values and the best validation epoch', () => {
    expect(chartSummary('loss', rows, true)).toBe(
      'Loss after 3 epochs: training 0.2000, validation 0.3800; best validation 0.3500 at epoch 2. It started at 0.5000.',
    );
    expect(chartSummary('acc', rows, true)).toBe('Accuracy after 3 epochs: training 94.0%, validation 90.1%; best validation 90.5% at epoch 2. It started at 85.0%.');
  });
  it('leaves validation out when there is none, and says when nothing has finished', () => {
    expect(chartSummary('loss', rows, false)).toBe('Loss after 3 epochs: training 0.2000. It started at 0.5000.');
    expect(chartSummary('acc', [], true)).toBe('Accuracy: no epoch finished yet.');
  });
});
