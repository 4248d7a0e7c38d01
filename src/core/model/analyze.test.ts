import { describe, expect, it } from 'vitest';
import { analyzeModel, MAX_LAYER_ACTIVATIONS, MAX_LAYER_MULTIPLY_ADDS, MAX_MODEL_MULTIPLY_ADDS, MAX_PARAMS, paramBytes, PARAMS_BYTES } from './analyze';
import { presetSpec } from './presets';
import type { LayerSpec, ModelSpec } from './types';

const MNIST = [28, 28, 1];
const dense = (units: number, activation: 'relu' | 'softmax' | 'linear' = 'relu'): LayerSpec => ({
  type: 'dense',
  units,
  activation,
});
const conv = (filters: number, kernelSize = 3): LayerSpec => ({
  type: 'conv2d',
  filters,
  kernelSize,
  strides: 1,
  padding: 'valid',
  activation: 'relu',
});
const pool: LayerSpec = { type: 'maxPooling2d', poolSize: 2, strides: 2, padding: 'valid' };
const flatten: LayerSpec = { type: 'flatten' };

describe('analyzeModel on the presets (Keras parameter counts)', () => {
  const expected: Array<[string, number, Array<number[]>]> = [
    ['mlp', 669_706, [[784], [512], [512], [10]]],
    ['small-cnn', 54_410, [[26, 26, 32], [13, 13, 32], [5408], [10]]],
    ['cnn', 1_199_882, [[26, 26, 32], [24, 24, 64], [12, 12, 64], [9216], [128], [10]]],
    ['deep-mlp', 213_130, [[784], ...Array.from({ length: 40 }, () => [64]), [10]]],
  ];
  it.each(expected)('%s', (id, params, shapes) => {
    const analysis = analyzeModel(presetSpec(id, 10), MNIST, 10);
    expect(analysis.errors).toEqual([]);
    expect(analysis.ok).toBe(true);
    expect(analysis.totalParams).toBe(params);
    expect(analysis.trainableParams).toBe(params);
    expect(analysis.nonTrainableParams).toBe(0);
    expect(analysis.rows.map((r) => r.outputShape)).toEqual(shapes);
    expect(analysis.rows.reduce((s, r) => s + r.params, 0)).toBe(params);
    expect(analysis.rows.every((r, i) => r.index === i && r.error === undefined)).toBe(true);
  });

  it('labels rows with the layer type', () => {
    const analysis = analyzeModel(presetSpec('small-cnn', 10), MNIST, 10);
    expect(analysis.rows.map((r) => [r.type, r.label])).toEqual([
      ['conv2d', 'Conv2D'],
      ['maxPooling2d', 'MaxPooling2D'],
      ['flatten', 'Flatten'],
      ['dense', 'Dense'],
    ]);
    expect(analysis.rows.map((r) => r.params)).toEqual([320, 0, 0, 54_090]);
  });
});

