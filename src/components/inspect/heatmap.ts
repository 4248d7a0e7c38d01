/**
 * Pure helpers of the Layers chart: the colour scale of log10(gradient RMS), its range over
 * the samples, the drawing of the heatmap and line views on a 2-D canvas context, and the
 * read-out's geometry (which layer and sample a pointer is on, where that point is drawn,
 * where the arrow keys move it) and text.
 */
import type { LayerStatsSample } from '../../core/inspect/stats';
import { BATCH_NORM, formatSize, powerOfTen } from '../../core/inspect/reading';
import { formatCount } from '../../core/format';

/** Viridis, 9 stops, dark (small gradients) to yellow (large). */
const STOPS: [number, number, number][] = [
  [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141],
  [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
];

/** The colour of t in 0..1 as [r, g, b]. */
export function colorAt(t: number): [number, number, number] {
  const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 1)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = STOPS[i]!;
  const b = STOPS[i + 1]!;
  return [0, 1, 2].map((k) => Math.round(a[k]! + (b[k]! - a[k]!) * f)) as [number, number, number];
}

const log10 = (v: number) => (v > 0 ? Math.log10(v) : Number.NEGATIVE_INFINITY);

/** Whole exponents [lo, hi] covering every finite, positive gradient RMS (at least 1 apart). */
export function exponentRange(samples: readonly LayerStatsSample[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of samples) {
    for (const v of s.gradRms) {
      const e = log10(v);
      if (!Number.isFinite(e)) continue;
      lo = Math.min(lo, e);
      hi = Math.max(hi, e);
    }
  }
  if (!Number.isFinite(lo)) return [-6, 0];
  lo = Math.floor(lo);
  hi = Math.max(lo + 1, Math.ceil(hi));
  return [lo, hi];
}

export interface ChartLayout {
  width: number;
  height: number;
  /** Left margin for the row labels and the axis. */
  left: number;
  top: number;
  bottom: number;
  right: number;
}

export function layoutFor(rows: number, view: 'heatmap' | 'lines'): ChartLayout {
  // 81 rows (40 Dense + 40 BatchNormalization + output) at 8 px would be 648 px tall: capped.
  const plot = view === 'heatmap' ? Math.max(80, Math.min(360, rows * 8)) : 220;
  return { width: 720, height: plot + 40, left: 78, top: 8, bottom: 32, right: 12 };
}

/** Width and height of the plot, the layout without its margins. */
const plotSize = (L: ChartLayout) => ({ pw: L.width - L.left - L.right, ph: L.height - L.top - L.bottom });

/** The line view's x of sample `i` of `n` (a single sample sits in the middle). */
export function lineX(i: number, n: number, L: ChartLayout): number {
  const { pw } = plotSize(L);
  return L.left + (n <= 1 ? pw / 2 : (i / (n - 1)) * pw);
}

/** The line view's y of exponent `e` (log10 of a gradient RMS), clamped to the range. */
export function lineY(e: number, range: [number, number], L: ChartLayout): number {
  const { ph } = plotSize(L);
  const [lo, hi] = range;
  const c = Math.max(lo, Math.min(hi, e));
  return L.top + ph - ((c - lo) / (hi - lo)) * ph;
}

const FONT = '12px system-ui, sans-serif';
const INK = '#374151';

/** Which rows get a label: the first, the last, and evenly spaced ones between. */
export function labelledRows(rows: number, maxLabels: number): number[] {
  if (rows <= maxLabels) return Array.from({ length: rows }, (_, i) => i);
  const step = Math.ceil((rows - 1) / (maxLabels - 1));
  const out: number[] = [];
  for (let i = 0; i < rows - 1; i += step) out.push(i);
  // The last row always; the one before it only if not crowding it.
  if (rows - 1 - out[out.length - 1]! < step / 2) out.pop();
  out.push(rows - 1);
  return out;
}

