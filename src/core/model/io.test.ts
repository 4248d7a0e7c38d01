import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from './build';
import {
  buildPlannedModel,
  carryProblem,
  carryWeights,
  exportModel,
  loadedExperiment,
  metaFor,
  planModelLoad,
  planWeightsLoad,
  snapshotWeights,
  type DatasetShape,
} from './io';
import { META_KEY, parseModelJson, topologyToSpec, type PlaygroundMeta } from './file';
import type { ModelSpec } from './types';
import { createExperiment, disposeExperiment, evaluateTest, runExperiment } from '../experiment';
import { defaultConfig } from '../training/defaults';
import { loadTestDataset, useBackend } from '../testing/datasets';
import type { Dataset } from '../data/types';

const MNIST: DatasetShape = { shape: [28, 28, 1], classNames: 'abcdefghij'.split(''), name: 'MNIST' };
const mlp = (hidden: number): ModelSpec => ({
  layers: [
    { type: 'flatten' },
    { type: 'dense', units: hidden, activation: 'relu' },
    { type: 'dropout', rate: 0.2 },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
});
/** Every layer type the builder offers, in one stack. */
const everyLayer: ModelSpec = {
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, strides: 1, padding: 'same', activation: 'relu' },
    { type: 'batchNormalization', momentum: 0.9, epsilon: 0.002 },
    { type: 'maxPooling2d', poolSize: 2, strides: 2, padding: 'valid' },
    { type: 'conv2d', filters: 3, kernelSize: 5, strides: 2, padding: 'valid', activation: 'tanh' },
    { type: 'flatten' },
    { type: 'dropout', rate: 0.3 },
    { type: 'dense', units: 10, activation: 'linear' },
    { type: 'activation', activation: 'softmax' },
  ],
};

beforeAll(async () => {
  await useBackend('cpu');
});

/** Saves `spec` built with `seed` and returns the files as the page would send them. */
async function saved(spec: ModelSpec, seed = 1) {
  const model = buildModel(spec, MNIST.shape, { seed, numClasses: 10 });
  const files = await exportModel(model, null);
  return { model, text: JSON.stringify(files.modelJson), weights: files.weights, json: files.modelJson };
}

const predict = (model: tf.LayersModel, x: tf.Tensor) => tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());

describe('exportModel', () => {
  it('writes the tfjs Layers format: format, generatedBy, convertedBy, one weights.bin, our facts', async () => {
    const model = buildModel(mlp(16), MNIST.shape, { seed: 1, numClasses: 10 });
    const meta = { version: 1, datasetId: 'mnist' } as PlaygroundMeta;
    const { modelJson, weights } = await exportModel(model, meta);
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.generatedBy).toMatch(/^TensorFlow\.js tfjs-layers v4\./);
    expect(modelJson).toHaveProperty('convertedBy', null);
    const manifest = modelJson.weightsManifest as { paths: string[]; weights: { name: string; shape: number[] }[] }[];
    expect(manifest).toHaveLength(1);
    expect(manifest[0]!.paths).toEqual(['weights.bin']);
    expect(manifest[0]!.weights.map((w) => w.name)).toEqual(['dense_2/kernel', 'dense_2/bias', 'dense_4/kernel', 'dense_4/bias']);
    expect(weights.byteLength).toBe(model.countParams() * 4);
    expect((modelJson.userDefinedMetadata as Record<string, unknown>)[META_KEY]).toEqual(meta);
    model.dispose();
  });
});

