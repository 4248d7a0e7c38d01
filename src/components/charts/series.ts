/**
 * Pure helpers that turn the run's metrics into chart rows: downsampling (a run of 100,000
 * batches still draws a few hundred points), TensorBoard-style smoothing, and the per-epoch
 * and per-batch series. No React here, so all of it is unit-tested under Node.
 */
import type { BatchLog } from '../../core/callbacks/types';
import type { EpochPoint, Smoothing } from '../../state/metricsSlice';
import { formatCount } from '../../core/format';

/** Most points a batch curve is drawn with. */
export const MAX_CHART_POINTS = 400;
/** Fewest points a batch curve is drawn with, however narrow the plot. */
export const MIN_CHART_POINTS = 60;

/**
 * Points to draw a batch curve with on a plot `width` CSS pixels wide: one per 2 pixels (more
 * cannot be told apart, and recharts' cost grows with them), from MIN_CHART_POINTS up to
 * MAX_CHART_POINTS; MAX_CHART_POINTS while the width is unknown.
 */
export function pointsForWidth(width: number | null): number {
  if (width === null || !(width > 0)) return MAX_CHART_POINTS;
  return Math.max(MIN_CHART_POINTS, Math.min(MAX_CHART_POINTS, Math.floor(width / 2)));
}

/** Weight of the exponential moving average used for "Smoothed". */
export const SMOOTHING_WEIGHT = 0.8;

/** One drawn point of a per-batch curve. Accuracy in percent; null where no finite value exists. */
export interface BatchRow {
  /** Batches run since training began (the mean over the bucket once downsampled). */
  step: number;
  /** Epochs done at this point: 0.5 is halfway through the first epoch, 1 its end. */
  epochFraction: number;
  /** Smoothed when smoothing is on, raw otherwise. */
  loss: number | null;
  acc: number | null;
  /** The raw values under a smoothed curve; present only when smoothing is on. */
  rawLoss?: number | null;
  rawAcc?: number | null;
}

/** One point per finished epoch. Accuracy in percent; val_* null without a validation split. */
export interface EpochRow {
  /** 1-based. */
  epoch: number;
  loss: number | null;
  val_loss: number | null;
  acc: number | null;
  val_acc: number | null;
}

/** A validation result placed on the batch axis at the last batch of its epoch. */
export interface ValidationMarker {
  step: number;
  /** Equal to the 1-based epoch: the marker sits at that epoch's end. */
  epochFraction: number;
  val_loss: number | null;
  val_acc: number | null;
}

/** A row of the per-batch chart: a training point, with validation where an epoch ended. */
export type BatchChartRow = BatchRow & Partial<Pick<ValidationMarker, 'val_loss' | 'val_acc'>>;

/** Index range [start, end) of bucket `b` when `n` points are split into `buckets` groups. */
function bucketRange(b: number, n: number, buckets: number): [number, number] {
  return [Math.floor((b * n) / buckets), Math.floor(((b + 1) * n) / buckets)];
}

/** Mean of the finite values of `values[start..end)`, NaN if there are none. */
function finiteMean(values: ArrayLike<number>, start: number, end: number): number {
  let sum = 0;
  let count = 0;
  for (let i = start; i < end; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) {
      sum += v;
      count++;
    }
  }
  return count > 0 ? sum / count : NaN;
}

/**
 * Buckets `points` (in order) into at most `maxPoints` consecutive groups and replaces each
 * group by the mean of every numeric field, so x (step) becomes the bucket's mean step and
 * loss/acc its mean values. Bucket sizes differ by at most one, so the size-weighted mean of
 * the result equals the mean of the input. Non-finite values (a diverged loss) are left out
 * of a bucket's mean; a bucket with none finite gets NaN. Fields that are not numbers are
 * taken from the bucket's first point. Returns a copy of `points` when they already fit.
 */