/** The heatmap: one row per layer (first layer at the top), one column per sample. */
export function drawHeatmap(
  ctx: CanvasRenderingContext2D,
  samples: readonly LayerStatsSample[],
  names: readonly string[],
  range: [number, number],
  L: ChartLayout,
): void {
  const rows = names.length;
  ctx.clearRect(0, 0, L.width, L.height);
  const pw = L.width - L.left - L.right;
  const ph = L.height - L.top - L.bottom;
  if (rows === 0 || samples.length === 0) return;
  const cols = samples.length;
  const img = ctx.createImageData(cols, rows);
  const [lo, hi] = range;
  for (let c = 0; c < cols; c++) {
    const g = samples[c]!.gradRms;
    for (let r = 0; r < rows; r++) {
      const v = g[r];
      const e = v === undefined ? NaN : log10(v);
      const [R, G, B] = Number.isNaN(e) || e === Infinity ? [220, 38, 38] : colorAt((e - lo) / (hi - lo));
      const o = 4 * (r * cols + c);
      img.data[o] = R;
      img.data[o + 1] = G;
      img.data[o + 2] = B;
      img.data[o + 3] = 255;
    }
  }
  // Drawn at sample resolution on a scratch canvas, then stretched without smoothing.
  const scratch = new OffscreenCanvas(cols, rows);
  scratch.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(scratch, L.left, L.top, pw, ph);
  ctx.font = FONT;
  ctx.fillStyle = INK;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const rowH = ph / rows;
  for (const r of labelledRows(rows, Math.max(2, Math.floor(ph / 16)))) {
    ctx.fillText(names[r] ?? '', L.left - 6, L.top + (r + 0.5) * rowH);
  }
  stepAxis(ctx, samples, L);
}

/** The line view: log10(gradient RMS) over the run, one line per layer coloured by depth. */
export function drawLines(
  ctx: CanvasRenderingContext2D,
  samples: readonly LayerStatsSample[],
  names: readonly string[],
  range: [number, number],
  L: ChartLayout,
): void {
  ctx.clearRect(0, 0, L.width, L.height);
  const rows = names.length;
  const { pw } = plotSize(L);
  const [lo, hi] = range;
  const y = (e: number) => lineY(e, range, L);
  ctx.font = FONT;
  ctx.fillStyle = INK;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  ctx.strokeStyle = '#e5e7eb';
  ctx.lineWidth = 1;
  const every = Math.max(1, Math.ceil((hi - lo) / 8));
  for (let e = lo; e <= hi; e += every) {
    ctx.beginPath();
    ctx.moveTo(L.left, y(e));
    ctx.lineTo(L.left + pw, y(e));
    ctx.stroke();
    ctx.fillText(powerOfTen(e), L.left - 6, y(e));
  }
  if (rows === 0 || samples.length === 0) return;
  const n = samples.length;
  const x = (i: number) => lineX(i, n, L);
  ctx.lineWidth = 1.5;
  for (let r = 0; r < rows; r++) {
    const [R, G, B] = colorAt(rows === 1 ? 1 : r / (rows - 1));
    ctx.strokeStyle = `rgb(${R},${G},${B})`;
    ctx.beginPath();
    let drawing = false;
    for (let i = 0; i < n; i++) {
      const e = log10(samples[i]!.gradRms[r] ?? NaN);
      if (!Number.isFinite(e)) {
        drawing = false;
        continue;
      }
      const py = y(e);
      if (drawing) ctx.lineTo(x(i), py);
      else ctx.moveTo(x(i), py);
      drawing = true;
    }
    ctx.stroke();
  }
  stepAxis(ctx, samples, L);
}

function stepAxis(ctx: CanvasRenderingContext2D, samples: readonly LayerStatsSample[], L: ChartLayout) {
  const first = samples[0]!.step + 1;
  const last = samples[samples.length - 1]!.step + 1;
  const yAxis = L.height - L.bottom + 14;
  ctx.fillStyle = INK;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  ctx.fillText(`batch ${formatCount(first)}`, L.left, yAxis);
  ctx.textAlign = 'right';
  ctx.fillText(`batch ${formatCount(last)}`, L.width - L.right, yAxis);
  ctx.textAlign = 'center';
  ctx.fillText('training →', L.left + (L.width - L.left - L.right) / 2, yAxis);
}

/** A CSS linear-gradient of the colour scale, for the legend. */
export function legendGradient(): string {
  return `linear-gradient(to right, ${STOPS.map(([r, g, b]) => `rgb(${r},${g},${b})`).join(', ')})`;
}

/** A point of the chart: a layer's row (0 = first layer) and a sample's index. */
export interface ChartPoint {
  row: number;
  sample: number;
}

/**
 * The heatmap's cell under (x, y), in layout units (CSS pixels of the unscaled layout), or
 * null off the plot. The plot's far edges belong to the last column and row.
 */
export function heatmapPointAt(x: number, y: number, rows: number, cols: number, L: ChartLayout): ChartPoint | null {
  const { pw, ph } = plotSize(L);
  const fx = (x - L.left) / pw;
  const fy = (y - L.top) / ph;
  if (rows === 0 || cols === 0 || !(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1)) return null;
  return { row: Math.min(rows - 1, Math.floor(fy * rows)), sample: Math.min(cols - 1, Math.floor(fx * cols)) };
}

