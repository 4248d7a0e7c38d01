import { describe, expect, it } from 'vitest';
import { deflateSync, strToU8 } from 'fflate';
import { defaultConfig } from '../training/defaults';
import type { ExperimentConfig } from '../training/config';
import { MODEL_PRESETS, presetSpec } from '../model/presets';
import {
  configOf,
  decodeLink,
  encodeLink,
  experimentUrl,
  normalizeConfig,
  parseExperimentFile,
  readExperiment,
  serializeExperiment,
  toDocument,
} from './codec';
import { EXPERIMENT_FORMAT, EXPERIMENT_VERSION, type DatasetRef } from './experimentSchema';

const MNIST: DatasetRef = { kind: 'builtin', id: 'mnist' };
const BASE = 'https://teacher.example.org/training-playground/';

function viaLink(config: ExperimentConfig, dataset: DatasetRef = MNIST) {
  const url = experimentUrl(BASE, toDocument(config, dataset));
  const exp = new URL(url).searchParams.get('exp')!;
  const raw = decodeLink(exp);
  if (!raw.ok) throw new Error(raw.problem);
  const read = readExperiment(raw.value);
  if (!read.ok) throw new Error(read.problem);
  return { url, read, config: configOf(read.doc, config.datasetId) };
}

function viaFile(config: ExperimentConfig, dataset: DatasetRef = MNIST) {
  const read = parseExperimentFile(serializeExperiment(toDocument(config, dataset)));
  if (!read.ok) throw new Error(read.problem);
  return { read, config: configOf(read.doc, config.datasetId) };
}

/** A config with every option away from its default. */
function everything(): ExperimentConfig {
  return {
    datasetId: 'fashion-mnist',
    trainingExamples: 12000,
    preprocessing: 'standardize',
    model: {
      layers: [
        { type: 'conv2d', filters: 16, kernelSize: 5, strides: 2, padding: 'same', activation: 'elu' },
        { type: 'batchNormalization', momentum: 0.9, epsilon: 0.001 },
        { type: 'activation', activation: 'tanh' },
        { type: 'maxPooling2d', poolSize: 2, strides: 2, padding: 'same' },
        { type: 'flatten' },
        { type: 'dropout', rate: 0.25 },
        { type: 'dense', units: 10, activation: 'softmax' },
      ],
    },
    optimizer: 'nadam',
    learningRate: 0.0005,
    loss: 'categoricalCrossentropy',
    oneHotLabels: true,
    epochs: 25,
    batchSize: 128,
    validationSplit: 0.2,
    seed: 7,
    backend: 'wasm',
    optimizerParams: { beta1: 0.8, epsilon: 1e-6 },
    stepsPerEpoch: 50,
    crossValidation: true,
    folds: 4,
    checkpoints: { enabled: true, policy: 'bestOnly', everyN: 3, monitor: 'val_acc', mode: 'max', nameTemplate: 'best-{epoch:02d}', keepLast: 0 },
    schedule: { id: 'plateau', stepPer: 'epoch', params: { factor: 0.2, patience: 2 }, monitor: 'val_acc' },
    earlyStopping: { enabled: true, monitor: 'val_acc', mode: 'max', patience: 5, minDelta: 0.001, baseline: 0.5, restoreBestWeights: false },
    augmentation: { fraction: 0.3, flipH: true, flipV: true, rot90: true, rotateDeg: 15, shiftW: 0.1, shiftH: 0.2, shiftMode: 'roll', zoom: 0.1, brightness: 0.2 },
    inspectEvery: 20,
  };
}

