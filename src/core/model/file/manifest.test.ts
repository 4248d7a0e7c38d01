import { describe, expect, it } from 'vitest';
import { META_KEY, META_VERSION, parseModelJson, type PlaygroundMeta } from './manifest';
import { ModelFileError } from './error';

const META: PlaygroundMeta = {
  version: META_VERSION,
  spec: { layers: [{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }] },
  datasetId: 'mnist',
  datasetName: 'MNIST',
  inputShape: [28, 28, 1],
  classNames: '0123456789'.split(''),
  preprocessing: 'standardize',
  stats: { mean: 33.3, std: 78.6 },
  loss: 'sparseCategoricalCrossentropy',
  oneHotLabels: false,
  params: 7850,
};

const file = (meta: unknown) =>
  JSON.stringify({
    weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'dense/kernel', shape: [784, 10], dtype: 'float32' }, { name: 'dense/bias', shape: [10], dtype: 'float32' }] }],
    ...(meta !== undefined && { userDefinedMetadata: { [META_KEY]: meta } }),
  });

const refusal = (text: string): string => {
  try {
    parseModelJson(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ModelFileError);
    return (err as Error).message;
  }
  throw new Error('the file was accepted');
};

describe("model.json's playground settings", () => {
  it('are read back typed when they are whole', () => {
    expect(parseModelJson(file(META)).meta).toEqual(META);
  });

  it('are absent from a model made elsewhere, or made by another version of the format', () => {
    expect(parseModelJson(file(undefined)).meta).toBeNull();
    expect(parseModelJson(file({ ...META, version: META_VERSION + 1, loss: 'somethingNew' })).meta).toBeNull();
  });

  it.each([
    [{ ...META, preprocessing: 'whiten' }, /field "preprocessing" is "whiten"/],
    [{ ...META, loss: 42 }, /field "loss" is 42/],
    [{ ...META, oneHotLabels: 'yes' }, /field "oneHotLabels" is "yes"/],
    [{ ...META, stats: { mean: 'x', std: 1 } }, /field "stats.mean" is "x"/],
    [{ ...META, spec: { layers: [{ type: 'dense', units: 10, activation: 'swish2' }] } }, /field "spec.layers.0.activation"/],
    [{ ...META, spec: { layers: [{ type: 'lstm', units: 10 }] } }, /field "spec.layers.0.type" is "lstm"/],
    [{ ...META, inputShape: [28, -1, 1] }, /field "inputShape.1" is -1/],
    [{ ...META, classNames: null }, /field "classNames" is null/],
    ['not an object', /playground settings .* is not valid/],
  ])('damaged, are refused naming the field (%#)', (meta, message) => {
    const text = refusal(file(meta));
    expect(text).toMatch(message);
    expect(text).toMatch(/download the model again/);
  });
});
