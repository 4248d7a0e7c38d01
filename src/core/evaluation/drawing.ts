/**
 * Turns a learner's drawing or photo (RGBA pixels of any size) into one image the way the
 * dataset's own images were made, so a model trained on them can read it:
 *
 * - greyscale datasets (MNIST and the like): ink is found whatever its colour (dark on light
 *   is inverted to light on dark, as MNIST stores digits), cropped to its bounding box, fitted
 *   with area averaging into a 20×20 box (for 28×28; the same share for other sizes) keeping
 *   its aspect ratio, and placed so that its centre of mass is the image's centre, as MNIST
 *   was made;
 * - colour datasets: the whole image resized with area averaging to the dataset's size.
 *
 * Pure functions on typed arrays (no DOM): tested in Node, run in the worker.
 */
import type { ImageShape } from '../data/types';

/** How a drawing is fitted: 'centre' crops, fits and centres the ink (MNIST); 'stretch' resizes the whole image. */
export type FitMode = 'centre' | 'stretch';

export interface RgbaImage {
  width: number;
  height: number;
  /** width × height × 4 bytes, row-major (as ImageData holds them). */
  data: Uint8Array | Uint8ClampedArray;
}

export interface PreparedDrawing {
  /** The image in the dataset's layout (HWC uint8), ready for the dataset's preprocessing. */
  pixels: Uint8Array;
  /** No ink found (an empty pad): the model would only see a blank image. */
  empty: boolean;
}

/** Share of the image side that MNIST fits a digit into (20 of 28 pixels). */
export const MNIST_BOX = 20 / 28;

/**
 * Resizes a float image (HWC, `channels` per pixel) to `dw` × `dh` by area averaging: each
 * output pixel is the mean of the source area it covers, partly covered pixels weighted by
 * the part. Separable: rows first, then columns.
 */
export function areaResize(src: Float32Array, sw: number, sh: number, channels: number, dw: number, dh: number): Float32Array {
  const wide = resizeAxis(src, sw, sh, channels, dw, 'x');
  return resizeAxis(wide, dw, sh, channels, dh, 'y');
}

/** Area-averages one axis of an image of `w` × `h`. */
function resizeAxis(src: Float32Array, w: number, h: number, ch: number, size: number, axis: 'x' | 'y'): Float32Array {
  const from = axis === 'x' ? w : h;
  const ow = axis === 'x' ? size : w;
  const oh = axis === 'x' ? h : size;
  const out = new Float32Array(ow * oh * ch);
  const scale = from / size;
  for (let o = 0; o < size; o++) {
    const start = o * scale;
    const end = (o + 1) * scale;
    const first = Math.floor(start);
    const last = Math.min(from - 1, Math.ceil(end) - 1);
    for (let s = first; s <= last; s++) {
      const weight = (Math.min(end, s + 1) - Math.max(start, s)) / scale;
      if (weight <= 0) continue;
      const other = axis === 'x' ? h : w;
      for (let k = 0; k < other; k++) {
        const si = axis === 'x' ? (k * w + s) * ch : (s * w + k) * ch;
        const oi = axis === 'x' ? (k * ow + o) * ch : (o * ow + k) * ch;
        for (let c = 0; c < ch; c++) out[oi + c] += weight * src[si + c]!;
      }
    }
  }
  return out;
}

/** Grey level 0..255 per pixel, transparent parts read as white paper. */
function toGrey(img: RgbaImage): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = img.data[4 * i + 3]! / 255;
    const lum = 0.299 * img.data[4 * i]! + 0.587 * img.data[4 * i + 1]! + 0.114 * img.data[4 * i + 2]!;
    out[i] = lum * a + 255 * (1 - a);
  }
  return out;
}

/** RGB 0..255 per pixel, transparent parts read as white. */
function toRgb(img: RgbaImage): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const a = img.data[4 * i + 3]! / 255;
    for (let c = 0; c < 3; c++) out[3 * i + c] = img.data[4 * i + c]! * a + 255 * (1 - a);
  }
  return out;
}

/** Mean of the outermost pixels: the background's level. */
function borderMean(grey: Float32Array, w: number, h: number): number {
  let sum = 0;
  let n = 0;
  for (let x = 0; x < w; x++) {
    sum += grey[x]! + grey[(h - 1) * w + x]!;
    n += 2;
  }
  for (let y = 1; y < h - 1; y++) {
    sum += grey[y * w]! + grey[y * w + w - 1]!;
    n += 2;
  }
  return n > 0 ? sum / n : 0;
}

