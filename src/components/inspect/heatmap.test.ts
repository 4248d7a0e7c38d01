import { describe, expect, it } from 'vitest';
import { colorAt, exponentRange, labelledRows } from './heatmap';
import type { LayerStatsSample } from '../../core/inspect/stats';

const s = (g: number[]): LayerStatsSample => ({
  step: 0, epoch: 0, gradRms: Float32Array.from(g), weightRms: new Float32Array(g.length),
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
