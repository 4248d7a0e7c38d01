import { describe, expect, it } from 'vitest';
import { colorAt, exponentRange, heatmapPointAt, labelledRows, layoutFor, linesPointAt, movePoint, pointBox, pointReadout, sampleIndexOf } from './heatmap';
import type { LayerStatsSample } from '../../core/inspect/stats';

const s = (g: number[], step = 0): LayerStatsSample => ({
  step, epoch: 0, gradRms: Float32Array.from(g), weightRms: new Float32Array(g.length),
  actMean: new Float32Array(g.length), actStd: new Float32Array(g.length), actZero: new Float32Array(g.length),
});

describe('Layers chart helpers', () => {
  it.each([
    [0, [68, 1, 84]],
    [1, [253, 231, 37]],
    [-3, [68, 1, 84]],
    [Number.NaN, [253, 231, 37]],
  ])('colorAt(%s)', (t, rgb) => expect(colorAt(t)).toEqual(rgb));
  it.each([
    { samples: [s([1.2e-11, 7.1e-4])], want: [-11, -3] },
    { samples: [s([0.5, 0.5])], want: [-1, 0] },
    { samples: [s([0, Number.NaN])], want: [-6, 0] },
    { samples: [], want: [-6, 0] },
  ])('exponentRange $want', ({ samples, want }) => expect(exponentRange(samples)).toEqual(want));
  it.each([
    { rows: 3, max: 5, want: [0, 1, 2] },
    { rows: 41, max: 5, want: [0, 10, 20, 30, 40] },
    { rows: 41, max: 22, want: [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40] },
    { rows: 41, max: 15, want: [0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 40] },
  ])('labelledRows($rows, $max)', ({ rows, max, want }) => expect(labelledRows(rows, max)).toEqual(want));
});

describe('the read-out: where the pointer is', () => {
  // 41 rows: a 630 × 328 plot at (78, 8), rows 8 px tall; 10 samples: columns 63 px wide.
  const H = layoutFor(41, 'heatmap');
  it.each([
    { at: [78, 8], want: { row: 0, sample: 0 } },
    { at: [708, 336], want: { row: 40, sample: 9 } }, // the far corner is the last cell
    { at: [78 + 63 * 4.5, 8 + 8 * 20.5], want: { row: 20, sample: 4 } },
    { at: [140.9, 15.9], want: { row: 0, sample: 0 } },
    { at: [141, 16], want: { row: 1, sample: 1 } }, // a boundary starts the next cell
    { at: [77.9, 100], want: null },
    { at: [708.1, 100], want: null },
    { at: [300, 7.9], want: null },
    { at: [300, 336.1], want: null }, // the batch axis under the plot
  ])('heatmap at $at', ({ at, want }) => expect(heatmapPointAt(at[0]!, at[1]!, 41, 10, H)).toEqual(want));

  it('heatmap: the centre of a drawn cell maps back to it', () => {
    const p = { row: 33, sample: 7 };
    const b = pointBox(p, 'heatmap', Array.from({ length: 10 }, () => s([])), 41, [-6, 0], H);
    expect(b).toEqual({ x: 78 + 7 * 63, y: 8 + 33 * 8, w: 63, h: 8 });
    expect(heatmapPointAt(b.x + b.w / 2, b.y + b.h / 2, 41, 10, H)).toEqual(p);
  });

  // A 630 × 220 plot at (78, 8); range 10⁻⁴..10⁰: 10⁻⁴ at y 228, 10⁻² at 118, 1 at 8.
  const L = layoutFor(4, 'lines');
  const lines = Array.from({ length: 5 }, (_, i) => s([1e-4, 1e-2, i === 4 ? 10 : 1, NaN], i * 10));
  it.each([
    { at: [78, 228], want: { row: 0, sample: 0 } },
    { at: [708, 8], want: { row: 2, sample: 4 } }, // 10 is above the range: drawn at the top
    { at: [393, 120], want: { row: 1, sample: 2 } },
    { at: [456, 60], want: { row: 2, sample: 2 } }, // 2.4 samples in: the nearest; nearer 1 than 10⁻²
    { at: [456, 64], want: { row: 1, sample: 2 } },
    { at: [77, 118], want: null },
    { at: [393, 229], want: null },
  ])('lines at $at', ({ at, want }) => expect(linesPointAt(at[0]!, at[1]!, lines, 4, [-4, 0], L)).toEqual(want));

  it('lines: a sample with no line gives no point; a dot sits on its line', () => {
    expect(linesPointAt(393, 100, [s([NaN, 0])], 2, [-4, 0], L)).toBeNull();
    const dot = pointBox({ row: 1, sample: 2 }, 'lines', lines, 4, [-4, 0], L);
    // 10⁻² as a Float32 is a hair off: y to 5 places.
    expect([dot.x, Number(dot.y.toFixed(5)), dot.w, dot.h]).toEqual([393, 118, 0, 0]);
    expect(pointBox({ row: 3, sample: 2 }, 'lines', lines, 4, [-4, 0], L).y).toBe(8);
  });
});