describe('experiment link and file', () => {
  it('round-trips the defaults through a link, and the link is tiny', () => {
    const { url, config, read } = viaLink(defaultConfig());
    expect(config).toEqual(normalizeConfig(defaultConfig()));
    expect(read.ignored).toEqual([]);
    expect(read.notes).toEqual([]);
    expect(url.length).toBeLessThan(BASE.length + 40);
  });

  it.each(MODEL_PRESETS.map((p) => p.id))('round-trips preset %s through a link and a file', (id) => {
    const c = { ...defaultConfig(), model: presetSpec(id, 10) };
    expect(viaLink(c).config).toEqual(normalizeConfig(c));
    expect(viaFile(c).config).toEqual(normalizeConfig(c));
  });

  it('round-trips a config with every option set', () => {
    const c = everything();
    expect(viaLink(c).config).toEqual(c);
    expect(viaFile(c).config).toEqual(c);
    const imported: DatasetRef = { kind: 'imported', name: 'my leaves', fingerprint: '28x28x1-5c-800-0badf00d' };
    expect(viaLink(c, imported).read.doc.dataset).toEqual(imported);
  });

  it('round-trips a config without its optional parts as the settings they mean', () => {
    const { checkpoints: _c, schedule: _s, augmentation: _a, ...bare } = defaultConfig();
    const { config } = viaLink(bare as ExperimentConfig);
    expect(config.checkpoints?.enabled).toBe(false);
    expect(config.schedule?.id).toBe('constant');
    expect(config.augmentation).toEqual(defaultConfig().augmentation);
  });

  it('keeps a link under 2,000 characters for the deep MLP and the Small CNN with augmentation', () => {
    const deep = { ...defaultConfig(), model: presetSpec('deep-mlp', 10), learningRate: 0.01, epochs: 3, seed: 123456 };
    const cnn = {
      ...defaultConfig(),
      model: presetSpec('small-cnn', 10),
      augmentation: { ...defaultConfig().augmentation!, rotateDeg: 10, shiftW: 0.1, shiftH: 0.1, zoom: 0.1, flipH: true },
      batchSize: 64,
    };
    const lengths = [deep, cnn, everything()].map((c) => viaLink(c).url.length);
    if (process.env.SHOW_LINK_LENGTHS) console.log('link lengths (deep-mlp, small-cnn+aug, everything):', lengths);
    for (const n of lengths) expect(n).toBeLessThan(2000);
    // Deflate folds the 40 equal layers: far below the JSON's own length.
    expect(lengths[0]!).toBeLessThan(400);
  });

  it('migrates a file without a version (the settings alone, version 0)', () => {
    const { datasetId: _d, ...rest } = everything();
    const old = { ...rest, datasetId: 'fashion-mnist' };
    const r = parseExperimentFile(JSON.stringify(old));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.doc.version).toBe(EXPERIMENT_VERSION);
    expect(r.doc.dataset).toEqual({ kind: 'builtin', id: 'fashion-mnist' });
    expect(configOf(r.doc, 'fashion-mnist')).toEqual(everything());
    expect(r.notes.join(' ')).toMatch(/no format version/);
  });

  it('migrates version 0 with a config envelope and fills missing fields, listing them', () => {
    const { folds: _f, earlyStopping, ...rest } = normalizeConfig(defaultConfig());
    const { patience: _p, ...es } = earlyStopping;
    const r = readExperiment({ version: 0, config: { ...rest, earlyStopping: es, datasetId: 'mnist' } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.doc.config.folds).toBe(5);
    expect(r.doc.config.earlyStopping.patience).toBe(3);
    expect(r.notes.join(' ')).toContain("the chapter's defaults: Folds, Early stopping › patience.");
  });

  it('ignores unknown fields and lists them as not read', () => {
    const doc = { ...toDocument(everything(), MNIST), comment: 'for class 3' } as Record<string, unknown>;
    const config = doc.config as Record<string, unknown>;
    doc.config = { ...config, colour: 'blue', model: { layers: [{ type: 'flatten', extra: 1 }, { type: 'dense', units: 10, activation: 'softmax' }] } };
    const r = readExperiment(doc);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([...r.ignored].sort()).toEqual(['comment', 'config.colour', 'config.model.layers.0.extra']);
    expect(r.doc.config).not.toHaveProperty('colour');
  });

  it('says plainly that a newer version cannot be read', () => {
    const r = readExperiment({ ...toDocument(defaultConfig(), MNIST), version: EXPERIMENT_VERSION + 1 });
    expect(r).toEqual({ ok: false, problem: expect.stringMatching(/newer version of Training Playground \(format version 2\)/) });
  });

  it('names the damaged field', () => {
    const doc = toDocument(defaultConfig(), MNIST) as unknown as { config: Record<string, unknown> };
    doc.config.learningRate = 'fast';
    const r = parseExperimentFile(JSON.stringify(doc), 'lesson.json');
    expect(r).toEqual({ ok: false, problem: expect.stringContaining('lesson.json: the field "config.learningRate" is "fast"') });
    const layer = toDocument(defaultConfig(), MNIST) as unknown as { config: { model: { layers: unknown[] } } };
    layer.config.model.layers[1] = { type: 'dense', units: 'many', activation: 'relu' };
    const r2 = readExperiment(layer);
    expect(r2.ok ? '' : r2.problem).toContain('"config.model.layers.1.units"');
    const two = toDocument(defaultConfig(), MNIST) as unknown as { config: Record<string, unknown> };
    two.config.epochs = null;
    two.config.optimizer = 'magic';
    const r3 = readExperiment(two);
    expect(r3).toEqual({
      ok: false,
      problem: 'The experiment has 2 fields that are not valid:',
      details: [expect.stringContaining('"config.optimizer" is "magic"'), expect.stringContaining('"config.epochs" is null')],
    });
  });

  it('says when a file is not JSON or not an experiment', () => {
    expect(parseExperimentFile('not json {', 'notes.txt')).toEqual({ ok: false, problem: expect.stringMatching(/^notes.txt is not JSON/) });
    expect(parseExperimentFile('[1,2]')).toEqual({ ok: false, problem: expect.stringMatching(/not an experiment/) });
    expect(parseExperimentFile('{"name": "package"}')).toEqual({ ok: false, problem: expect.stringMatching(/not an experiment/) });
    expect(parseExperimentFile(JSON.stringify({ format: 'other-app', version: 1, config: {} }))).toEqual({
      ok: false,
      problem: expect.stringMatching(/"format" is "other-app"/),
    });
  });

  it('says when a link is damaged', () => {
    const exp = encodeLink(toDocument(everything(), MNIST));
    for (const bad of [exp.slice(0, exp.length / 2), 'abc$%', '', 'AAAA']) {
      expect(decodeLink(bad)).toEqual({ ok: false, problem: expect.stringMatching(/cut off or damaged/) });
    }
    const notPayload = btoa(String.fromCharCode(...deflateSync(strToU8('{"x":1}')))).replace(/=+$/, '');
    expect(decodeLink(notPayload).ok).toBe(false);
  });

  it('writes the format and version into the file', () => {
    const text = serializeExperiment(toDocument(defaultConfig(), MNIST));
    expect(JSON.parse(text)).toMatchObject({ format: EXPERIMENT_FORMAT, version: 1, dataset: MNIST });
  });
});
