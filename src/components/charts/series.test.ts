import { describe, expect, it } from 'vitest';
import type { BatchLog } from '../../core/callbacks/types';
import type { EpochPoint } from '../../state/metricsSlice';
import {
  MAX_CHART_POINTS,
  MIN_CHART_POINTS,
  pointsForWidth,
  attachValidation,
  chartCaption,
  downsample,
  epochTicks,
  niceTicks,
  smooth,
  toBatchSeries,
  toEpochSeries,
  toValidationMarkers,
} from './series';

/** `epochs` epochs of `perEpoch` batches each, loss falling and accuracy rising. */
function batches(epochs: number, perEpoch: number): BatchLog[] {
  const out: BatchLog[] = [];
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let batch = 0; batch < perEpoch; batch++) {
      out.push({ epoch, batch, step, size: 32, loss: 2 / (1 + step * 0.01), acc: Math.min(1, step / 1000) });
      step++;
    }
  }
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('downsample', () => {
  it('returns the points unchanged (as a copy) when they already fit', () => {
    const pts = batches(1, 10);
    const out = downsample(pts, 400);
    expect(out).toEqual(pts);
    expect(out).not.toBe(pts);
  });

  it('bounds the number of points for a run of 100,000 batches', () => {
    const pts = batches(100, 1000);
    expect(downsample(pts).length).toBe(MAX_CHART_POINTS);
    expect(downsample(pts, 250).length).toBe(250);
    expect(downsample(pts, 1).length).toBe(1);
  });

  it('keeps x as the mean step and loss/acc as bucket means, preserving the overall mean', () => {
    const pts = batches(4, 100); // 400 points into 40 buckets of exactly 10
    const out = downsample(pts, 40);
    expect(out.length).toBe(40);
    expect(out[0]!.step).toBeCloseTo(4.5, 12); // mean of steps 0..9
    expect(out[0]!.loss).toBeCloseTo(mean(pts.slice(0, 10).map((p) => p.loss)), 12);
    expect(out[39]!.step).toBeCloseTo(394.5, 12);
    expect(mean(out.map((p) => p.loss))).toBeCloseTo(mean(pts.map((p) => p.loss)), 12);
    expect(mean(out.map((p) => p.acc))).toBeCloseTo(mean(pts.map((p) => p.acc)), 12);
    expect(mean(out.map((p) => p.step))).toBeCloseTo(mean(pts.map((p) => p.step)), 9);
  });

  it('preserves the size-weighted mean when buckets are uneven, and keeps steps increasing', () => {
    const pts = batches(1, 1003);
    const out = downsample(pts, 10);
    // Bucket sizes are 100 or 101: recover them from the mean steps of consecutive integers.
    let start = 0;
    let weighted = 0;
    for (const r of out) {
      const size = 2 * (r.step - start) + 1;
      expect([100, 101]).toContain(Math.round(size));
      weighted += r.loss * Math.round(size);
      start += Math.round(size);
    }
    expect(start).toBe(1003);
    expect(weighted / 1003).toBeCloseTo(mean(pts.map((p) => p.loss)), 12);
    for (let i = 1; i < out.length; i++) expect(out[i]!.step).toBeGreaterThan(out[i - 1]!.step);
  });

  it('leaves non-finite values out of a bucket mean', () => {
    const pts = [
      { step: 0, loss: 1 },
      { step: 1, loss: NaN },
      { step: 2, loss: 3 },
      { step: 3, loss: Infinity },
    ];
    const out = downsample(pts, 1);
    expect(out).toEqual([{ step: 1.5, loss: 2 }]);
    expect(downsample([{ step: 0, loss: NaN }, { step: 1, loss: NaN }], 1)[0]!.loss).toBeNaN();
  });
});

describe('smooth', () => {
  it('keeps a constant series constant (bias correction removes the pull towards 0)', () => {
    for (const w of [0.6, 0.8, 0.9]) {
      const out = smooth(new Array(50).fill(0.7), w);
      for (const v of out) expect(v).toBeCloseTo(0.7, 12);
    }
  });

  it('starts at the first input', () => {
    expect(smooth([5, 1, 1])[0]).toBe(5);
    expect(smooth([2.5], 0.9)).toEqual([2.5]);
  });

  it('is the bias-corrected exponential moving average', () => {
    const w = 0.8;
    const out = smooth([1, 0], w);
    // ema1 = 0.2, ema2 = 0.16; debiased by 1 - 0.8 and 1 - 0.64.
    expect(out[1]).toBeCloseTo(0.16 / 0.36, 12);
    expect(out[1]).toBeLessThan(1);
    expect(out[1]).toBeGreaterThan(0);
  });

  it('weight 0 is the identity; out-of-range weights are rejected', () => {
    expect(smooth([3, 1, 4, 1, 5], 0)).toEqual([3, 1, 4, 1, 5]);
    expect(() => smooth([1], 1)).toThrow(RangeError);
    expect(() => smooth([1], -0.1)).toThrow(RangeError);
  });

  it('passes non-finite values through without poisoning the average', () => {
    const out = smooth([1, NaN, 1, Infinity, 1]);
    expect(out[1]).toBeNaN();
    expect(out[3]).toBe(Infinity);
    expect(out[2]).toBeCloseTo(1, 12);
    expect(out[4]).toBeCloseTo(1, 12);
  });

  it('reduces the variance of a noisy series', () => {
    const noisy = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 1 : 0));
    const s = smooth(noisy).slice(20);
    expect(Math.max(...s) - Math.min(...s)).toBeLessThan(0.25);
  });
});

