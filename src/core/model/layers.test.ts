import { describe, expect, it } from 'vitest';
import {
  ACTIVATIONS,
  defaultLayer,
  formatShape,
  inferLayer,
  isInferError,
  LAYER_TYPE_ORDER,
  LAYER_TYPES,
  type InferResult,
} from './layers';
import type { LayerSpec, LayerType } from './types';

function ok(result: InferResult) {
  if (isInferError(result)) throw new Error(`unexpected error: ${result.error}`);
  return result;
}
function err(result: InferResult): string {
  if (!isInferError(result)) throw new Error(`expected an error, got ${JSON.stringify(result)}`);
  return result.error;
}

describe('LAYER_TYPES registry', () => {
  it('has labels, descriptions, matching defaults and fields for every type', () => {
    const labels: Record<LayerType, string> = {
      dense: 'Dense',
      conv2d: 'Conv2D',
      maxPooling2d: 'MaxPooling2D',
      flatten: 'Flatten',
      dropout: 'Dropout',
      batchNormalization: 'BatchNormalization',
      activation: 'Activation',
    };
    expect([...LAYER_TYPE_ORDER].sort()).toEqual(Object.keys(LAYER_TYPES).sort());
    for (const type of LAYER_TYPE_ORDER) {
      const info = LAYER_TYPES[type];
      expect(info.label).toBe(labels[type]);
      expect(info.description.length).toBeGreaterThan(20);
      expect(info.defaults.type).toBe(type);
      for (const field of info.fields) {
        expect(field.key in info.defaults).toBe(true);
        if (field.kind === 'select') expect(field.options?.length).toBeGreaterThan(0);
      }
      // Defaults are valid on an image input (dense too, Keras-style on the last axis).
      ok(info.infer(info.defaults, [28, 28, 1]));
    }
  });

  it('uses the Keras defaults', () => {
    expect(LAYER_TYPES.dense.defaults).toEqual({ type: 'dense', units: 64, activation: 'relu' });
    expect(LAYER_TYPES.conv2d.defaults).toEqual({
      type: 'conv2d', filters: 32, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu',
    });
    expect(LAYER_TYPES.maxPooling2d.defaults).toEqual({ type: 'maxPooling2d', poolSize: 2, strides: 2, padding: 'valid' });
    expect(LAYER_TYPES.dropout.defaults).toEqual({ type: 'dropout', rate: 0.5 });
    expect(LAYER_TYPES.batchNormalization.defaults).toEqual({ type: 'batchNormalization', momentum: 0.99, epsilon: 0.001 });
    expect(LAYER_TYPES.activation.defaults).toEqual({ type: 'activation', activation: 'relu' });
  });

  it('defaultLayer returns an independent copy', () => {
    const layer = defaultLayer('dense');
    if (layer.type === 'dense') layer.units = 3;
    expect(LAYER_TYPES.dense.defaults).toEqual({ type: 'dense', units: 64, activation: 'relu' });
  });

  it('lists activations including softmax and relu', () => {
    expect(ACTIVATIONS).toContain('softmax');
    expect(ACTIVATIONS).toContain('relu');
    expect(LAYER_TYPES.dense.fields.find((f) => f.key === 'activation')?.options).toEqual([...ACTIVATIONS]);
  });
});

describe('formatShape', () => {
  it('joins with × and prints flat vectors as a number', () => {
    expect(formatShape([26, 26, 32])).toBe('26×26×32');
    expect(formatShape([784])).toBe('784');
  });
});

describe('shape rules (Keras semantics, batch omitted)', () => {
  const cases: Array<[string, LayerSpec, number[], number[], number, number]> = [
    ['dense on a vector', { type: 'dense', units: 512, activation: 'relu' }, [784], [512], 401_920, 401_920],
    ['dense on the last axis of an image', { type: 'dense', units: 8, activation: 'relu' }, [28, 28, 3], [28, 28, 8], 32, 32],
    ['conv2d valid', LAYER_TYPES.conv2d.defaults, [28, 28, 1], [26, 26, 32], 320, 320],
    ['conv2d same stride 2', { type: 'conv2d', filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }, [28, 27, 2], [14, 14, 4], 76, 76],
    ['conv2d valid stride 2', { type: 'conv2d', filters: 1, kernelSize: 3, strides: 2, padding: 'valid', activation: 'linear' }, [28, 28, 1], [13, 13, 1], 10, 10],
    ['conv2d same with kernel bigger than input', { type: 'conv2d', filters: 2, kernelSize: 5, strides: 1, padding: 'same', activation: 'relu' }, [3, 3, 1], [3, 3, 2], 52, 52],
    ['maxpool valid', LAYER_TYPES.maxPooling2d.defaults, [26, 26, 32], [13, 13, 32], 0, 0],
    ['maxpool valid odd', LAYER_TYPES.maxPooling2d.defaults, [7, 7, 3], [3, 3, 3], 0, 0],
    ['maxpool same odd', { type: 'maxPooling2d', poolSize: 2, strides: 2, padding: 'same' }, [7, 7, 3], [4, 4, 3], 0, 0],
    ['flatten', { type: 'flatten' }, [13, 13, 32], [5408], 0, 0],
    ['flatten on a vector', { type: 'flatten' }, [10], [10], 0, 0],
    ['dropout keeps shape', { type: 'dropout', rate: 0 }, [5, 5, 2], [5, 5, 2], 0, 0],
    ['activation keeps shape', { type: 'activation', activation: 'softmax' }, [10], [10], 0, 0],
    ['batchnorm on channels', LAYER_TYPES.batchNormalization.defaults, [26, 26, 32], [26, 26, 32], 128, 64],
    ['batchnorm on a vector', LAYER_TYPES.batchNormalization.defaults, [64], [64], 256, 128],
  ];
  it.each(cases)('%s', (_name, spec, input, output, params, trainable) => {
    const result = ok(inferLayer(spec, input));
    expect(result).toEqual({ outputShape: output, params, trainableParams: trainable });
  });
});