/**
 * The line view's point nearest (x, y): the nearest sample, and among the layers the one
 * whose line passes nearest there (lines clamped to the range as drawn; a value that is not
 * a positive number has no line). Null off the plot, or with no line at that sample.
 */
export function linesPointAt(
  x: number,
  y: number,
  samples: readonly LayerStatsSample[],
  rows: number,
  range: [number, number],
  L: ChartLayout,
): ChartPoint | null {
  const { pw, ph } = plotSize(L);
  const n = samples.length;
  if (rows === 0 || n === 0 || x < L.left || x > L.left + pw || y < L.top || y > L.top + ph) return null;
  const sample = n === 1 ? 0 : Math.round(((x - L.left) / pw) * (n - 1));
  let row = -1;
  let best = Infinity;
  for (let r = 0; r < rows; r++) {
    const e = log10(samples[sample]!.gradRms[r] ?? NaN);
    if (!Number.isFinite(e)) continue;
    const d = Math.abs(lineY(e, range, L) - y);
    if (d < best) [row, best] = [r, d];
  }
  return row < 0 ? null : { row, sample };
}

/** A rectangle in layout units; a dot has w = h = 0. */
export interface ChartBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Where `p` is drawn: its heatmap cell, or its dot on the line (the top for no line). */
export function pointBox(
  p: ChartPoint,
  view: 'heatmap' | 'lines',
  samples: readonly LayerStatsSample[],
  rows: number,
  range: [number, number],
  L: ChartLayout,
): ChartBox {
  const { pw, ph } = plotSize(L);
  if (view === 'heatmap') {
    const w = pw / Math.max(1, samples.length);
    const h = ph / Math.max(1, rows);
    return { x: L.left + p.sample * w, y: L.top + p.row * h, w, h };
  }
  const e = log10(samples[p.sample]?.gradRms[p.row] ?? NaN);
  return { x: lineX(p.sample, samples.length, L), y: Number.isFinite(e) ? lineY(e, range, L) : L.top, w: 0, h: 0 };
}

/**
 * Where a key moves the read-out's point: up/down one layer, left/right one sample,
 * Home/End the first/last sample, clamped; the first key starts at the first layer's latest
 * sample. Null for a key that does not move it (so it keeps its default action).
 */
export function movePoint(p: ChartPoint | null, key: string, rows: number, cols: number): ChartPoint | null {
  if (rows === 0 || cols === 0) return null;
  const keys = ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End'];
  if (!keys.includes(key)) return null;
  const clamp = (v: number, n: number) => Math.max(0, Math.min(n - 1, v));
  if (!p) return { row: 0, sample: cols - 1 };
  const { row, sample } = { row: clamp(p.row, rows), sample: clamp(p.sample, cols) };
  switch (key) {
    case 'ArrowUp':
      return { row: clamp(row - 1, rows), sample };
    case 'ArrowDown':
      return { row: clamp(row + 1, rows), sample };
    case 'ArrowLeft':
      return { row, sample: clamp(sample - 1, cols) };
    case 'ArrowRight':
      return { row, sample: clamp(sample + 1, cols) };
    case 'Home':
      return { row, sample: 0 };
    default:
      return { row, sample: cols - 1 };
  }
}

/**
 * The index of the sample of `step`, or of the nearest one (samples in step order): the
 * read-out keeps its step while the run thins and appends samples.
 */
export function sampleIndexOf(samples: readonly LayerStatsSample[], step: number): number {
  let lo = 0;
  let hi = samples.length - 1;
  if (hi < 0) return -1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (samples[mid]!.step < step) lo = mid + 1;
    else hi = mid;
  }
  // lo is the first at or after `step`: the one before may be nearer.
  return lo > 0 && step - samples[lo - 1]!.step < samples[lo]!.step - step ? lo - 1 : lo;
}

/**
 * The read-out of one layer at one sample, as lines: the layer's name, the batch and epoch
 * (1-based, as the chart's axis counts batches), then its numbers. A BatchNormalization
 * row's weights are its scale, gamma.
 */
export function pointReadout(name: string, kind: string | undefined, s: LayerStatsSample, row: number): string[] {
  const weights = kind === BATCH_NORM ? 'scale (gamma) RMS' : 'weights RMS';
  return [
    name,
    `batch ${formatCount(s.step + 1)}, epoch ${s.epoch + 1}`,
    `gradient RMS ${formatSize(s.gradRms[row] ?? NaN)}`,
    `${weights} ${formatSize(s.weightRms[row] ?? NaN)}, ${Math.round((s.actZero[row] ?? 0) * 100)}% zero outputs`,
  ];
}