describe('toBatchSeries', () => {
  it('gives step, epochFraction, loss and accuracy in percent (raw)', () => {
    const rows = toBatchSeries(batches(2, 4), 'raw');
    expect(rows.length).toBe(8);
    expect(rows[0]).toEqual({ step: 0, epochFraction: 0.25, loss: 2, acc: 0 });
    expect(rows[3]!.epochFraction).toBe(1);
    expect(rows[4]!.epochFraction).toBe(1.25);
    expect(rows[7]!.epochFraction).toBe(2);
    expect(rows[7]!.acc).toBeCloseTo(0.7, 12); // step 7 → acc 0.007 → 0.7 %
    expect(rows[0]).not.toHaveProperty('rawLoss');
  });

  it('estimates a running epoch from the epochs before it, or uses the given batches per epoch', () => {
    const pts = batches(2, 10).slice(0, 15); // epoch 1 halfway done
    expect(toBatchSeries(pts, 'raw').at(-1)!.epochFraction).toBe(1.5);
    expect(toBatchSeries(batches(1, 10).slice(0, 5), 'raw', { batchesPerEpoch: 10 }).at(-1)!.epochFraction).toBe(0.5);
  });

  it('smoothed rows carry the raw values too, and the first smoothed value equals the raw one', () => {
    const pts = batches(1, 20);
    const rows = toBatchSeries(pts, 'smoothed');
    expect(rows[0]!.loss).toBe(rows[0]!.rawLoss);
    expect(rows[5]!.rawLoss).toBe(pts[5]!.loss);
    expect(rows[5]!.loss).toBeGreaterThan(pts[5]!.loss); // a falling curve smoothed lags above it
    expect(rows[5]!.rawAcc).toBeCloseTo(pts[5]!.acc * 100, 12);
  });

  it('averages long runs into bucket means, like downsample', () => {
    const pts = batches(100, 1000);
    const rows = toBatchSeries(pts, 'raw');
    const means = downsample(pts);
    expect(rows.length).toBe(MAX_CHART_POINTS);
    expect(rows.map((r) => r.step)).toEqual(means.map((m) => m.step));
    rows.forEach((r, i) => {
      expect(r.loss).toBeCloseTo(means[i]!.loss, 12);
      expect(r.acc).toBeCloseTo(means[i]!.acc * 100, 10);
    });
    expect(rows.at(-1)!.epochFraction).toBeGreaterThan(99.5);
    expect(rows.at(-1)!.epochFraction).toBeLessThanOrEqual(100);
  });

  it('smooths the bucket means, so the smoothed curve stays smoother than the raw one in long runs', () => {
    // Noise that survives averaging: every other bucket of 250 batches is high.
    const pts = batches(100, 1000).map((p) => ({ ...p, loss: Math.floor(p.step / 250) % 2 === 0 ? 1 : 0 }));
    const rows = toBatchSeries(pts, 'smoothed');
    const variation = (xs: number[]) => xs.slice(1).reduce((a, x, i) => a + Math.abs(x - xs[i]!), 0);
    const raw = rows.map((r) => r.rawLoss!);
    const smoothed = rows.map((r) => r.loss!);
    expect(raw.slice(0, 4)).toEqual([1, 0, 1, 0]);
    expect(smoothed[0]).toBe(raw[0]);
    expect(variation(smoothed)).toBeLessThan(variation(raw) / 3);
  });

  it('turns non-finite values into gaps', () => {
    const diverged: BatchLog[] = [{ epoch: 0, batch: 0, step: 0, size: 1, loss: NaN, acc: 0 }];
    expect(toBatchSeries(diverged, 'smoothed')[0]).toEqual({ step: 0, epochFraction: 1, loss: null, acc: 0, rawLoss: null, rawAcc: 0 });
    expect(toBatchSeries(diverged, 'raw')[0]!.loss).toBeNull();
    expect(toBatchSeries([], 'smoothed')).toEqual([]);
  });
});

describe('toEpochSeries', () => {
  it('converts accuracy to percent and keeps the 1-based epoch', () => {
    const points: EpochPoint[] = [
      { epoch: 1, loss: 0.9, acc: 0.7, val_loss: 1.0, val_acc: 0.65, samplesPerSec: 1000 },
      { epoch: 2, loss: 0.5, acc: 0.851, val_loss: 0.6, val_acc: 0.8, samplesPerSec: 1000 },
    ];
    const rows = toEpochSeries(points);
    expect(rows[0]).toEqual({ epoch: 1, loss: 0.9, val_loss: 1.0, acc: 70, val_acc: 65 });
    expect(rows[1]!.acc).toBeCloseTo(85.1, 12);
    expect(rows[1]!.val_acc).toBeCloseTo(80, 12);
  });

  it('gives null validation values without a validation split', () => {
    const rows = toEpochSeries([{ epoch: 1, loss: 0.9, acc: 0.5, samplesPerSec: 1 }]);
    expect(rows).toEqual([{ epoch: 1, loss: 0.9, val_loss: null, acc: 50, val_acc: null }]);
  });
});

