import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from './analyze';
import { buildModel, dropoutLayers, layerName, layerSeed } from './build';
import { MODEL_PRESETS, presetSpec } from './presets';
import type { ModelSpec } from './types';

const MNIST = [28, 28, 1];

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

let tensorsAtStart = 0;
beforeAll(() => {
  tensorsAtStart = tf.memory().numTensors;
});
afterAll(() => {
  // Every model built here is disposed; leaked weights would show up as extra tensors.
  expect(tf.memory().numTensors).toBe(tensorsAtStart);
});

function weightsOf(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

/** Bitwise equality; toEqual on million-element arrays is needlessly slow. */
function sameBits(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

describe('buildModel on the presets', () => {
  it.each(MODEL_PRESETS.map((p) => p.id))('%s matches the analysis', (id) => {
    const spec = presetSpec(id, 10);
    const analysis = analyzeModel(spec, MNIST, 10);
    const model = buildModel(spec, MNIST, { seed: 1, numClasses: 10 });
    try {
      expect(model.countParams()).toBe(analysis.totalParams);
      expect(model.layers).toHaveLength(spec.layers.length);
      model.layers.forEach((layer, i) => {
        expect(layer.outputShape).toEqual([null, ...analysis.rows[i].outputShape!]);
        expect(layer.countParams()).toBe(analysis.rows[i].params);
        expect(layer.name).toBe(layerName(spec.layers[i], i));
      });
      expect(new Set(model.layers.map((l) => l.name)).size).toBe(model.layers.length);
    } finally {
      model.dispose();
    }
  });
});

describe('buildModel layers', () => {
  it('builds every layer type with the analysed shapes and parameter counts', () => {
    const spec: ModelSpec = {
      layers: [
        { type: 'conv2d', filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' },
        { type: 'batchNormalization', momentum: 0.99, epsilon: 0.001 },
        { type: 'maxPooling2d', poolSize: 2, strides: 2, padding: 'valid' },
        { type: 'dense', units: 5, activation: 'tanh' },
        { type: 'dropout', rate: 0.3 },
        { type: 'flatten' },
        { type: 'dense', units: 10, activation: 'linear' },
        { type: 'activation', activation: 'softmax' },
        { type: 'dropout', rate: 0.1 },
      ],
    };
    const analysis = analyzeModel(spec, MNIST, 10);
    expect(analysis.errors).toEqual([]);
    const model = buildModel(spec, MNIST, { seed: 7, numClasses: 10 });
    try {
      expect(model.layers.map((l) => l.name)).toEqual([
        'conv2d_1',
        'batch_normalization_2',
        'max_pooling2d_3',
        'dense_4',
        'dropout_5',
        'flatten_6',
        'dense_7',
        'activation_8',
        'dropout_9',
      ]);
      model.layers.forEach((layer, i) => {
        expect(layer.outputShape).toEqual([null, ...analysis.rows[i].outputShape!]);
        expect(layer.countParams()).toBe(analysis.rows[i].params);
      });
      expect(model.countParams()).toBe(analysis.totalParams);
      const trainable = model.trainableWeights.reduce((s, w) => s + w.shape.reduce((a, b) => a! * b!, 1)!, 0);
      expect(trainable).toBe(analysis.trainableParams);
      expect(dropoutLayers(model).map((l) => l.name)).toEqual(['dropout_5', 'dropout_9']);
      // The Dense on an image acts on the channel axis only (Keras semantics).
      expect(model.layers[3].outputShape).toEqual([null, 7, 7, 5]);
      // Softmax output: one probability vector per example.
      const out = tf.tidy(() => (model.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor).sum(1));
      expect(Array.from(out.dataSync()).map((v) => Math.round(v * 1e5) / 1e5)).toEqual([1, 1]);
      out.dispose();
    } finally {
      model.dispose();
    }
  });

  it('leaves Dropout unseeded so the training loop can set it per batch', () => {
    const model = buildModel(
      { layers: [{ type: 'flatten' }, { type: 'dropout', rate: 0.5 }, { type: 'dense', units: 10, activation: 'softmax' }] },
      MNIST,
      { seed: 3, numClasses: 10 },
    );
    try {
      const [dropout] = dropoutLayers(model);
      expect((dropout.getConfig() as { seed?: number }).seed).toBeUndefined();
    } finally {
      model.dispose();
    }
    const noDropout = buildModel(presetSpec('mlp', 10), MNIST, { seed: 1, numClasses: 10 });
    expect(dropoutLayers(noDropout)).toEqual([]);
    noDropout.dispose();
  });

  it('throws the analysis errors for a broken stack', () => {
    const spec: ModelSpec = { layers: [{ type: 'flatten' }, { type: 'dense', units: 12, activation: 'relu' }] };
    expect(() => buildModel(spec, MNIST, { seed: 1, numClasses: 10 })).toThrow(
      /The last layer outputs 12 numbers[\s\S]*Layer 2 \(Dense\) ends the network with activation "relu"/,
    );
    expect(() => buildModel({ layers: [] }, MNIST, { seed: 1, numClasses: 10 })).toThrow('Add at least one layer');
  });

  it('builds the same names twice without clashing', () => {
    const a = buildModel(presetSpec('small-cnn', 10), MNIST, { seed: 1, numClasses: 10 });
    const b = buildModel(presetSpec('small-cnn', 10), MNIST, { seed: 1, numClasses: 10 });
    expect(a.layers.map((l) => l.name)).toEqual(b.layers.map((l) => l.name));
    a.dispose();
    b.dispose();
  });
});

describe('reproducible initialization', () => {
  it('same seed gives identical weights, a different seed different ones', () => {
    const spec = presetSpec('cnn', 10);
    const a = buildModel(spec, MNIST, { seed: 42, numClasses: 10 });
    const b = buildModel(spec, MNIST, { seed: 42, numClasses: 10 });
    const c = buildModel(spec, MNIST, { seed: 43, numClasses: 10 });
    try {
      const wa = weightsOf(a);
      const wb = weightsOf(b);
      const wc = weightsOf(c);
      expect(wa).toHaveLength(wb.length);
      wa.forEach((w, i) => expect(sameBits(w, wb[i])).toBe(true));
      // Kernels (even indices) differ with the seed; biases (odd) start at zero either way.
      for (let i = 0; i < wa.length; i += 2) expect(sameBits(wa[i], wc[i])).toBe(false);
      for (let i = 1; i < wa.length; i += 2) expect(wa[i].every((v) => v === 0)).toBe(true);
    } finally {
      a.dispose();
      b.dispose();
      c.dispose();
    }
  });

  it('gives same-shaped layers different starting weights', () => {
    const model = buildModel(presetSpec('deep-mlp', 10), MNIST, { seed: 5, numClasses: 10 });
    try {
      const hidden1 = (model.layers[2].getWeights()[0].dataSync() as Float32Array).slice(0, 16);
      const hidden2 = (model.layers[3].getWeights()[0].dataSync() as Float32Array).slice(0, 16);
      expect(Array.from(hidden1)).not.toEqual(Array.from(hidden2));
    } finally {
      model.dispose();
    }
  });

  it('glorot-uniform kernels stay within the Glorot limit', () => {
    const model = buildModel(presetSpec('mlp', 10), MNIST, { seed: 9, numClasses: 10 });
    try {
      const kernel = model.layers[1].getWeights()[0].dataSync() as Float32Array;
      const limit = Math.sqrt(6 / (784 + 512));
      expect(kernel.every((v) => Math.abs(v) <= limit)).toBe(true);
      expect(kernel.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeGreaterThan(limit * 0.9);
    } finally {
      model.dispose();
    }
  });

  it('layerSeed mixes seed and position into distinct 32-bit integers', () => {
    const seeds = new Set<number>();
    for (let s = 0; s < 20; s++) for (let i = 0; i < 50; i++) seeds.add(layerSeed(s, i));
    expect(seeds.size).toBe(1000);
    expect([...seeds].every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 32)).toBe(true);
    expect(layerSeed(42, 3)).toBe(layerSeed(42, 3));
  });
});
