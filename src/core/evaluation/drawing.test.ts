import { describe, expect, it } from 'vitest';
import { areaResize, prepareDrawing, type RgbaImage } from './drawing';

/** An RGBA image from a grid of grey levels. */
function rgba(rows: number[][]): RgbaImage {
  const height = rows.length;
  const width = rows[0]!.length;
  const data = new Uint8ClampedArray(width * height * 4);
  rows.flat().forEach((v, i) => data.set([v, v, v, 255], 4 * i));
  return { width, height, data };
}

/** Rows, columns and sum of the non-zero pixels of a greyscale image. */
function extent(pixels: Uint8Array, w: number) {
  let [r0, r1, c0, c1, sum] = [Infinity, -1, Infinity, -1, 0];
  pixels.forEach((v, i) => {
    if (v === 0) return;
    const r = Math.floor(i / w);
    const c = i % w;
    [r0, r1, c0, c1] = [Math.min(r0, r), Math.max(r1, r), Math.min(c0, c), Math.max(c1, c)];
    sum += v;
  });
  return { rows: [r0, r1], cols: [c0, c1], sum };
}

describe('areaResize', () => {
  it('averages whole blocks', () => {
    const src = Float32Array.from([0, 4, 8, 8, 4, 0, 8, 8, 1, 1, 2, 2, 1, 1, 2, 6]);
    expect(Array.from(areaResize(src, 4, 4, 1, 2, 2))).toEqual([2, 8, 1, 3]);
  });
  it('weights partly covered pixels by the part covered', () => {
    // 3 → 2: each output covers 1.5 source pixels.
    const out = areaResize(Float32Array.from([0, 90, 180]), 3, 1, 1, 2, 1);
    expect(out[0]).toBeCloseTo((0 + 0.5 * 90) / 1.5, 4);
    expect(out[1]).toBeCloseTo((0.5 * 90 + 180) / 1.5, 4);
  });
  it('keeps channels apart', () => {
    const src = Float32Array.from([10, 0, 30, 0]); // 2 pixels × 2 channels
    expect(Array.from(areaResize(src, 2, 1, 2, 1, 1))).toEqual([20, 0]);
  });
});

// A hand-made 8×8 page: white paper with a dark 2×4 bar in the top-left corner.
const W = 255;
const bar = Array.from({ length: 8 }, (_, r) => Array.from({ length: 8 }, (_, c) => (r < 2 && c < 4 ? 0 : W)));

describe('prepareDrawing, MNIST fit (greyscale)', () => {
  it('inverts dark ink, fits it into 20×20 and centres its mass in 28×28', () => {
    const { pixels, empty } = prepareDrawing(rgba(bar), [28, 28, 1]);
    expect(empty).toBe(false);
    // The 4×2 bar scales by 5 to 20×10; its centre of mass (9.5, 4.5) moves to (13.5, 13.5).
    expect(extent(pixels, 28)).toEqual({ rows: [9, 18], cols: [4, 23], sum: 200 * 255 });
  });
  it('reads light ink on dark the same way', () => {
    const inverted = bar.map((row) => row.map((v) => 255 - v));
    expect(Array.from(prepareDrawing(rgba(inverted), [28, 28, 1]).pixels)).toEqual(Array.from(prepareDrawing(rgba(bar), [28, 28, 1]).pixels));
  });
  it('puts an off-centre blob at the centre of mass, not the box centre', () => {
    // A 3×3 L: mass sits towards the bottom-left; the fitted image is shifted to balance it.
    const l = [
      [W, W, W, W, W],
      [W, 0, W, W, W],
      [W, 0, W, W, W],
      [W, 0, 0, 0, W],
      [W, W, W, W, W],
    ];
    const { pixels } = prepareDrawing(rgba(l), [28, 28, 1]);
    let mass = 0, mx = 0, my = 0;
    pixels.forEach((v, i) => ((mass += v), (mx += v * (i % 28)), (my += v * Math.floor(i / 28))));
    expect(Math.abs(mx / mass - 13.5)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(my / mass - 13.5)).toBeLessThanOrEqual(0.5);
  });
  it('says so when the pad is empty', () => {
    const { pixels, empty } = prepareDrawing(rgba(Array.from({ length: 6 }, () => Array(6).fill(W))), [28, 28, 1]);
    expect(empty).toBe(true);
    expect(pixels.every((v) => v === 0)).toBe(true);
  });
});

describe('prepareDrawing, colour datasets', () => {
  it('resizes the whole image by area averaging, RGB', () => {
    // 2×2 image: left column red, right column blue → 1×1 purple.
    const data = new Uint8ClampedArray([255, 0, 0, 255, 0, 0, 255, 255, 255, 0, 0, 255, 0, 0, 255, 255]);
    const { pixels } = prepareDrawing({ width: 2, height: 2, data }, [1, 1, 3]);
    expect(Array.from(pixels)).toEqual([128, 0, 128]);
  });
  it('reads transparent pixels as white paper', () => {
    const { pixels } = prepareDrawing({ width: 1, height: 1, data: new Uint8ClampedArray([0, 0, 0, 0]) }, [1, 1, 3]);
    expect(Array.from(pixels)).toEqual([255, 255, 255]);
  });
});