export function downsample<T extends object>(points: readonly T[], maxPoints: number = MAX_CHART_POINTS): T[] {
  const n = points.length;
  const buckets = Math.max(1, Math.floor(maxPoints));
  if (n <= buckets) return points.slice();
  const first = points[0] as Record<string, unknown>;
  const columns = Object.keys(first)
    .filter((k) => typeof first[k] === 'number')
    .map((key) => {
      const col = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = (points[i] as Record<string, unknown>)[key];
        col[i] = typeof v === 'number' ? v : NaN;
      }
      return { key, col };
    });
  const out: T[] = new Array(buckets);
  for (let b = 0; b < buckets; b++) {
    const [start, end] = bucketRange(b, n, buckets);
    const row = { ...points[start]! } as Record<string, unknown>;
    for (const { key, col } of columns) row[key] = finiteMean(col, start, end);
    out[b] = row as T;
  }
  return out;
}

/**
 * Exponential moving average with bias correction, as TensorBoard draws it:
 * `ema = w·ema + (1−w)·v`, shown as `ema / (1 − wᵗ)` after t finite values. The correction
 * removes the pull towards the initial 0, so the first output equals the first input and a
 * constant series stays constant. Non-finite values pass through and do not enter the average.
 */
export function smooth(values: ArrayLike<number>, weight: number = SMOOTHING_WEIGHT): number[] {
  if (!(weight >= 0 && weight < 1)) {
    throw new RangeError(`Smoothing weight must be from 0 up to (not including) 1, got ${weight}.`);
  }
  const out = new Array<number>(values.length);
  let ema = 0;
  let power = 1; // weight ** (finite values seen so far)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    ema = weight * ema + (1 - weight) * v;
    power *= weight;
    out[i] = ema / (1 - power);
  }
  return out;
}

const finiteOrNull = (v: number | undefined): number | null =>
  v !== undefined && Number.isFinite(v) ? v : null;
const percentOrNull = (v: number | undefined): number | null =>
  v !== undefined && Number.isFinite(v) ? v * 100 : null;

/**
 * Batches per epoch for each epoch seen in `points`, read from the data: the largest batch
 * index + 1. The last epoch may still be running, so it is given at least the count of the
 * epochs before it.
 */
function batchesPerEpochFromData(points: readonly BatchLog[]): Map<number, number> {
  const counts = new Map<number, number>();
  let epoch = NaN;
  let max = 0;
  let lastEpoch = -Infinity;
  const flush = () => {
    if (!Number.isNaN(epoch)) counts.set(epoch, Math.max(counts.get(epoch) ?? 0, max));
  };
  // Points come grouped by epoch, so the map is touched once per epoch, not once per batch.
  for (const p of points) {
    if (p.epoch !== epoch) {
      flush();
      epoch = p.epoch;
      max = 0;
    }
    if (p.batch + 1 > max) max = p.batch + 1;
    if (p.epoch > lastEpoch) lastEpoch = p.epoch;
  }
  flush();
  let earlier = 0;
  for (const [e, count] of counts) if (e !== lastEpoch) earlier = Math.max(earlier, count);
  if (counts.has(lastEpoch)) counts.set(lastEpoch, Math.max(counts.get(lastEpoch)!, earlier));
  return counts;
}

export interface BatchSeriesOptions {
  /** The true batches per epoch when known (from the run's progress); else read from the data. */
  batchesPerEpoch?: number | null;
  maxPoints?: number;
  weight?: number;
}

/**
 * Rows for the per-batch curves. The batches are first averaged into at most `maxPoints`
 * buckets, exactly as `downsample` does; with smoothing on, the bucket means are then smoothed
 * (as TensorBoard smooths the points it has sampled), `loss`/`acc` hold the smoothed values and
 * `rawLoss`/`rawAcc` the bucket means for the faint line. Smoothing after bucketing keeps the
 * smoothed curve visibly smoother than the raw one however long the run is (smoothing every
 * batch with weight 0.8 averages about 5 batches, less than one bucket of a long run).
 * Called on every live update, so it makes one pass over the points and allocates only the rows.
 */