describe('analyzeModel errors', () => {
  const invalid: Array<[string, ModelSpec, string[]]> = [
    [
      'Conv2D after Flatten',
      { layers: [flatten, conv(32), flatten, dense(10, 'softmax')] },
      [
        'Layer 2 (Conv2D): Conv2D needs an image (height × width × channels) as input, but the layer before it outputs a flat vector of 784 numbers. Move Conv2D above the Flatten layer.',
      ],
    ],
    ['no layers', { layers: [] }, ['Add at least one layer: ', 'Dense layer with 10 units and softmax']],
    [
      '12 output units for 10 classes',
      { layers: [flatten, dense(12, 'softmax')] },
      ['The last layer outputs 12 numbers but the dataset has 10 classes: set its units to 10.'],
    ],
    [
      'wrong units before a trailing Dropout',
      { layers: [flatten, dense(12, 'softmax'), { type: 'dropout', rate: 0.2 }] },
      ['set the units of the last Dense layer (layer 2) to 10'],
    ],
    [
      'no softmax',
      { layers: [flatten, dense(64), dense(10, 'linear')] },
      ['Layer 3 (Dense) ends the network with activation "linear"', 'cross-entropy', 'probabilities', '"softmax"'],
    ],
    [
      'ending on BatchNormalization',
      { layers: [flatten, dense(10, 'softmax'), { type: 'batchNormalization', momentum: 0.99, epsilon: 0.001 }] },
      ['Layer 3 (BatchNormalization) ends the network', 'cross-entropy', 'softmax'],
    ],
    [
      'no Flatten before the Dense output on an image',
      { layers: [conv(32), dense(10, 'softmax')] },
      [
        'The network ends with shape 26×26×10, but a classifier must output one vector of 10 class scores: add a Flatten layer before the last Dense layer.',
      ],
    ],
    [
      'ending on a convolution',
      { layers: [conv(10, 11)] },
      ['The network ends with shape 18×18×10', 'Flatten layer followed by a Dense layer with 10 units'],
    ],
    [
      'ending on Flatten',
      { layers: [conv(8), flatten] },
      ['The network outputs 5,408 numbers', 'add a Dense layer with 10 units and softmax'],
    ],
    [
      'kernel too big',
      { layers: [conv(8), pool, conv(8), pool, conv(8, 7), flatten, dense(10, 'softmax')] },
      ['Layer 5 (Conv2D):', '7×7 kernel is bigger than its 5×5 input', 'padding to "same"'],
    ],
    [
      'dropout rate 1.5',
      { layers: [flatten, { type: 'dropout', rate: 1.5 }, dense(10, 'softmax')] },
      ['Layer 2 (Dropout):', 'rate must be from 0 to 0.95'],
    ],
    [
      'units 0',
      { layers: [flatten, dense(0), dense(10, 'softmax')] },
      ['Layer 2 (Dense): Dense needs units to be a whole number from 1 to 4096'],
    ],
    [
      'more than 100 million parameters',
      { layers: [flatten, ...Array.from({ length: 7 }, () => dense(4096)), dense(10, 'softmax')] },
      ['103,944,202 parameters', 'browser tab', '416 MB as float32'],
    ],
  ];
  it.each(invalid)('%s', (_name, spec, fragments) => {
    const analysis = analyzeModel(spec, MNIST, 10);
    expect(analysis.ok).toBe(false);
    const all = analysis.errors.join('\n');
    for (const fragment of fragments) expect(all).toContain(fragment);
  });

  it('kernel too big: says which sizes would fit', () => {
    const analysis = analyzeModel({ layers: [conv(8), pool, pool, pool, conv(8, 5), flatten, dense(10, 'softmax')] }, MNIST, 10);
    expect(analysis.errors).toHaveLength(1);
    expect(analysis.errors[0]).toContain('Layer 5 (Conv2D): Conv2D\'s 5×5 kernel is bigger than its 3×3 input');
    expect(analysis.errors[0]).toContain('Set padding to "same" or use a kernel size of at most 3.');
  });

  it('stops inferring after the first broken layer, without follow-on errors', () => {
    const analysis = analyzeModel({ layers: [flatten, conv(32), conv(64), pool, dense(10, 'softmax')] }, MNIST, 10);
    expect(analysis.errors).toHaveLength(1);
    expect(analysis.rows.map((r) => r.outputShape)).toEqual([[784], null, null, null, null]);
    expect(analysis.rows[1].error).toContain('Move Conv2D above the Flatten layer');
    expect(analysis.rows.slice(2).every((r) => r.error === undefined && r.params === 0)).toBe(true);
  });

  it('still reports a missing softmax next to a broken layer (it does not depend on shapes)', () => {
    const analysis = analyzeModel({ layers: [flatten, { type: 'dropout', rate: 2 }, dense(10, 'relu')] }, MNIST, 10);
    expect(analysis.errors).toHaveLength(2);
    expect(analysis.errors[0]).toMatch(/^Layer 2 \(Dropout\)/);
    expect(analysis.errors[1]).toContain('Layer 3 (Dense) ends the network with activation "relu"');
  });

  it('accepts a trailing Activation softmax and a trailing Dropout', () => {
    const viaActivation = analyzeModel(
      { layers: [flatten, dense(10, 'linear'), { type: 'activation', activation: 'softmax' }, { type: 'dropout', rate: 0.1 }] },
      MNIST,
      10,
    );
    expect(viaActivation.errors).toEqual([]);
  });

  it('words a Conv2D on a flat dataset without mentioning Flatten', () => {
    const analysis = analyzeModel({ layers: [conv(8), flatten, dense(3, 'softmax')] }, [20], 3);
    expect(analysis.errors[0]).toContain('the dataset provides a flat vector of 20 numbers');
    expect(analysis.errors[0]).not.toContain('Move Conv2D above');
  });

  it('counts BatchNormalization as 4C parameters, 2C trainable', () => {
    const bn: LayerSpec = { type: 'batchNormalization', momentum: 0.99, epsilon: 0.001 };
    const analysis = analyzeModel({ layers: [conv(32), bn, flatten, dense(64), bn, dense(10, 'softmax')] }, MNIST, 10);
    expect(analysis.errors).toEqual([]);
    expect(analysis.rows[1].params).toBe(128);
    expect(analysis.rows[1].trainableParams).toBe(64);
    expect(analysis.rows[4].params).toBe(256);
    expect(analysis.rows[4].trainableParams).toBe(128);
    const denseParams = 320 + (26 * 26 * 32 * 64 + 64) + (64 * 10 + 10);
    expect(analysis.totalParams).toBe(denseParams + 128 + 256);
    expect(analysis.trainableParams).toBe(denseParams + 64 + 128);
    expect(analysis.nonTrainableParams).toBe(64 + 128);
  });

  it('accepts exactly the parameter limit but not more', () => {
    expect(MAX_PARAMS).toBe(100_000_000);
    expect(PARAMS_BYTES).toBe(4);
    expect(paramBytes(1_000)).toBe(4_000);
    const head: ModelSpec = { layers: [flatten, dense(10, 'softmax')] };
    // 10 * inputs + 10 parameters.
    const atLimit = analyzeModel(head, [9_999_999], 10);
    expect(atLimit.totalParams).toBe(MAX_PARAMS);
    expect(atLimit.ok).toBe(true);
    const over = analyzeModel(head, [10_000_000], 10);
    expect(over.ok).toBe(false);
    expect(over.errors[0]).toContain('100,000,010 parameters');
  });

  it('rejects an invalid dataset description', () => {
    expect(analyzeModel(presetSpec('mlp', 10), [28, 0, 1], 10).errors[0]).toContain("dataset's input shape");
    expect(analyzeModel(presetSpec('mlp', 1), MNIST, 1).errors[0]).toContain('at least 2 classes');
  });
});