describe('validation markers on the batch axis', () => {
  const epochs: EpochPoint[] = [
    { epoch: 1, loss: 1, acc: 0.5, val_loss: 1.1, val_acc: 0.4, samplesPerSec: 1 },
    { epoch: 2, loss: 0.8, acc: 0.6, val_loss: 0.9, val_acc: 0.5, samplesPerSec: 1 },
  ];

  it('puts each epoch’s validation at the step of its last batch', () => {
    const markers = toValidationMarkers(batches(3, 5), epochs);
    expect(markers).toEqual([
      { step: 4, epochFraction: 1, val_loss: 1.1, val_acc: 40 },
      { step: 9, epochFraction: 2, val_loss: 0.9, val_acc: 50 },
    ]);
  });

  it('gives none without validation', () => {
    expect(toValidationMarkers(batches(1, 5), [{ epoch: 1, loss: 1, acc: 0.5, samplesPerSec: 1 }])).toEqual([]);
  });

  it('attaches each marker to the row of the batch where its epoch ended', () => {
    const pts = batches(3, 5);
    const rows = toBatchSeries(pts, 'raw');
    const withVal = attachValidation(rows, toValidationMarkers(pts, epochs));
    expect(withVal.length).toBe(rows.length);
    expect(withVal[4]).toMatchObject({ step: 4, loss: rows[4]!.loss, val_loss: 1.1, val_acc: 40 });
    expect(withVal[9]).toMatchObject({ step: 9, val_loss: 0.9, val_acc: 50 });
    expect(withVal.filter((r) => r.val_loss !== undefined).length).toBe(2);
    expect(rows[4]).not.toHaveProperty('val_loss'); // the input rows are left alone
  });

  it('attaches to the nearest bucket once downsampled', () => {
    const pts = batches(10, 1000); // 10,000 batches in 400 buckets of 25
    const eps: EpochPoint[] = Array.from({ length: 10 }, (_, e) => ({
      epoch: e + 1, loss: 1, acc: 0.5, val_loss: e, val_acc: 0.5, samplesPerSec: 1,
    }));
    const withVal = attachValidation(toBatchSeries(pts, 'raw'), toValidationMarkers(pts, eps));
    const marked = withVal.filter((r) => r.val_loss !== undefined);
    expect(marked.map((r) => r.val_loss)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    marked.forEach((r, e) => expect(Math.abs(r.step - (1000 * (e + 1) - 1))).toBeLessThanOrEqual(12.5));
    expect(attachValidation([], toValidationMarkers(pts, eps))).toEqual([]);
  });
});

describe('epochTicks and chartCaption', () => {
  it('ticks every epoch for short runs, about ten for long ones', () => {
    expect(epochTicks(3)).toEqual([1, 2, 3]);
    expect(epochTicks(100).length).toBe(10);
    expect(epochTicks(100)[0]).toBe(1);
    expect(epochTicks(0)).toEqual([1]);
  });

  it('gives round batch ticks from 0 to at most the last step', () => {
    expect(niceTicks(2499)).toEqual([0, 500, 1000, 1500, 2000]);
    expect(niceTicks(99_999)).toEqual([0, 20000, 40000, 60000, 80000]);
    expect(niceTicks(3)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(1.5)).toEqual([0, 1]); // batches are whole
    expect(niceTicks(0)).toEqual([0]);
  });

  it('says what is shown', () => {
    expect(chartCaption({ scale: 'batch', smoothing: 'smoothed', validation: false, batchCount: 10 })).toBe(
      'Per batch, smoothed (exponential moving average 0.8). Faint line: raw values.',
    );
    expect(chartCaption({ scale: 'batch', smoothing: 'raw', validation: true, batchCount: 4000 })).toMatch(
      /^Per batch, raw values\. Validation is measured once per epoch.*averages up to 10 batches\.$/,
    );
    expect(chartCaption({ scale: 'epoch', smoothing: 'raw', validation: true, batchCount: 0 })).toMatch(/dashed/);
  });
});

describe('pointsForWidth', () => {
  it('draws one point per 2 pixels, within the bounds, and the most while the width is unknown', () => {
    expect(pointsForWidth(500)).toBe(250);
    expect(pointsForWidth(501)).toBe(250);
    expect(pointsForWidth(2000)).toBe(MAX_CHART_POINTS);
    expect(pointsForWidth(40)).toBe(MIN_CHART_POINTS);
    expect(pointsForWidth(null)).toBe(MAX_CHART_POINTS);
    expect(pointsForWidth(0)).toBe(MAX_CHART_POINTS);
  });
});
