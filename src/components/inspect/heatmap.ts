/**
 * Pure helpers of the Layers chart: the colour scale of log10(gradient RMS), its range over
 * the samples, and the drawing of the heatmap and line views on a 2-D canvas context.
 */
import type { LayerStatsSample } from '../../core/inspect/stats';
import { powerOfTen } from '../../core/inspect/reading';

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
  const plot = view === 'heatmap' ? Math.max(80, Math.min(360, rows * 8)) : 220;
  return { width: 720, height: plot + 40, left: 78, top: 8, bottom: 32, right: 12 };
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
  const pw = L.width - L.left - L.right;
  const ph = L.height - L.top - L.bottom;
  const [lo, hi] = range;
  const y = (e: number) => L.top + ph - ((e - lo) / (hi - lo)) * ph;
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
  const x = (i: number) => L.left + (n === 1 ? pw / 2 : (i / (n - 1)) * pw);
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
      const py = y(Math.max(lo, Math.min(hi, e)));
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
  ctx.fillText(`batch ${first.toLocaleString('en-US')}`, L.left, yAxis);
  ctx.textAlign = 'right';
  ctx.fillText(`batch ${last.toLocaleString('en-US')}`, L.width - L.right, yAxis);
  ctx.textAlign = 'center';
  ctx.fillText('training →', L.left + (L.width - L.left - L.right) / 2, yAxis);
}

/** A CSS linear-gradient of the colour scale, for the legend. */
export function legendGradient(): string {
  return `linear-gradient(to right, ${STOPS.map(([r, g, b]) => `rgb(${r},${g},${b})`).join(', ')})`;
}
