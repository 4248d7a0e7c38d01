import { describe, expect, it } from 'vitest';
import { generateShapes, loadSyntheticDataset, SHAPE_CLASSES } from './shapes';
import { loadBuiltinDataset } from './builtin';

const opts = { size: 28, trainCount: 200, testCount: 50, seed: 1 };

/** Centre of brightness above the background of image i. */
function centroid(images: Uint8Array, i: number, size: number) {
  let sx = 0, sy = 0, s = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = images[i * size * size + y * size + x]!;
      if (v > 100) (sx += x), (sy += y), (s += 1);
    }
  }
  return { x: sx / s, y: sy / s, area: s };
}

describe('Shapes', () => {
  it('is the same for the same seed, with balanced labels and separate train and test images', () => {
    const a = generateShapes('s', 'S', { ...opts, centred: false });
    const b = generateShapes('s', 'S', { ...opts, centred: false });
    expect(a.train.images).toEqual(b.train.images);
    expect(a.shape).toEqual([28, 28, 1]);
    expect(a.train.images.length).toBe(200 * 784);
    expect(a.classNames).toEqual([...SHAPE_CLASSES]);
    const counts = new Array(SHAPE_CLASSES.length).fill(0);
    for (const l of a.train.labels) counts[l]++;
    expect(counts).toEqual([40, 40, 40, 40, 40]);
    expect(a.test.images.subarray(0, 784)).not.toEqual(a.train.images.subarray(0, 784));
    const c = generateShapes('s', 'S', { ...opts, seed: 2, centred: false });
    expect(c.train.images).not.toEqual(a.train.images);
  });

  it('draws anti-aliased shapes fully inside the frame', () => {
    const d = generateShapes('s', 'S', { ...opts, centred: false });
    const px = d.train.images;
    const values = new Set(px);
    expect(values.size).toBeGreaterThan(100); // edges blend between background and shape
    for (let i = 0; i < d.train.count; i++) {
      const { area } = centroid(px, i, 28);
      expect(area).toBeGreaterThan(10);
      // The border rows and columns hold no shape pixels.
      for (let k = 0; k < 28; k++) {
        for (const p of [k, 27 * 28 + k, k * 28, k * 28 + 27]) expect(px[i * 784 + p]).toBeLessThan(100);
      }
    }
  });

  it('centred mode puts every shape in the middle; random mode spreads them out', () => {
    const centred = generateShapes('s', 'S', { ...opts, centred: true });
    const random = generateShapes('s', 'S', { ...opts, centred: false });
    const spread = (d: typeof centred) => {
      const cs = Array.from({ length: d.train.count }, (_, i) => centroid(d.train.images, i, 28));
      return Math.max(...cs.map((c) => Math.hypot(c.x - 13.5, c.y - 13.5)));
    };
    expect(spread(centred)).toBeLessThan(1.5);
    expect(spread(random)).toBeGreaterThan(4);
  });

  it('loads through the built-in dataset registry without any files', async () => {
    const d = await loadBuiltinDataset('shapes-centred', () => Promise.reject(new Error('no files needed')));
    expect(d.train.count).toBe(6000);
    expect(d.test.count).toBe(1000);
    expect(d.id).toBe('shapes-centred');
    expect(loadSyntheticDataset('shapes').name).toMatch(/Shapes/);
  });
});
