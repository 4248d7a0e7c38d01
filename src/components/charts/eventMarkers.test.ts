import { describe, expect, it } from 'vitest';
import { EVENT_STYLES, eventListItems, toMarkers, withGap } from './eventMarkers';
import type { BatchLog, TrainEvent } from '../../core/callbacks/types';

const ev = (kind: TrainEvent['kind'], epoch: number, step?: number): TrainEvent => ({
  kind,
  epoch,
  message: `${kind} at ${epoch}.`,
  ...(step === undefined ? {} : { step }),
});
/** Two epochs of 3 batches each: steps 0-2 and 3-5. */
const batches: BatchLog[] = [0, 1, 2, 3, 4, 5].map((step) => ({ epoch: Math.floor(step / 3), batch: step % 3, step, size: 1, loss: 1, acc: 0 }));

describe('toMarkers', () => {
  it.each([
    ['epoch scale: one marker per epoch', [ev('overfitting', 2), ev('bestEpoch', 1)], 'epoch', [[1, ['bestEpoch']], [2, ['overfitting']]]],
    ['events at one epoch share a marker', [ev('earlyStop', 2), ev('restoredBest', 2)], 'epoch', [[2, ['earlyStop', 'restoredBest']]]],
    ['batch scale: an epoch event sits on its last batch', [ev('overfitting', 2)], 'batch', [[5, ['overfitting']]]],
    ['batch scale: a batch event keeps its step', [ev('nan', 1, 1)], 'batch', [[1, ['nan']]]],
    ['batch scale: an epoch not drawn yet is left out', [ev('bestEpoch', 3)], 'batch', []],
  ] as [string, TrainEvent[], 'epoch' | 'batch', [number, string[]][]][])('%s', (_, events, scale, expected) => {
    expect(toMarkers(events, scale, batches).map((m) => [m.x, m.kinds])).toEqual(expected);
  });

  it('names each marker with its epoch, kind and sentence, and keeps the event indexes', () => {
    const [m] = toMarkers([ev('earlyStop', 4), ev('restoredBest', 4)], 'epoch');
    expect(m!.ariaLabel).toBe('Epoch 4: Early stop: earlyStop at 4. Best weights restored: restoredBest at 4.');
    expect(m!.text).toBe('Early stop: earlyStop at 4.\nBest weights restored: restoredBest at 4.');
    expect(m!.indexes).toEqual([0, 1]);
    expect(m!.color).toBe(EVENT_STYLES.earlyStop.color);
  });

  it('draws a shared marker as its most important event, whatever came first', () => {
    const [m] = toMarkers([ev('checkpoint', 6), ev('overfitting', 6)], 'epoch');
    expect([m!.color, m!.symbol]).toEqual([EVENT_STYLES.overfitting.color, EVENT_STYLES.overfitting.symbol]);
    const [n] = toMarkers([ev('checkpoint', 3)], 'epoch');
    expect(n!.symbol).toBe(EVENT_STYLES.checkpoint.symbol);
  });
});

describe('withGap', () => {
  it('adds val − train for loss and train − val for accuracy, null without validation', () => {
    const rows = withGap([
      { epoch: 1, loss: 0.5, val_loss: 0.75, acc: 90, val_acc: 85 },
      { epoch: 2, loss: 0.4, val_loss: null, acc: 92, val_acc: null },
    ]);
    expect(rows.map((r) => [r.gap_loss, r.gap_acc])).toEqual([[0.25, 5], [null, null]]);
  });
});

describe('eventListItems', () => {
  it('lists events by epoch and collapses the checkpoints into one line at the end', () => {
    const events = [ev('checkpoint', 1), ev('bestEpoch', 2), ev('checkpoint', 2), ev('overfitting', 4), ev('checkpoint', 3), ev('earlyStop', 5), ev('checkpoint', 4)];
    const items = eventListItems(events);
    expect(items.map((i) => [i.epochText, i.label])).toEqual([
      ['Epoch 2', 'Best epoch'],
      ['Epoch 4', 'Overfitting begins'],
      ['Epoch 5', 'Early stop'],
      ['Epochs 1–4', '4 checkpoints saved'],
    ]);
    expect(items[3]!.indexes).toEqual([0, 2, 4, 6]);
    expect(items[3]!.message).toBe('The latest: checkpoint at 4.');
  });
  it('keeps a single checkpoint as it is', () => {
    expect(eventListItems([ev('checkpoint', 3)])).toMatchObject([{ epochText: 'Epoch 3', label: 'Checkpoint saved', indexes: [0] }]);
  });
  it('keeps arrival order within an epoch', () => {
    expect(eventListItems([ev('earlyStop', 3), ev('restoredBest', 3), ev('bestEpoch', 2)]).map((i) => i.kind)).toEqual([
      'bestEpoch',
      'earlyStop',
      'restoredBest',
    ]);
  });
});
