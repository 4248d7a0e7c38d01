/**
 * "What the first layer learned": the filters of the first convolution, or the weights of a
 * first Dense layer that reads the flattened image, one small picture per unit (up to 64),
 * as one compact Float32Array the worker sends at each epoch's end.
 */
import * as tf from '@tensorflow/tfjs';

/** Pictures of at most this many units are sent. */
export const MAX_PICTURES = 64;

export interface FirstLayerPictures {
  /** The layer's name ("conv2d_1", "dense_2"). */
  layer: string;
  kind: 'conv2d' | 'dense';
  /** Units (filters) the layer has; `count` of them are pictured. */
  units: number;
  count: number;
  /** Height, width, channels of one picture (a filter's kernel, or the input image). */
  shape: [number, number, number];
  /** `count` pictures, HWC each, one after another: raw weights, not scaled. */
  values: Float32Array;
  /** 1-based epoch the weights are from. */
  epoch: number;
  /**
   * The same pictures minus the run's starting weights (what training changed), after the
   * first epoch: a Dense layer's pixels that never vary (MNIST's empty border) stay at their
   * random start, which hides the learned strokes in the raw weights.
   */
  change?: Float32Array;
}

/** `p` with `change` = its values minus `start`'s, when both picture the same units. */
export function withChange(p: FirstLayerPictures, start: FirstLayerPictures | null): FirstLayerPictures {
  if (!start || start.layer !== p.layer || start.values.length !== p.values.length || p.epoch === 0) return p;
  const change = new Float32Array(p.values.length);
  for (let i = 0; i < change.length; i++) change[i] = p.values[i]! - start.values[i]!;
  return { ...p, change };
}

/**
 * The first weight layer's pictures, or null when it is a Dense layer that does not read the
 * image directly (a Dense after a convolution has no image-shaped weights) or there is none.
 * `inputShape`: [h, w, c] of the model's input.
 */
export async function firstLayerPictures(
  model: tf.LayersModel,
  inputShape: readonly number[],
  epoch: number,
  max = MAX_PICTURES,
): Promise<FirstLayerPictures | null> {
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls !== 'Dense' && cls !== 'Conv2D') continue;
    const kernel = layer.getWeights()[0];
    if (!kernel) return null;
    if (cls === 'Conv2D') {
      const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
      const count = Math.min(max, cout);
      // [kh, kw, cin, cout] → [cout, kh, kw, cin]: one filter after another.
      const t = tf.tidy(() => tf.transpose(tf.slice(kernel, [0, 0, 0, 0], [kh, kw, cin, count]), [3, 0, 1, 2]));
      const values = (await t.data()) as Float32Array;
      t.dispose();
      return { layer: layer.name, kind: 'conv2d', units: cout, count, shape: [kh, kw, cin], values, epoch };
    }
    const [inputs, units] = kernel.shape as [number, number];
    const [h, w, c] = inputShape as [number, number, number];
    if (inputs !== h * w * c) return null;
    const count = Math.min(max, units);
    // [inputs, units] → [units, inputs]: Flatten keeps the HWC order, so each row is an image.
    const t = tf.tidy(() => tf.transpose(tf.slice(kernel, [0, 0], [inputs, count])));
    const values = (await t.data()) as Float32Array;
    t.dispose();
    return { layer: layer.name, kind: 'dense', units, count, shape: [h, w, c], values, epoch };
  }
  return null;
}