export function toBatchSeries(
  batchPoints: readonly BatchLog[],
  smoothing: Smoothing,
  options: BatchSeriesOptions = {},
): BatchRow[] {
  const n = batchPoints.length;
  if (n === 0) return [];
  const { batchesPerEpoch, maxPoints = MAX_CHART_POINTS, weight = SMOOTHING_WEIGHT } = options;
  const fixed = batchesPerEpoch && batchesPerEpoch > 0 ? batchesPerEpoch : 0;
  const perEpoch = fixed ? null : batchesPerEpochFromData(batchPoints);
  const buckets = Math.min(n, Math.max(1, Math.floor(maxPoints)));

  const step = new Array<number>(buckets);
  const epochFraction = new Array<number>(buckets);
  const loss = new Array<number>(buckets);
  const acc = new Array<number>(buckets);
  let countEpoch = NaN;
  let count = fixed;
  for (let b = 0; b < buckets; b++) {
    const [start, end] = bucketRange(b, n, buckets);
    let sStep = 0;
    let sFrac = 0;
    let sLoss = 0;
    let nLoss = 0;
    let sAcc = 0;
    let nAcc = 0;
    for (let i = start; i < end; i++) {
      const p = batchPoints[i]!;
      if (perEpoch && p.epoch !== countEpoch) {
        countEpoch = p.epoch;
        count = perEpoch.get(p.epoch)!;
      }
      sStep += p.step;
      sFrac += p.epoch + Math.min(1, (p.batch + 1) / count);
      if (Number.isFinite(p.loss)) {
        sLoss += p.loss;
        nLoss++;
      }
      if (Number.isFinite(p.acc)) {
        sAcc += p.acc;
        nAcc++;
      }
    }
    step[b] = sStep / (end - start);
    epochFraction[b] = sFrac / (end - start);
    loss[b] = nLoss > 0 ? sLoss / nLoss : NaN;
    acc[b] = nAcc > 0 ? (sAcc / nAcc) * 100 : NaN;
  }

  const smoothed = smoothing === 'smoothed';
  const sLoss = smoothed ? smooth(loss, weight) : loss;
  const sAcc = smoothed ? smooth(acc, weight) : acc;
  const rows: BatchRow[] = new Array(buckets);
  for (let b = 0; b < buckets; b++) {
    const row: BatchRow = {
      step: step[b]!,
      epochFraction: epochFraction[b]!,
      loss: finiteOrNull(sLoss[b]),
      acc: finiteOrNull(sAcc[b]),
    };
    if (smoothed) {
      row.rawLoss = finiteOrNull(loss[b]);
      row.rawAcc = finiteOrNull(acc[b]);
    }
    rows[b] = row;
  }
  return rows;
}

/** Rows for the per-epoch curves, accuracy in percent. */
export function toEpochSeries(epochPoints: readonly EpochPoint[]): EpochRow[] {
  return epochPoints.map((p) => ({
    epoch: p.epoch,
    loss: finiteOrNull(p.loss),
    val_loss: finiteOrNull(p.val_loss),
    acc: percentOrNull(p.acc),
    val_acc: percentOrNull(p.val_acc),
  }));
}

/** True when at least one epoch has a validation result. */
export function hasValidation(epochPoints: readonly EpochPoint[]): boolean {
  return epochPoints.some((p) => p.val_loss !== undefined || p.val_acc !== undefined);
}

/**
 * Validation results placed on the batch axis: each at the step of the last batch of its
 * epoch. Epochs without validation, or whose batches are not (yet) in `batchPoints`, are left out.
 */
