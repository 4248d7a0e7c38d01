/**
 * "Shapes": a synthetic classroom dataset drawn from a seed, no download. Each image is one
 * bright shape (circle, square, triangle, cross or star) on a dark background, at a random
 * position, size, rotation and brightness, or centred and upright only. Drawn on raw arrays
 * with 4×4 supersampling for anti-aliased edges, so it runs in Node and in the worker alike.
 */
import { createRng, deriveSeed, type Rng } from '../rng';
import type { Dataset, ImageSet, ImageShape } from './types';

export const SHAPE_CLASSES = ['circle', 'square', 'triangle', 'cross', 'star'] as const;

export interface ShapesOptions {
  /** Height and width in pixels. */
  size: number;
  trainCount: number;
  testCount: number;
  /** Every shape centred and upright (only size and brightness vary). */
  centred: boolean;
  /** The test images' placement when it differs from the training images' (the invariance lesson). */
  testCentred?: boolean;
  /** The dataset's own seed (not the run's): the same options always give the same images. */
  seed: number;
}

/** Inside test in shape coordinates: the shape spans about [-1, 1] on both axes, y down. */
type Inside = (x: number, y: number) => boolean;

function polygon(points: [number, number][]): Inside {
  return (x, y) => {
    let inside = false;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const [xi, yi] = points[i]!;
      const [xj, yj] = points[j]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
}
const ring = (n: number, radius: (k: number) => number, start = -Math.PI / 2): [number, number][] =>
  Array.from({ length: n }, (_, k) => {
    const t = start + (2 * Math.PI * k) / n;
    return [radius(k) * Math.cos(t), radius(k) * Math.sin(t)];
  });

const INSIDE: Record<(typeof SHAPE_CLASSES)[number], Inside> = {
  circle: (x, y) => x * x + y * y <= 0.9,
  square: (x, y) => Math.abs(x) <= 0.8 && Math.abs(y) <= 0.8,
  triangle: polygon(ring(3, () => 1.1, -Math.PI / 2)),
  cross: (x, y) => (Math.abs(x) <= 0.3 && Math.abs(y) <= 1) || (Math.abs(y) <= 0.3 && Math.abs(x) <= 1),
  star: polygon(ring(10, (k) => (k % 2 === 0 ? 1.15 : 0.5))),
};

const SUB = 4; // supersamples per pixel side

/** Draws one shape into `out` (size×size, one channel) at `offset`. */
function drawShape(out: Uint8Array, offset: number, size: number, cls: number, rng: Rng, centred: boolean) {
  const inside = INSIDE[SHAPE_CLASSES[cls]!];
  const r = size * (0.18 + 0.14 * rng.next()); // pixels from centre to the shape's edge
  const reach = r * 1.2;
  const lo = reach + 0.5;
  const hi = size - reach - 0.5;
  const cx = centred ? size / 2 : lo + (hi - lo) * rng.next();
  const cy = centred ? size / 2 : lo + (hi - lo) * rng.next();
  const theta = centred ? 0 : 2 * Math.PI * rng.next();
  const fg = 150 + Math.floor(106 * rng.next());
  const bg = Math.floor(40 * rng.next());
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  out.fill(bg, offset, offset + size * size);
  const x0 = Math.max(0, Math.floor(cx - reach - 1));
  const x1 = Math.min(size - 1, Math.ceil(cx + reach + 1));
  const y0 = Math.max(0, Math.floor(cy - reach - 1));
  const y1 = Math.min(size - 1, Math.ceil(cy + reach + 1));
  const test = (x: number, y: number) => {
    const dx = x - cx;
    const dy = y - cy;
    // Into shape coordinates: undo the rotation, then the scale.
    return inside((cos * dx + sin * dy) / r, (-sin * dx + cos * dy) / r);
  };
  // Pixel corners first: a pixel whose corners and centre agree is fully in or out; only the
  // edge pixels get the 4×4 supersampling.
  const gw = x1 - x0 + 2;
  const corner = new Uint8Array(gw * (y1 - y0 + 2));
  for (let gy = 0; gy < y1 - y0 + 2; gy++) for (let gx = 0; gx < gw; gx++) corner[gy * gw + gx] = test(x0 + gx, y0 + gy) ? 1 : 0;
  for (let py = y0; py <= y1; py++) {
    for (let px = x0; px <= x1; px++) {
      const g = (py - y0) * gw + (px - x0);
      const k = corner[g]! + corner[g + 1]! + corner[g + gw]! + corner[g + gw + 1]! + (test(px + 0.5, py + 0.5) ? 1 : 0);
      let cover = k / 5;
      if (k !== 0 && k !== 5) {
        let hits = 0;
        for (let sy = 0; sy < SUB; sy++) {
          for (let sx = 0; sx < SUB; sx++) if (test(px + (sx + 0.5) / SUB, py + (sy + 0.5) / SUB)) hits++;
        }
        cover = hits / (SUB * SUB);
      }
      out[offset + py * size + px] = Math.round(bg + cover * (fg - bg));
    }
  }
}

function generateSet(o: ShapesOptions, count: number, label: string, centred: boolean): ImageSet {
  const rng = createRng(deriveSeed(o.seed, label));
  const px = o.size * o.size;
  const images = new Uint8Array(count * px);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const cls = i % SHAPE_CLASSES.length;
    labels[i] = cls;
    drawShape(images, i * px, o.size, cls, rng, centred);
  }
  return { images, labels, count };
}

/** Generates the dataset (about a second for 7,000 images of 28×28 on a laptop). */
export function generateShapes(id: string, name: string, o: ShapesOptions): Dataset {
  const shape: ImageShape = [o.size, o.size, 1];
  return {
    id,
    name,
    shape,
    classNames: [...SHAPE_CLASSES],
    train: generateSet(o, o.trainCount, 'train', o.centred),
    test: generateSet(o, o.testCount, 'test', o.testCentred ?? o.centred),
  };
}

/** What the app knows about a generated dataset before generating it. */
export interface SyntheticDatasetInfo {
  id: string;
  name: string;
  shape: ImageShape;
  classNames: string[];
  options: ShapesOptions;
}

const shapesInfo = (id: string, name: string, centred: boolean, testCentred = centred): SyntheticDatasetInfo => ({
  id,
  name,
  shape: [28, 28, 1],
  classNames: [...SHAPE_CLASSES],
  options: { size: 28, trainCount: 6000, testCount: 1000, centred, testCentred, seed: 2024 },
});

/**
 * Generated datasets by id: random placement, centred and upright (for the invariance
 * experiment), or centred for training and placed anywhere for the test (the invariance
 * lesson: validation, drawn from the training images, says all is well; the test does not).
 */
export const SYNTHETIC_DATASETS: Readonly<Record<string, SyntheticDatasetInfo>> = {
  shapes: shapesInfo('shapes', 'Shapes (random position, size, rotation)', false),
  'shapes-centred': shapesInfo('shapes-centred', 'Shapes (centred, upright)', true),
  'shapes-moved-test': shapesInfo('shapes-moved-test', 'Shapes (train centred, test moved and turned)', true, false),
};

export function isSyntheticDatasetId(id: string): boolean {
  return Object.prototype.hasOwnProperty.call(SYNTHETIC_DATASETS, id);
}

/** Generates the synthetic dataset `id` (see SYNTHETIC_DATASETS). */
export function loadSyntheticDataset(id: string): Dataset {
  const info = SYNTHETIC_DATASETS[id];
  if (!info) throw new Error(`There is no generated dataset called "${id}".`);
  return generateShapes(info.id, info.name, info.options);
}
