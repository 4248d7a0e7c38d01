/**
 * Pure helpers for the learning-rate charts: the live rate per epoch or per batch (bucketed
 * like the other batch curves), markers where reduce-on-plateau lowered it, and a y axis that
 * turns logarithmic when the rate spans more than 10×. No React, unit-tested under Node.
 */
import type { BatchLog, TrainEvent } from '../../core/callbacks/types';
import type { EpochPoint } from '../../state/metricsSlice';

export interface LrRow {
  /** 1-based epoch (epoch scale) or batch step (batch scale). */
  x: number;
  lr: number;
}

export interface LrMarker {
  x: number;
  epoch: number;
  message: string;
  value?: number;
}

/** The rate of each finished epoch (the rate of its last batch). */
export function lrEpochRows(points: readonly EpochPoint[]): LrRow[] {
  const rows: LrRow[] = [];
  for (const p of points) if (typeof p.lr === 'number' && Number.isFinite(p.lr)) rows.push({ x: p.epoch, lr: p.lr });
  return rows;
}

/** Most points the live learning-rate curve is drawn with: a smooth curve needs few. */
export const MAX_LR_POINTS = 150;

/**
 * The rate per batch, averaged into at most `maxPoints` consecutive buckets (x = the bucket's
 * mean step), skipping batches that carry no rate. Runs of equal rates keep only their first
 * and last row (the chart draws steps), so a constant rate is 2 points however long the run:
 * fewer points to draw on every update. One pass; allocates only the rows.
 */
export function lrBatchRows(points: readonly BatchLog[], maxPoints = MAX_LR_POINTS): LrRow[] {
  const n = points.length;
  if (n === 0) return [];
  const buckets = Math.min(n, Math.max(1, Math.floor(maxPoints)));
  const rows: LrRow[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.floor(((b + 1) * n) / buckets);
    let steps = 0;
    let sum = 0;
    let count = 0;
    let first = NaN;
    let same = true;
    for (let i = start; i < end; i++) {
      const p = points[i]!;
      if (typeof p.lr !== 'number' || !Number.isFinite(p.lr)) continue;
      if (count === 0) first = p.lr;
      else if (p.lr !== first) same = false;
      steps += p.step;
      sum += p.lr;
      count++;
    }
    if (count === 0) continue;
    // An exact rate when the bucket holds one (a mean would drift in the last digits).
    const row = { x: steps / count, lr: same ? first : sum / count };
    const prev = rows[rows.length - 1];
    // Same rate as the last two rows: move the end of the run instead of adding a row.
    if (prev && prev.lr === row.lr && rows.length >= 2 && rows[rows.length - 2]!.lr === row.lr) rows[rows.length - 1] = row;
    else rows.push(row);
  }
  return rows;
}

/**
 * Where each 'lrReduced' event goes: at the end of its epoch, that is x = its epoch on the
 * epoch scale, and the step of that epoch's last batch on the batch scale (left out while
 * that batch is not in `points`).
 */
export function lrMarkers(scale: 'epoch' | 'batch', events: readonly TrainEvent[], points: readonly BatchLog[]): LrMarker[] {
  const reduced = events.filter((e) => e.kind === 'lrReduced');
  if (reduced.length === 0) return [];
  const lastStep = new Map<number, number>();
  if (scale === 'batch') for (const p of points) lastStep.set(p.epoch, Math.max(lastStep.get(p.epoch) ?? -Infinity, p.step));
  const out: LrMarker[] = [];
  for (const e of reduced) {
    const x = scale === 'epoch' ? e.epoch : lastStep.get(e.epoch - 1);
    if (x !== undefined) out.push({ x, epoch: e.epoch, message: e.message, value: e.value });
  }
  return out;
}

export interface LrAxis {
  log: boolean;
  domain: [number, number] | [0, 'auto'];
  /** Powers of ten for a log axis; undefined lets the chart choose. */
  ticks?: number[];
}

/** Decades a log axis shows at most below its top: lower rates sit at the bottom edge. */
export const LOG_DECADES = 5;

/**
 * A log axis with power-of-ten ticks when the positive rates span more than 10× and at least
 * a third of them lie below a tenth of the largest (a decay that flattens out); else linear
 * from 0.
 * A curve that only dips at its very end (cosine down to 0) stays linear, where its shape
 * reads best. The log axis shows at most LOG_DECADES decades.
 */
export function lrAxis(values: readonly number[]): LrAxis {
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  for (const v of values) {
    if (!(v > 0) || !Number.isFinite(v)) continue;
    count++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(max > 0) || max / min <= 10) return { log: false, domain: [0, 'auto'] };
  let low = 0;
  for (const v of values) if (v > 0 && v < max / 10) low++;
  if (low * 3 < count) return { log: false, domain: [0, 'auto'] };
  const decade = (e: number) => Number((10 ** e).toPrecision(1)); // 1e-4, not 0.00009999…
  const hi = Math.ceil(Math.log10(max));
  const lo = Math.max(Math.floor(Math.log10(min)), hi - LOG_DECADES);
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e++) ticks.push(decade(e));
  return { log: true, domain: [decade(lo), decade(hi)], ticks };
}