describe('layer errors', () => {
  it('explains Conv2D after Flatten', () => {
    expect(err(inferLayer(LAYER_TYPES.conv2d.defaults, [784]))).toBe(
      'Conv2D needs an image (height × width × channels) as input, but the layer before it outputs a flat vector of 784 numbers. Move Conv2D above the Flatten layer.',
    );
  });

  it('words a flat dataset input differently', () => {
    const message = err(inferLayer(LAYER_TYPES.conv2d.defaults, [20], { fromDataset: true }));
    expect(message).toContain('the dataset provides a flat vector of 20 numbers');
    expect(message).not.toContain('Flatten');
  });

  it('rejects MaxPooling2D on a flat vector', () => {
    expect(err(inferLayer(LAYER_TYPES.maxPooling2d.defaults, [128]))).toContain('MaxPooling2D needs an image');
  });

  it('explains a kernel bigger than the input with valid padding', () => {
    const spec: LayerSpec = { type: 'conv2d', filters: 8, kernelSize: 5, strides: 1, padding: 'valid', activation: 'relu' };
    const message = err(inferLayer(spec, [3, 3, 16]));
    expect(message).toContain('5×5 kernel is bigger than its 3×3 input');
    expect(message).toContain('padding to "same"');
    expect(message).toContain('kernel size of at most 3');
  });

  it('explains a pool bigger than the input with valid padding', () => {
    const spec: LayerSpec = { type: 'maxPooling2d', poolSize: 4, strides: 4, padding: 'valid' };
    expect(err(inferLayer(spec, [3, 3, 16]))).toContain('4×4 pool is bigger than its 3×3 input');
  });

  // Specs as they might arrive from a URL or a saved file, so deliberately not type-checked.
  const conv = (patch: Record<string, unknown>) => ({ ...LAYER_TYPES.conv2d.defaults, ...patch }) as unknown as LayerSpec;
  const invalid: Array<[string, LayerSpec, string]> = [
    ['units 0', { type: 'dense', units: 0, activation: 'relu' }, 'Dense needs units to be a whole number from 1 to 4096, but it is 0'],
    ['units above the field maximum', { type: 'dense', units: 100_000, activation: 'relu' }, 'from 1 to 4096, but it is 100000'],
    ['a 1000×1000 kernel', { type: 'conv2d', filters: 32, kernelSize: 1000, strides: 1, padding: 'same', activation: 'relu' }, 'kernel size to be a whole number from 1 to 11'],
    ['fractional units', { type: 'dense', units: 2.5, activation: 'relu' }, 'whole number'],
    ['unknown activation', { type: 'dense', units: 4, activation: 'swish' as never }, 'unknown activation "swish"'],
    ['filters 0', conv({ filters: 0 }), 'Conv2D needs filters'],
    ['kernel 0', conv({ kernelSize: 0 }), 'Conv2D needs the kernel size'],
    ['strides 0', conv({ strides: 0 }), 'Conv2D needs the strides'],
    ['bad padding', conv({ padding: 'full' }), 'unknown padding "full"'],
    ['pool 0', { type: 'maxPooling2d', poolSize: 0, strides: 2, padding: 'valid' }, 'MaxPooling2D needs the pool size'],
    ['dropout 1.5', { type: 'dropout', rate: 1.5 }, "Dropout's rate must be from 0 to 0.95, but it is 1.5"],
    ['dropout 1', { type: 'dropout', rate: 1 }, 'from 0 to 0.95'],
    ['dropout negative', { type: 'dropout', rate: -0.1 }, 'from 0 to 0.95'],
    ['dropout NaN', { type: 'dropout', rate: Number.NaN }, 'but it is NaN'],
    ['momentum 1', { type: 'batchNormalization', momentum: 1, epsilon: 0.001 }, 'momentum must be'],
    ['epsilon 0', { type: 'batchNormalization', momentum: 0.99, epsilon: 0 }, 'epsilon must be a small positive number'],
  ];
  it.each(invalid)('rejects %s', (_name, spec, fragment) => {
    expect(err(inferLayer(spec, [8, 8, 2]))).toContain(fragment);
  });

  it('rejects a malformed input shape instead of computing nonsense', () => {
    expect(err(inferLayer({ type: 'flatten' }, [28, 0, 1]))).toContain('not a valid shape');
  });

  it('rejects a spec handed to the wrong rule', () => {
    expect(err(LAYER_TYPES.dense.infer({ type: 'flatten' }, [3]))).toContain('Internal error');
  });
});
