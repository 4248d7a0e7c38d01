import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { firstLayerPictures } from './firstLayer';
import { gridLayout, gridRgba, pictureRgba, pictureScale } from './pictures';

describe('firstLayerPictures', () => {
  it('a Dense layer reading the flattened image: one image per unit, HWC order', async () => {
    await tf.setBackend('cpu');
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 2, 1] }), tf.layers.dense({ units: 3 })] });
    // kernel[input, unit] = 10·input + unit
    model.layers[1]!.setWeights([tf.tensor2d([0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32], [4, 3]), tf.zeros([3])]);
    const p = await firstLayerPictures(model, [2, 2, 1], 1, 2);
    expect(p).toMatchObject({ kind: 'dense', units: 3, count: 2, shape: [2, 2, 1], epoch: 1 });
    expect(Array.from(p!.values)).toEqual([0, 10, 20, 30, 1, 11, 21, 31]);
    model.dispose();
  });
  it('the first convolution: one picture per filter', async () => {
    const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 2 }), tf.layers.flatten(), tf.layers.dense({ units: 2 })] });
    // kernel[kh, kw, 0, f] = 10·(2kh + kw) + f
    model.layers[0]!.setWeights([tf.tensor4d([0, 1, 10, 11, 20, 21, 30, 31], [2, 2, 1, 2]), tf.zeros([2])]);
    const p = await firstLayerPictures(model, [4, 4, 1], 2);
    expect(p).toMatchObject({ kind: 'conv2d', units: 2, count: 2, shape: [2, 2, 1] });
    expect(Array.from(p!.values)).toEqual([0, 10, 20, 30, 1, 11, 21, 31]);
    model.dispose();
  });
  it('none for a Dense layer that does not read the image', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2 })] });
    expect(await firstLayerPictures(model, [3, 3, 1], 1)).toBeNull();
    model.dispose();
  });
});

describe('pictureRgba', () => {
  it.each([
    { v: 0, rgb: [255, 255, 255] },
    { v: 2, rgb: [220, 38, 38] },
    { v: -2, rgb: [37, 99, 235] },
    { v: 1, rgb: [238, 146, 146] },
  ])('one channel, $v of ±2', ({ v, rgb }) => {
    const px = pictureRgba(Float32Array.from([v]), 0, [1, 1, 1], 2);
    expect(Array.from(px.slice(0, 3)).map((x) => Math.round(x))).toEqual(rgb.map((x) => Math.round(x)));
    expect(px[3]).toBe(255);
  });
  it('three channels around mid-grey, scale per picture', () => {
    const values = Float32Array.from([0, 0, 0, 1, -1, 0.5]);
    expect(pictureScale(values, 1, 3)).toBe(1);
    expect(Array.from(pictureRgba(values, 3, [1, 1, 3], 1))).toEqual([255, 1, 192, 255]);
  });
});

describe('gridRgba', () => {
  it.each([
    { count: 64, h: 28, w: 28, want: { cols: 8, rows: 8, width: 231, height: 231 } },
    { count: 32, h: 3, w: 3, want: { cols: 6, rows: 6, width: 23, height: 23 } },
    { count: 3, h: 2, w: 2, want: { cols: 2, rows: 2, width: 5, height: 5 } },
  ])('$count pictures of $h×$w', ({ count, h, w, want }) => expect(gridLayout(count, h, w)).toEqual(want));
  it('places each picture with a white gap', () => {
    // Two 1×1 pictures: +1 and -1, each at full strength.
    const g = gridRgba(Float32Array.of(1, -1), 2, [1, 1, 1]);
    expect([g.width, g.height]).toEqual([3, 1]);
    expect(Array.from(g.rgba)).toEqual([220, 38, 38, 255, 255, 255, 255, 255, 37, 99, 235, 255]);
  });
});

describe('withChange', () => {
  it('subtracts the run’s starting weights, after the first epoch only', async () => {
    const { withChange } = await import('./firstLayer');
    const start = { layer: 'dense_1', kind: 'dense' as const, units: 2, count: 2, shape: [1, 2, 1] as [number, number, number], values: Float32Array.of(1, 2, 3, 4), epoch: 0 };
    const later = { ...start, values: Float32Array.of(1.5, 2, 2, 4), epoch: 1 };
    expect(Array.from(withChange(later, start).change!)).toEqual([0.5, 0, -1, 0]);
    expect(withChange(start, start).change).toBeUndefined();
    expect(withChange(later, { ...start, layer: 'other' }).change).toBeUndefined();
    expect(withChange(later, null).change).toBeUndefined();
  });
});
