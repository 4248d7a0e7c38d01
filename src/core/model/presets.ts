/**
 * Ready-made stacks from the chapter, so a learner can start from a known-good network and
 * compare their own against it. Pure data: the UI and the worker both read it.
 */

import type { DenseSpec, LayerSpec, ModelSpec } from './types';

/** A named starting point for the layer editor. */
export interface ModelPreset {
  id: string;
  name: string;
  description: string;
  spec: ModelSpec;
}

const dense = (units: number, activation: DenseSpec['activation'] = 'relu'): LayerSpec => ({
  type: 'dense',
  units,
  activation,
});
const conv = (filters: number): LayerSpec => ({
  type: 'conv2d',
  filters,
  kernelSize: 3,
  strides: 1,
  padding: 'valid',
  activation: 'relu',
});
const pool: LayerSpec = { type: 'maxPooling2d', poolSize: 2, strides: 2, padding: 'valid' };
const flatten: LayerSpec = { type: 'flatten' };

/** The chapter's networks; every one ends in Dense 10 softmax (see `presetSpec` for other class counts). */
export const MODEL_PRESETS: readonly ModelPreset[] = [
  {
    id: 'mlp',
    name: 'Dense 512-512 MLP (chapter)',
    description: 'The chapter\'s baseline: two wide fully connected hidden layers on the flattened image.',
    spec: { layers: [flatten, dense(512), dense(512), dense(10, 'softmax')] },
  },
  {
    id: 'small-cnn',
    name: 'Small CNN',
    description: 'One convolution and one pooling layer: far fewer parameters than the MLP, and it sees local patterns.',
    spec: { layers: [conv(32), pool, flatten, dense(10, 'softmax')] },
  },
  {
    id: 'cnn',
    name: 'Conv32-Conv64-MaxPool-Dense128 CNN',
    description: 'Two stacked convolutions, pooling and a Dense 128 head: the classic Keras MNIST convnet.',
    spec: { layers: [conv(32), conv(64), pool, flatten, dense(128), dense(10, 'softmax')] },
  },
  {
    id: 'deep-mlp',
    name: '40 hidden layers of Dense 64',
    description: 'A very deep, narrow MLP: shows why depth alone makes training hard without good initialization or normalization.',
    spec: { layers: [flatten, ...Array.from({ length: 40 }, () => dense(64)), dense(10, 'softmax')] },
  },
];

/**
 * A preset's stack as an independent copy (editing it must not change the preset), with the
 * output layer sized for the dataset's classes. Throws for an unknown id.
 */
export function presetSpec(id: string, numClasses: number): ModelSpec {
  const preset = MODEL_PRESETS.find((p) => p.id === id);
  if (!preset) throw new Error(`Unknown model preset "${id}".`);
  const spec = structuredClone(preset.spec) as ModelSpec;
  for (let i = spec.layers.length - 1; i >= 0; i--) {
    const layer = spec.layers[i];
    if (layer.type === 'dense') {
      layer.units = numClasses;
      break;
    }
  }
  return spec;
}