describe('analyzeModel cost limits (issue 14: a model no browser can train is refused, naming the layer)', () => {
  const sameConv = (filters: number, kernelSize = 11): LayerSpec => ({
    type: 'conv2d',
    filters,
    kernelSize,
    strides: 1,
    padding: 'same',
    activation: 'relu',
  });
  const head = [flatten, dense(10, 'softmax')];

  it('has limits a comment explains, in the order of what was measured', () => {
    expect(MAX_LAYER_MULTIPLY_ADDS).toBe(5e9);
    expect(MAX_MODEL_MULTIPLY_ADDS).toBe(1e10);
    expect(MAX_LAYER_ACTIVATIONS).toBe(4_000_000);
  });

  it('refuses two 512-filter 11×11 convolutions (it hung "Choosing a backend" for 72 s), naming the second', () => {
    const a = analyzeModel({ layers: [sameConv(512), sameConv(512), ...head] }, MNIST, 10);
    expect(a.ok).toBe(false);
    // 28×28 positions × 512 filters × an 11×11×512 window.
    expect(a.costs[1]!.multiplyAdds).toBe(784 * 512 * 121 * 512);
    expect(a.errors).toEqual([
      'Layer 2 (Conv2D) needs 25 billion multiply-adds per image, more than the 5.0 billion a browser can train: ' +
        "one training step of 32 images would cost 4.8 trillion arithmetic operations, about 4 minutes on a fast laptop's CPU. " +
        'Use fewer filters or a smaller kernel, or add a MaxPooling2D layer (or strides 2) before it to shrink the image it works on.',
    ]);
  });

  it('accepts a heavy layer under the limit, and refuses the same with twice the filters', () => {
    const under = analyzeModel({ layers: [sameConv(128), sameConv(256), ...head] }, MNIST, 10);
    expect(under.costs[1]!.multiplyAdds).toBe(784 * 256 * 121 * 128); // 3.1 billion
    expect(under.errors).toEqual([]);
    const over = analyzeModel({ layers: [sameConv(256), sameConv(256), ...head] }, MNIST, 10);
    expect(over.errors).toHaveLength(1);
    expect(over.errors[0]).toMatch(/^Layer 2 \(Conv2D\) needs 6\.2 billion multiply-adds per image/);
  });

  it('refuses a model whose layers, each under the limit, add up to more, naming the heaviest', () => {
    // 128 -> 256 -> 128 -> 256 -> 128 filters: four layers of 3.1 billion each.
    const layers = [sameConv(128), sameConv(256), sameConv(128), sameConv(256), sameConv(128), ...head];
    const a = analyzeModel({ layers }, MNIST, 10);
    expect(a.errors).toHaveLength(1);
    expect(a.errors[0]).toMatch(/^The network needs 12 billion multiply-adds per image, more than the 10 billion a browser can train; the heaviest layer is Layer 2 \(Conv2D\)/);
    // Without the fifth convolution: 9.3 billion, under the limit.
    expect(analyzeModel({ layers: [...layers.slice(0, 4), ...head] }, MNIST, 10).errors).toEqual([]);
  });

  it('refuses a layer whose output per image is too large (a big imported image), naming it', () => {
    const big = [512, 512, 3];
    const a = analyzeModel({ layers: [sameConv(16, 3), { type: 'maxPooling2d', poolSize: 8, strides: 8, padding: 'valid' }, ...head] }, big, 10);
    expect(a.costs[0]!.activations).toBe(512 * 512 * 16); // 4.2 million
    expect(a.errors).toEqual([
      'Layer 1 (Conv2D) outputs 4.2 million numbers per image (512×512×16), more than the 4.0 million a browser can train: ' +
        'a batch of 32 images would need 1.1 GB for this layer alone. ' +
        'Use fewer filters or a smaller kernel, or add a MaxPooling2D layer (or strides 2) before it to shrink the image it works on.',
    ]);
    // Flatten only reshapes: the same input flattened straight into the output layer is fine.
    expect(analyzeModel({ layers: [{ type: 'maxPooling2d', poolSize: 8, strides: 8, padding: 'valid' }, ...head] }, big, 10).ok).toBe(true);
  });

  it('reports the figures a slow stage is explained with: the heaviest, the largest, the widest layer', () => {
    const { facts } = analyzeModel(presetSpec('cnn', 10), MNIST, 10);
    expect(facts.params).toBe(1_199_882);
    expect(facts.heaviest).toMatchObject({ title: 'Layer 2 (Conv2D)', multiplyAdds: 24 * 24 * 64 * 9 * 32 });
    expect(facts.largest).toMatchObject({ title: 'Layer 5 (Dense)', params: 9216 * 128 + 128 });
    expect(facts.widest).toMatchObject({ title: 'Layer 2 (Conv2D)', activations: 24 * 24 * 64 });
  });
});
