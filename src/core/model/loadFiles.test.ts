import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { disposeExperiment, evaluateTest } from '../experiment';
import { loadTestDataset, useBackend } from '../testing/datasets';
import { defaultConfig } from '../training/defaults';
import type { Dataset } from '../data/types';
import { buildModel } from './build';
import { exportModel } from './io';
import { materializeLoad, planLoad } from './loadFiles';
import { META_KEY, pickModelFiles, type PlaygroundMeta } from './file';
import type { ModelSpec } from './types';

const spec: ModelSpec = {
  layers: [
    { type: 'flatten' },
    { type: 'dense', units: 8, activation: 'relu' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
};
let mnist: Dataset;
let files: { modelJson: Record<string, unknown>; weights: ArrayBuffer };
const meta = (): PlaygroundMeta => ({
  version: 1,
  spec,
  datasetId: 'fashion-mnist',
  datasetName: 'Fashion-MNIST',
  inputShape: [28, 28, 1],
  classNames: 'abcdefghij'.split(''),
  preprocessing: 'standardize',
  stats: { mean: 70, std: 90 },
  loss: 'sparseCategoricalCrossentropy',
  oneHotLabels: false,
  params: 6370,
});

beforeAll(async () => {
  await useBackend('cpu');
  mnist = await loadTestDataset('mnist');
  const model = buildModel(spec, [28, 28, 1], { seed: 4, numClasses: 10 });
  files = await exportModel(model, meta());
  model.dispose();
});

const datasets = async (id: string) => (id === 'mnist' ? mnist : { ...mnist, id, name: 'Fashion-MNIST' });
const request = (json: Record<string, unknown>, mode: 'model' | 'weights' = 'model', model = defaultConfig().model) => ({
  mode,
  modelJson: JSON.stringify(json),
  weights: [{ name: 'weights.bin', bytes: files.weights }],
  config: { ...defaultConfig(), model },
});

describe('planLoad', () => {
  it('restores the architecture, dataset and preprocessing a file was saved with, and evaluates without leaks', async () => {
    const before = tf.memory().numTensors;
    const planned = await planLoad(request(files.modelJson), datasets);
    expect(tf.memory().numTensors).toBe(before); // checking allocates nothing
    expect(planned.config).toMatchObject({ datasetId: 'fashion-mnist', preprocessing: 'standardize', model: spec });
    expect(planned.stats).toEqual({ mean: 70, std: 90 });
    expect(planned.notes).toEqual([]);
    const exp = materializeLoad(planned);
    const r = await evaluateTest(exp);
    expect(r.count).toBe(10_000);
    disposeExperiment(exp);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('says what it assumed for a file without our facts (a foreign tfjs model)', async () => {
    const { userDefinedMetadata: _m, ...foreign } = files.modelJson;
    const planned = await planLoad({ ...request(foreign), config: { ...defaultConfig(), preprocessing: 'standardize' } }, datasets);
    expect(planned.config).toMatchObject({ datasetId: 'mnist', preprocessing: 'standardize', model: spec });
    expect(planned.stats.mean).toBeCloseTo(33.3, 0); // MNIST's training pixels
    expect(planned.notes.join(' ')).toMatch(/does not say which statistics.*does not say how its inputs were scaled; your current preprocessing \(Standardize\)/);
  });

  it('refuses a model for another number of classes', async () => {
    const m = { ...meta(), classNames: ['a', 'b'] };
    await expect(planLoad(request({ ...files.modelJson, userDefinedMetadata: { [META_KEY]: m } }), datasets)).rejects.toThrow(
      'This model tells 2 classes apart, but Fashion-MNIST has 10, so it cannot be evaluated on it.',
    );
  });

  it('loads weights only into the architecture in the builder, naming the first layer that differs', async () => {
    const before = tf.memory().numTensors;
    await expect(planLoad(request(files.modelJson, 'weights'), datasets)).rejects.toThrow(
      'Layer 2 (dense_2, Dense): saved kernel is [784, 8], this model needs [784, 512].',
    );
    const planned = await planLoad(request(files.modelJson, 'weights', spec), datasets);
    expect(planned.config.datasetId).toBe('mnist'); // weights keep the current settings
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('pickModelFiles', () => {
  const f = (name: string, size = 10) => ({ name, size, arrayBuffer: async () => new ArrayBuffer(size) });
  it.each<[string, ReturnType<typeof f>[], string]>([
    ['nothing', [], 'Choose the model files'],
    ['only weights.bin', [f('weights.bin')], 'You chose weights.bin only: choose model.json too'],
    ['only model.json', [f('model.json')], 'You chose model.json only: choose its weights.bin too'],
    ['two model.json', [f('a.json'), f('b.json'), f('w.bin')], 'Choose one model.json at a time (you chose a.json, b.json).'],
    ['another file', [f('model.json'), f('cat.png')], '"cat.png" is neither a model.json nor a .bin weights file.'],
    ['a 2 GB weights.bin', [f('model.json'), f('weights.bin', 2e9)], 'The weights files hold 2.0 GB; the playground loads models up to 400 MB'],
  ])('refuses %s before reading it', (_n, chosen, message) => {
    expect(() => pickModelFiles(chosen)).toThrow(message);
  });
  it('sorts model.json and its shards', () => {
    const chosen = [f('weights (1).bin'), f('model (2).JSON')];
    expect(pickModelFiles(chosen)).toEqual({ json: chosen[1], bins: [chosen[0]] });
  });
});