describe('the read-out: keys and text', () => {
  it.each([
    { from: null, key: 'ArrowDown', want: { row: 0, sample: 9 } }, // starts at the first layer, latest sample
    { from: { row: 0, sample: 5 }, key: 'ArrowDown', want: { row: 1, sample: 5 } },
    { from: { row: 0, sample: 5 }, key: 'ArrowUp', want: { row: 0, sample: 5 } },
    { from: { row: 40, sample: 5 }, key: 'ArrowDown', want: { row: 40, sample: 5 } },
    { from: { row: 3, sample: 0 }, key: 'ArrowLeft', want: { row: 3, sample: 0 } },
    { from: { row: 3, sample: 9 }, key: 'ArrowRight', want: { row: 3, sample: 9 } },
    { from: { row: 3, sample: 4 }, key: 'ArrowRight', want: { row: 3, sample: 5 } },
    { from: { row: 3, sample: 4 }, key: 'Home', want: { row: 3, sample: 0 } },
    { from: { row: 3, sample: 4 }, key: 'End', want: { row: 3, sample: 9 } },
    { from: { row: 50, sample: 20 }, key: 'ArrowUp', want: { row: 39, sample: 9 } }, // a run with fewer rows now
    { from: { row: 3, sample: 4 }, key: 'a', want: null },
    { from: { row: 3, sample: 4 }, key: 'Tab', want: null },
  ])('$key from $from', ({ from, key, want }) => expect(movePoint(from, key, 41, 10)).toEqual(want));
  it('no rows: no point', () => expect(movePoint(null, 'ArrowDown', 0, 0)).toBeNull());

  it.each([
    [10, 1], [14, 1], [16, 2], [29, 2], [31, 3], [-5, 0], [100, 3],
  ])('sampleIndexOf(step %s) = %s', (step, want) => {
    expect(sampleIndexOf([0, 10, 20, 40].map((st) => s([1], st)), step)).toBe(want);
  });
  it('sampleIndexOf of nothing is -1', () => expect(sampleIndexOf([], 3)).toBe(-1));

  it('names the layer, the batch and epoch, and its numbers', () => {
    const x: LayerStatsSample = {
      step: 1199, epoch: 2, gradRms: Float32Array.of(1.2e-11, 0.05), weightRms: Float32Array.of(0.12, 1),
      actMean: new Float32Array(2), actStd: new Float32Array(2), actZero: Float32Array.of(0.344, 0),
    };
    expect(pointReadout('dense_2', 'Dense', x, 0)).toEqual(['dense_2', 'batch 1,200, epoch 3', 'gradient RMS 1.2×10⁻¹¹', 'weights RMS 0.12, 34% zero outputs']);
    expect(pointReadout('batch_normalization_1', 'BatchNormalization', x, 1).slice(2)).toEqual(['gradient RMS 0.05', 'scale (gamma) RMS 1, 0% zero outputs']);
  });
});