export function toValidationMarkers(
  batchPoints: readonly BatchLog[],
  epochPoints: readonly EpochPoint[],
): ValidationMarker[] {
  if (!hasValidation(epochPoints)) return [];
  const lastStep = new Map<number, number>();
  // Points come grouped by epoch in step order: the last point of each group is its end.
  for (let i = 0; i < batchPoints.length; i++) {
    const p = batchPoints[i]!;
    const next = batchPoints[i + 1];
    if (!next || next.epoch !== p.epoch) lastStep.set(p.epoch, Math.max(lastStep.get(p.epoch) ?? -Infinity, p.step));
  }
  const out: ValidationMarker[] = [];
  for (const e of epochPoints) {
    if (e.val_loss === undefined && e.val_acc === undefined) continue;
    const step = lastStep.get(e.epoch - 1); // EpochPoint.epoch is 1-based, BatchLog.epoch 0-based
    if (step === undefined) continue;
    out.push({ step, epochFraction: e.epoch, val_loss: finiteOrNull(e.val_loss), val_acc: percentOrNull(e.val_acc) });
  }
  return out;
}

/**
 * Puts each validation marker on the training row nearest its step (the row of the bucket
 * where its epoch ended; the exact batch when the run is short enough not to be downsampled),
 * so that one data array serves every line and the tooltip at that point shows training and
 * validation together. Returns new rows; `rows` is left as it is. Markers beyond the last row
 * go to the last row; should two markers share a row (epochs shorter than a bucket), the later
 * one wins.
 */
export function attachValidation(rows: readonly BatchRow[], markers: readonly ValidationMarker[]): BatchChartRow[] {
  const out: BatchChartRow[] = rows.slice();
  if (rows.length === 0) return out;
  let j = 0;
  for (const m of markers) {
    // Markers are in step order, so the search resumes where the previous one stopped.
    while (j + 1 < rows.length && rows[j + 1]!.step <= m.step) j++;
    const next = rows[j + 1];
    const at = next && next.step - m.step < m.step - rows[j]!.step ? j + 1 : j;
    out[at] = { ...out[at]!, val_loss: m.val_loss, val_acc: m.val_acc };
  }
  return out;
}

/** Integer epoch ticks, every epoch up to 12, else about 10 evenly spaced ones starting at 1. */
export function epochTicks(lastEpoch: number): number[] {
  if (!(lastEpoch >= 1)) return [1];
  const stride = lastEpoch <= 12 ? 1 : Math.ceil(lastEpoch / 10);
  const ticks: number[] = [];
  for (let e = 1; e <= lastEpoch; e += stride) ticks.push(e);
  return ticks;
}

/**
 * Round ticks from 0 to `max` for the batch axis: a whole step of 1, 2 or 5 times a power of
 * ten, about `target` of them, none beyond `max`.
 */
export function niceTicks(max: number, target = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0];
  const raw = max / Math.max(1, target);
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow);
  const ticks: number[] = [];
  for (let t = 0; t <= max; t += step) ticks.push(t);
  return ticks;
}

export interface CaptionInput {
  scale: 'epoch' | 'batch';
  smoothing: Smoothing;
  /** Whether validation results exist (or are expected). */
  validation: boolean;
  /** Batch points in the run, to say when each drawn point averages several. */
  batchCount: number;
  maxPoints?: number;
  weight?: number;
}

/** The one-line caption under the controls: what the charts show right now. */
export function chartCaption(c: CaptionInput): string {
  if (c.scale === 'epoch') {
    return c.validation
      ? 'Per epoch: training (solid line, averaged over the epoch) and validation (dashed line, measured after the epoch).'
      : 'Per epoch: training, averaged over each epoch. No validation split, so no validation line.';
  }
  const weight = c.weight ?? SMOOTHING_WEIGHT;
  const maxPoints = c.maxPoints ?? MAX_CHART_POINTS;
  const parts = [
    c.smoothing === 'smoothed'
      ? `Per batch, smoothed (exponential moving average ${weight}). Faint line: raw values.`
      : 'Per batch, raw values.',
  ];
  if (c.validation) parts.push('Validation is measured once per epoch: orange dots where each epoch ended.');
  if (c.batchCount > maxPoints) {
    parts.push(`Each point averages up to ${formatCount(Math.ceil(c.batchCount / maxPoints))} batches.`);
  }
  return parts.join(' ');
}