describe('round trip', () => {
  it('loads the same predictions, through our loader and through tf.loadLayersModel, without leaks', async () => {
    const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 5);
    const before = tf.memory().numTensors;
    const { model, text, weights } = await saved(everyLayer, 7);
    const expected = predict(model, x);

    const parsed = parseModelJson(text);
    const plan = planModelLoad(parsed, [{ name: 'weights.bin', bytes: weights }], MNIST);
    expect(plan.spec).toEqual(everyLayer);
    const loaded = buildPlannedModel(plan, MNIST, 99);
    expect(predict(loaded, x)).toEqual(expected);

    const json = JSON.parse(text) as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
    const viaTf = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]!.weights, weightData: weights }),
    );
    expect(predict(viaTf, x)).toEqual(expected);

    model.dispose();
    loaded.dispose();
    viaTf.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('converts the topology of every builder layer type back to the same spec', async () => {
    const { model, json } = await saved(everyLayer);
    expect(topologyToSpec(json.modelTopology)).toEqual({ spec: everyLayer, inputShape: [28, 28, 1] });
    model.dispose();
  });

  it('loads weights into the current architecture, and carries them into a new model', async () => {
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 3);
    const before = tf.memory().numTensors;
    const { model, text, weights } = await saved(mlp(16), 3);
    const plan = planWeightsLoad(parseModelJson(text), [{ name: 'weights (1).bin', bytes: weights }], mlp(16), MNIST);
    const target = buildPlannedModel(plan, MNIST, 1234);
    expect(predict(target, x)).toEqual(predict(model, x));

    const snapshot = await snapshotWeights(model);
    const fresh = buildModel(mlp(16), MNIST.shape, { seed: 555, numClasses: 10 });
    carryWeights(snapshot, fresh, mlp(16), MNIST);
    expect(predict(fresh, x)).toEqual(predict(model, x));
    const other = buildModel(mlp(32), MNIST.shape, { seed: 555, numClasses: 10 });
    expect(() => carryWeights(snapshot, other, mlp(32), MNIST)).toThrow(
      'Layer 2 (dense_2, Dense): saved kernel is [784, 16], this model needs [784, 32].',
    );
    [model, target, fresh, other].forEach((m) => m.dispose());
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe('carryProblem', () => {
  it('allows the same weight shapes (a Dropout added is fine) and names the first layer that differs', () => {
    const withDropout: ModelSpec = { layers: [...mlp(16).layers.slice(0, 2), { type: 'dropout', rate: 0.5 }, ...mlp(16).layers.slice(2)] };
    expect(carryProblem(mlp(16), withDropout, MNIST)).toBeNull();
    expect(carryProblem(mlp(16), mlp(32), MNIST)).toBe(
      'Train further continues the current model, so the layers in the builder must have its shapes: ' +
        'Layer 2 (dense_2, Dense): current kernel is [784, 16], this model needs [784, 32]. ' +
        'Undo the change, or untick "Train further" to start from new weights.',
    );
  });
});

describe('hostile and broken inputs give a message and allocate nothing', () => {
  let good: { text: string; weights: ArrayBuffer };
  beforeAll(async () => {
    const s = await saved(mlp(16));
    s.model.dispose();
    good = s;
  });
  const edit = (f: (j: Record<string, any>) => void) => {
    const j = JSON.parse(good.text) as Record<string, any>;
    f(j);
    return JSON.stringify(j);
  };
  const load = (text: string, bytes = good.weights, spec?: ModelSpec) => {
    const parsed = parseModelJson(text);
    const files = [{ name: 'weights.bin', bytes }];
    return spec ? planWeightsLoad(parsed, files, spec, MNIST) : planModelLoad(parsed, files, MNIST);
  };

  it.each<[string, () => unknown, string | RegExp]>([
    ['non-JSON', () => load('{"format": "layers-model", '), /^model\.json is not JSON: .+Choose the model\.json/],
    ['JSON that is not an object', () => load('[1, 2]'), 'model.json does not describe a model: it holds a list, not an object.'],
    ['no weightsManifest', () => load(edit((j) => delete j.weightsManifest)), /has no weightsManifest/],
    ['a damaged weight entry', () => load(edit((j) => (j.weightsManifest[0].weights[1] = { shape: [3] }))), /entry 2 has no name or shape/],
    [
      'a 10 GB weight',
      () => load(edit((j) => (j.weightsManifest[0].weights[0].shape = [50_000, 50_000]))),
      'model.json says the weight "dense_2/kernel" has shape [50000, 50000], which is 10 GB; the playground loads models up to 400 MB (100,000,000 parameters). The file is damaged or the model is too large for a browser tab.',
    ],
    ['an unsupported dtype', () => load(edit((j) => (j.weightsManifest[0].weights[0].dtype = 'complex64'))), /as complex64 numbers; the playground loads float32/],
    ['quantized weights', () => load(edit((j) => (j.weightsManifest[0].weights[0].quantization = { dtype: 'uint8' }))), /quantized/],
    [
      'a truncated weights.bin',
      () => load(good.text, good.weights.slice(0, 20_000)),
      'weights.bin holds 20 kB but model.json describes 51 kB: the file is truncated or belongs to another model. Download or save the model again.',
    ],
    ['a longer weights.bin', () => load(good.text, new ArrayBuffer(good.weights.byteLength + 8)), /belongs to another model/],
    [
      'a weights.bin 100 bytes short, the same size when rounded',
      () => load(good.text, good.weights.slice(0, good.weights.byteLength - 100)),
      /holds \d{2},\d{3} bytes but model\.json describes \d{2},\d{3} bytes \(100 bytes short\): the file is truncated/,
    ],
    [
      'a model.json of another architecture (weights only)',
      () => load(good.text, good.weights, mlp(32)),
      'Layer 2 (dense_2, Dense): saved kernel is [784, 16], this model needs [784, 32].',
    ],
    [
      'fewer layers than the current architecture',
      () => load(good.text, good.weights, { layers: [{ type: 'flatten' }, { type: 'dense', units: 16, activation: 'relu' }, { type: 'dense', units: 16, activation: 'relu' }, { type: 'dense', units: 10, activation: 'softmax' }] }),
      /Layer 3 \(dense_3, Dense\): saved kernel is \[16, 10\], this model needs \[16, 16\]/,
    ],
    [
      'an unsupported layer',
      () => load(edit((j) => (j.modelTopology.config.layers[1].class_name = 'LSTM'))),
      'Layer 2 (dense_2, LSTM) is not a layer the builder supports (it supports Dense, Conv2D, MaxPooling2D, Flatten, Dropout, BatchNormalization and Activation), so this model can\'t be loaded here.',
    ],
    ['a functional model', () => load(edit((j) => (j.modelTopology.class_name = 'Model'))), /describes a Model model; the builder can load Sequential models/],
    ['another input shape', () => load(edit((j) => (j.modelTopology.config.layers[0].config.batch_input_shape = [null, 32, 32, 3]))), /expects inputs of shape 32×32×3, but MNIST's images are 28×28×1/],
    ['weights only, loaded as a model', () => load(edit((j) => delete j.modelTopology)), /holds weights only/],
  ])('%s', (_name, run, message) => {
    const before = tf.memory().numTensors;
    expect(run).toThrow(message);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('matches sharded weights by file name and names a missing shard', () => {
    const text = edit((j) => (j.weightsManifest[0].paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin']));
    const half = 26_000;
    const parts = [
      { name: 'group1-shard2of2.bin', bytes: good.weights.slice(half) },
      { name: 'group1-shard1of2.bin', bytes: good.weights.slice(0, half) },
    ];
    expect(planModelLoad(parseModelJson(text), parts, MNIST).data).toEqual(good.weights);
    expect(() => planModelLoad(parseModelJson(text), parts.slice(0, 1), MNIST)).toThrow(
      'model.json needs the weights file "group1-shard1of2.bin", which is not among the files you chose.',
    );
    const short = [parts[0]!, { name: 'group1-shard1of2.bin', bytes: good.weights.slice(0, 100) }];
    expect(() => planModelLoad(parseModelJson(text), short, MNIST)).toThrow(
      'The weights files hold 25 kB but model.json describes 51 kB: the file is truncated or belongs to another model.',
    );
  });
});

describe('a trained experiment, saved and loaded', () => {
  let mnist: Dataset;
  beforeAll(async () => {
    mnist = await loadTestDataset('mnist');
  });

  it('evaluates to the same test accuracy and loss, with standardize statistics restored', async () => {
    const before = tf.memory().numTensors;
    const config = { ...defaultConfig(), model: mlp(16), trainingExamples: 500, epochs: 1, batchSize: 50, preprocessing: 'standardize' as const };
    const exp = createExperiment(config, mnist);
    await runExperiment(exp);
    const original = await evaluateTest(exp);
    const { modelJson, weights } = await exportModel(exp.model, metaFor(exp));
    disposeExperiment(exp);

    const parsed = parseModelJson(JSON.stringify(modelJson));
    expect(parsed.meta).toMatchObject({ datasetId: 'mnist', preprocessing: 'standardize', spec: mlp(16), params: 12_730 });
    const plan = planModelLoad(parsed, [{ name: 'weights.bin', bytes: weights }], mnist);
    const loaded = loadedExperiment(
      { ...defaultConfig(), model: plan.spec, preprocessing: parsed.meta!.preprocessing },
      mnist,
      buildPlannedModel(plan, mnist, 1),
      parsed.meta!.stats,
    );
    const again = await evaluateTest(loaded);
    expect(again).toEqual(original);
    disposeExperiment(loaded);
    expect(tf.memory().numTensors).toBe(before);
  });
});