/**
 * Ink strength 0..255 per pixel, light on dark whatever the source: a light background is
 * inverted, and the background's own level is taken off so paper reads as 0.
 */
export function inkOf(img: RgbaImage): Float32Array {
  const grey = toGrey(img);
  const bg = borderMean(grey, img.width, img.height);
  const light = bg > 127.5;
  const paper = light ? 255 - bg : bg;
  const range = Math.max(1, 255 - paper);
  for (let i = 0; i < grey.length; i++) {
    const ink = light ? 255 - grey[i]! : grey[i]!;
    grey[i] = Math.min(255, Math.max(0, ((ink - paper) * 255) / range));
  }
  return grey;
}

/** Ink weaker than this (of 255) does not count for the bounding box: noise and paper grain. */
const INK_THRESHOLD = 24;

/**
 * MNIST's way: crop the ink to its bounding box, fit it into the box (`MNIST_BOX` of the side)
 * keeping its aspect ratio, and place it so its centre of mass is the image's centre.
 */
export function centreInk(ink: Float32Array, w: number, h: number, outH: number, outW: number): PreparedDrawing {
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (ink[y * w + x]! < INK_THRESHOLD) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  const pixels = new Uint8Array(outH * outW);
  if (x1 < 0) return { pixels, empty: true };
  const cw = x1 - x0 + 1;
  const ch = y1 - y0 + 1;
  const crop = new Float32Array(cw * ch);
  for (let y = 0; y < ch; y++) for (let x = 0; x < cw; x++) crop[y * cw + x] = ink[(y0 + y) * w + x0 + x]!;
  const box = Math.max(1, Math.round(Math.min(outH, outW) * MNIST_BOX));
  const scale = box / Math.max(cw, ch);
  const dw = Math.max(1, Math.round(cw * scale));
  const dh = Math.max(1, Math.round(ch * scale));
  const fitted = areaResize(crop, cw, ch, 1, dw, dh);
  // Centre of mass of the fitted ink, in pixel-centre coordinates.
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < dh; y++) {
    for (let x = 0; x < dw; x++) {
      const v = fitted[y * dw + x]!;
      mass += v;
      mx += v * x;
      my += v * y;
    }
  }
  const comX = mass > 0 ? mx / mass : (dw - 1) / 2;
  const comY = mass > 0 ? my / mass : (dh - 1) / 2;
  const offX = Math.round((outW - 1) / 2 - comX);
  const offY = Math.round((outH - 1) / 2 - comY);
  for (let y = 0; y < dh; y++) {
    const ty = y + offY;
    if (ty < 0 || ty >= outH) continue;
    for (let x = 0; x < dw; x++) {
      const tx = x + offX;
      if (tx < 0 || tx >= outW) continue;
      pixels[ty * outW + tx] = Math.round(Math.min(255, fitted[y * dw + x]!));
    }
  }
  return { pixels, empty: false };
}

/** The fit a dataset's own images suggest: greyscale ones are centred as MNIST, colour ones stretched. */
export function defaultFit(shape: ImageShape): FitMode {
  return shape[2] === 1 ? 'centre' : 'stretch';
}

/**
 * A drawing or photo as one image of `shape` (HWC uint8), made the way the dataset's images
 * were (see the file comment). `fit` defaults to `defaultFit(shape)`.
 */
export function prepareDrawing(img: RgbaImage, shape: ImageShape, fit: FitMode = defaultFit(shape)): PreparedDrawing {
  const [h, w, c] = shape;
  if (img.width < 1 || img.height < 1 || img.data.length < img.width * img.height * 4) {
    throw new RangeError(`The image has no pixels to read (${img.width} × ${img.height}).`);
  }
  if (c !== 1 && c !== 3) throw new RangeError(`Images with ${c} channels are not supported: 1 (greyscale) or 3 (colour).`);
  if (c === 1 && fit === 'centre') return centreInk(inkOf(img), img.width, img.height, h, w);
  const src = c === 1 ? inkOf(img) : toRgb(img);
  const resized = areaResize(src, img.width, img.height, c, w, h);
  const pixels = new Uint8Array(resized.length);
  let max = 0;
  for (let i = 0; i < resized.length; i++) {
    pixels[i] = Math.round(Math.min(255, Math.max(0, resized[i]!)));
    if (c === 1) max = Math.max(max, pixels[i]!);
  }
  // A colour image is never "empty": a blank pad is a white picture, which a model can still read.
  return { pixels, empty: c === 1 && max < INK_THRESHOLD };
}
