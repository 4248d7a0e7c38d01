/**
 * What each layer of a stack costs per image: its output's size (values kept for the backward
 * pass) and its multiply-adds. Pure (no tfjs): the model analysis refuses a stack whose cost no
 * browser can carry, and the worker sends the same figures with a run, so a stage that runs
 * past its time limit can say which layer was the heavy one.
 */
import type { LayerSpec, LayerType } from './types';

const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * Multiply-adds one image costs in `layer`'s forward pass, given its input and output shapes
 * (batch axis omitted). Dense and Conv2D do nearly all of a network's arithmetic; the other
 * layers touch each value once or a few times, which is counted as nothing here.
 */
export function layerMultiplyAdds(layer: LayerSpec, inputShape: readonly number[], outputShape: readonly number[]): number {
  if (layer.type === 'dense') {
    // Keras applies Dense to the last axis: one product per position of the other axes.
    const inputs = inputShape[inputShape.length - 1] ?? 0;
    return product(outputShape.slice(0, -1)) * inputs * layer.units;
  }
  if (layer.type === 'conv2d') {
    const channels = inputShape[inputShape.length - 1] ?? 0;
    // Each output value is a kernel×kernel×channels window times the filter's weights.
    return product(outputShape) * layer.kernelSize * layer.kernelSize * channels;
  }
  return 0;
}

/** One layer's cost, as the model analysis and the stage messages name it. */
export interface LayerCost {
  /** "Layer 2 (Conv2D)". */
  title: string;
  type: LayerType;
  params: number;
  /** Values in the layer's output for one image. */
  activations: number;
  /** Forward multiply-adds for one image (training costs about 3 times that). */
  multiplyAdds: number;
  /** The output shape, batch axis omitted. */
  outputShape: number[];
}

/**
 * What a run's model costs, sent with the run so that a slow stage can be explained: the whole
 * model's parameters and multiply-adds, and the layers that stand out.
 */
export interface ModelFacts {
  params: number;
  /** Forward multiply-adds per image, all layers. */
  multiplyAdds: number;
  /** The layer with the most multiply-adds (null when no layer has any). */
  heaviest: LayerCost | null;
  /** The layer with the most parameters (null when none has any). */
  largest: LayerCost | null;
  /** The layer with the largest output per image. */
  widest: LayerCost | null;
}

/** The layer of `costs` with the most `key`, or null when none has any. */
function most(costs: readonly LayerCost[], key: 'params' | 'activations' | 'multiplyAdds'): LayerCost | null {
  let best: LayerCost | null = null;
  for (const c of costs) if (c[key] > 0 && (!best || c[key] > best[key])) best = c;
  return best;
}

/** The model's figures from its layers' costs. */
export function modelFacts(costs: readonly LayerCost[]): ModelFacts {
  return {
    params: costs.reduce((s, c) => s + c.params, 0),
    multiplyAdds: costs.reduce((s, c) => s + c.multiplyAdds, 0),
    heaviest: most(costs, 'multiplyAdds'),
    largest: most(costs, 'params'),
    widest: most(costs, 'activations'),
  };
}

