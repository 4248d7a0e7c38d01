import { describe, expect, it } from 'vitest';
import { lrAxis, lrBatchRows, lrEpochRows, lrMarkers } from './lrSeries';
import type { BatchLog, TrainEvent } from '../../core/callbacks/types';
import type { EpochPoint } from '../../state/metricsSlice';

const batch = (epoch: number, b: number, step: number, lr?: number): BatchLog => ({ epoch, batch: b, step, size: 10, loss: 1, acc: 0.5, lr });
const epochPoint = (epoch: number, lr?: number): EpochPoint => ({ epoch, loss: 1, acc: 0.5, samplesPerSec: 1, lr });
const reduced = (epoch: number): TrainEvent => ({ kind: 'lrReduced', epoch, message: `reduced after epoch ${epoch}`, value: 0.5 });

describe('lrEpochRows / lrBatchRows', () => {
  it('one row per epoch with a rate', () => {
    expect(lrEpochRows([epochPoint(1, 0.1), epochPoint(2), epochPoint(3, 0.05)])).toEqual([
      { x: 1, lr: 0.1 },
      { x: 3, lr: 0.05 },
    ]);
  });

  it('every batch while they fit, bucket means beyond', () => {
    const points = Array.from({ length: 6 }, (_, i) => batch(0, i, i, 0.1 * (6 - i)));
    expect(lrBatchRows(points)).toHaveLength(6);
    const rows = lrBatchRows(points, 3);
    expect(rows.map((r) => r.x)).toEqual([0.5, 2.5, 4.5]);
    expect(rows.map((r) => r.lr)).toEqual([0.55, 0.35, 0.15].map((v) => expect.closeTo(v, 12)));
  });

  it('keeps only the ends of a run of equal rates', () => {
    const rates = [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.02];
    const rows = lrBatchRows(rates.map((lr, i) => batch(0, i, i, lr)));
    expect(rows).toEqual([
      { x: 0, lr: 0.1 },
      { x: 3, lr: 0.1 },
      { x: 4, lr: 0.05 },
      { x: 6, lr: 0.05 },
      { x: 7, lr: 0.02 },
    ]);
    const constant = lrBatchRows(Array.from({ length: 5000 }, (_, i) => batch(0, i, i, 0.001)));
    expect(constant.map((r) => r.lr)).toEqual([0.001, 0.001]);
    expect(constant[1]!.x).toBeGreaterThan(4900);
  });

  it('skips batches without a rate and is empty without batches', () => {
    expect(lrBatchRows([batch(0, 0, 0), batch(0, 1, 1, 0.2)])).toEqual([{ x: 1, lr: 0.2 }]);
    expect(lrBatchRows([])).toEqual([]);
  });
});

describe('lrMarkers', () => {
  const points = [0, 1, 2].flatMap((e) => [0, 1, 2, 3].map((b) => batch(e, b, e * 4 + b, 0.1)));
  it.each<['epoch' | 'batch', TrainEvent[], number[]]>([
    ['epoch', [reduced(1), reduced(3)], [1, 3]],
    ['batch', [reduced(1), reduced(2)], [3, 7]],
    ['batch', [reduced(4)], []], // its epoch has no batches yet
    ['epoch', [{ kind: 'bestEpoch', epoch: 2, message: 'best' }], []],
  ])('%s scale: %j at %j', (scale, events, xs) => {
    expect(lrMarkers(scale, events, points).map((m) => m.x)).toEqual(xs);
  });
});

describe('lrAxis', () => {
  it.each<[string, number[], boolean, unknown, unknown]>([
    ['flat: linear', [0.001, 0.001], false, [0, 'auto'], undefined],
    ['10× exactly: still linear', [0.01, 0.001], false, [0, 'auto'], undefined],
    ['over 10×: log with decades', [0.01, 0.00024], true, [0.0001, 0.01], [0.0001, 0.001, 0.01]],
    ['zeros are ignored', [0, 0.5, 0.02], true, [0.01, 1], [0.01, 0.1, 1]],
    ['a short tail (cosine to 0) stays linear', [0.01, 0.01, 0.009, 0.008, 0.005, 0.002, 0.0001], false, [0, 'auto'], undefined],
    ['at most 5 decades', [0.001, 1e-30, 1e-30], true, [1e-8, 0.001], [1e-8, 1e-7, 1e-6, 0.00001, 0.0001, 0.001]],
    ['nothing positive: linear', [], false, [0, 'auto'], undefined],
  ])('%s', (_n, values, log, domain, ticks) => {
    expect(lrAxis(values)).toEqual({ log, domain, ...(ticks ? { ticks } : {}) });
  });
});
