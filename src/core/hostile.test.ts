/**
 * The hostile corpus (issue 14): inputs a careless or hostile user gives the app — model files,
 * archives, images, CSV and JSON indexes, absurd settings, broken links and experiment files,
 * garbage in stored records — each generated here, each with the exact message the learner
 * reads. Fast and in Node: the pure readers and checks the panels show the messages of. Other
 * test files hold more (zip.test.ts, io.test.ts, storage/*.test.ts, e2e/hardening.spec.ts);
 * this one prints its count.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { gzipSync, strToU8, zipSync } from 'fflate';
import { parseModelJson, checkWeightBytes, topologyToSpec } from './model/file';
import { analyzeModel } from './model/analyze';
import { validateSettings, type ExperimentConfig } from './training/config';
import { defaultConfig } from './training/defaults';
import { decodeLink, parseExperimentFile, readExperiment } from './share/codec';
import { decodeDraft } from './share/draft';
import { readRunRecord } from './runs/record';
import { deserializeSnapshot, serializeSnapshot, type SerializedSnapshot } from './checkpoint/snapshot';
import { readTar, readZip } from './data/import/archive';
import { writeTar } from './testing/tar';
import { gunzip, gunzipSync } from './data/gzip';
import { parseCsvIndex, parseJsonIndex } from './data/import/indexFile';
import { checkImageHeader, runImport, type ImportHooks, type SourceFile } from './data/import/pipeline';
import { IMPORT_GUNZIP_LIMIT } from './data/import/limits';
import { zipFixture } from './testing/zipFixture';
import { parseUrl } from '../state/url';

type Case = [name: string, run: () => string | Promise<string>, expected: string];

let count = 0;
afterAll(() => console.log(`hostile corpus: ${count} cases, each with its exact message`));

/** The message `f` throws (a case that does not throw fails). */
function thrown(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    return (err as Error).message;
  }
  return '(nothing was thrown)';
}

function corpus(category: string, cases: Case[]) {
  describe(category, () => {
    count += cases.length;
    it.each(cases)('%s', async (_name, run, expected) => {
      expect(await run()).toBe(expected);
    });
  });
}

// ---- model files ---------------------------------------------------------------------

const weight = (name: string, shape: number[]) => ({ name, shape, dtype: 'float32' });
const modelJson = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    format: 'layers-model',
    modelTopology: {
      class_name: 'Sequential',
      config: {
        name: 'sequential_1',
        layers: [
          { class_name: 'Flatten', config: { name: 'flatten_1', batch_input_shape: [null, 28, 28, 1] } },
          { class_name: 'Dense', config: { name: 'dense_1', units: 10, activation: 'softmax', use_bias: true } },
        ],
      },
    },
    weightsManifest: [{ paths: ['weights.bin'], weights: [weight('dense_1/kernel', [784, 10]), weight('dense_1/bias', [10])] }],
    ...over,
  });
const parse = (text: string) => () => thrown(() => parseModelJson(text));

corpus('model files', [
  ['an empty file', parse(''), 'model.json is not JSON: Unexpected end of JSON input. Choose the model.json file that was saved with the model.'],
  ['null', parse('null'), 'model.json does not describe a model: it holds null, not an object.'],
  ['a bare string', parse('"weights"'), 'model.json does not describe a model: it holds the text "weights", not an object.'],
  ['a Keras HDF5 (.h5) file', () => thrown(() => parseModelJson(new TextDecoder().decode(Uint8Array.of(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0)))), 'model.json is a Keras HDF5 file (.h5), not a TensorFlow.js model. Convert it with tensorflowjs_converter (--input_format keras), then choose the model.json it writes together with its weights file.'],
  ['a model without a class name', () => thrown(() => topologyToSpec({ config: { layers: [] } })), 'model.json describes a model of no known kind (its class_name is missing); the builder can load Sequential models (one stack of layers) only.'],
  [
    'a graph model (a converted SavedModel)',
    () => thrown(() => topologyToSpec(parseModelJson(modelJson({ format: 'graph-model', modelTopology: { node: [{ name: 'x', op: 'Placeholder' }], versions: {} } })).topology)),
    'model.json is a TensorFlow.js graph model (converted from a SavedModel or a frozen graph): it holds operations, not layers, so the builder cannot load it. Convert the Keras model as a Layers model (tensorflowjs_converter --output_format tfjs_layers_model), or save one from this app.',
  ],
  ['weightsManifest not a list', parse(modelJson({ weightsManifest: { paths: [] } })), 'model.json has no weightsManifest, the list of weights that weights.bin holds, so it is not a TensorFlow.js model file.'],
  ['a negative dimension', parse(modelJson({ weightsManifest: [{ paths: ['w.bin'], weights: [weight('k', [-1, 10])] }] })), 'model.json gives the weight "k" the shape [-1, 10], which is not a list of whole numbers.'],
  ['a fractional dimension', parse(modelJson({ weightsManifest: [{ paths: ['w.bin'], weights: [weight('k', [1.5, 10])] }] })), 'model.json gives the weight "k" the shape [1.5, 10], which is not a list of whole numbers.'],
  ['a weights file that is not a name', parse(modelJson({ weightsManifest: [{ paths: [42], weights: [] }] })), 'model.json\'s weightsManifest names a weights file that is not a file name.'],
  [
    'HTML as a weight name',
    parse(modelJson({ weightsManifest: [{ paths: ['w.bin'], weights: [weight('<img src=x onerror=alert(1)>', [1e9, 100])] }] })),
    'model.json says the weight "<img src=x onerror=alert(1)>" has shape [1000000000, 100], which is 400 GB; the playground loads models up to 400 MB (100,000,000 parameters). The file is damaged or the model is too large for a browser tab.',
  ],
  ['2 GB of weights in small pieces', parse(modelJson({ weightsManifest: [{ paths: ['w.bin'], weights: Array.from({ length: 6 }, (_, i) => weight(`w${i}`, [10_000, 10_000])) }] })), 'model.json describes 2.4 GB of weights; the playground loads models up to 400 MB (100,000,000 parameters).'],
  ['a 21 MB model.json', parse(`{"pad":"${'x'.repeat(21 * 1024 * 1024)}"}`), 'model.json is 22 MB, far larger than a model description; choose the model.json saved with the model.'],
  ['weights.bin 1 byte short', () => thrown(() => checkWeightBytes(parseModelJson(modelJson()), 31_399)), 'weights.bin holds 31,399 bytes but model.json describes 31,400 bytes (1 byte short): the file is truncated or belongs to another model. Download or save the model again.'],
  ['an empty weights.bin', () => thrown(() => checkWeightBytes(parseModelJson(modelJson()), 0)), 'weights.bin holds 0 bytes but model.json describes 31 kB: the file is truncated or belongs to another model. Download or save the model again.'],
  ['a topology that is not an object', () => thrown(() => topologyToSpec('Sequential')), 'model.json has no modelTopology (the list of layers), so there is no model to load.'],
  ['a model nested in a model', () => thrown(() => topologyToSpec({ class_name: 'Sequential', config: { layers: [{ class_name: 'Sequential', config: { layers: [] } }] } })), 'Layer 1 (Sequential) is not a layer the builder supports (it supports Dense, Conv2D, MaxPooling2D, Flatten, Dropout, BatchNormalization and Activation), so this model can\'t be loaded here.'],
]);

// ---- settings ------------------------------------------------------------------------

const MNIST = { name: 'MNIST', trainCount: 60000, numClasses: 10 };
/** The message the form shows for `field` with `patch` applied to the chapter's settings. */
const setting = (patch: Partial<ExperimentConfig>, field = Object.keys(patch)[0]) => () =>
  validateSettings({ ...defaultConfig(), ...patch }, MNIST)
    .filter((i) => i.field === field)
    .map((i) => i.message)
    .join(' | ') || '(accepted)';
const es = defaultConfig().earlyStopping;
const ckpt = defaultConfig().checkpoints!;

corpus('settings', [
  ['learning rate 1000', setting({ learningRate: 1000 }), 'Learning rate 1,000 is above the largest this app trains with, 10: steps that large throw the weights far off at once. To show divergence, 10 or even 1 is enough.'],
  ['learning rate 0', setting({ learningRate: 0 }), 'Learning rate must be a positive number, at most 10; useful values lie between 0.00001 and 0.1.'],
  ['learning rate -0.01', setting({ learningRate: -0.01 }), 'Learning rate must be a positive number, at most 10; useful values lie between 0.00001 and 0.1.'],
  ['an empty learning rate box', setting({ learningRate: Number.NaN }), 'Learning rate must be a positive number, at most 10; useful values lie between 0.00001 and 0.1.'],
  ['0 epochs', setting({ epochs: 0 }), 'Epochs must be a whole number from 1 to 1000: one epoch shows every training example once.'],
  ['a billion epochs', setting({ epochs: 1e9 }), 'Epochs must be a whole number from 1 to 1000: one epoch shows every training example once.'],
  ['2.5 epochs', setting({ epochs: 2.5 }), 'Epochs must be a whole number from 1 to 1000: one epoch shows every training example once.'],
  ['batch size 0', setting({ batchSize: 0 }), 'Batch size must be a whole number of at least 1 (1 = stochastic gradient descent).'],
  ['batch size larger than the data', setting({ batchSize: 10_000_000 }), 'Batch size 10,000,000 is larger than the 54,000 examples left for training. Use at most 54,000: one batch of the whole set is batch gradient descent.'],
  ['validation split 1', setting({ validationSplit: 1 }), 'Validation split is the share held out for validation: pick a value from 0 to 0.5 (0.1 = 10%).'],
  ['validation split -0.1', setting({ validationSplit: -0.1 }), 'Validation split is the share held out for validation: pick a value from 0 to 0.5 (0.1 = 10%).'],
  ['seed -1', setting({ seed: -1 }), 'Seed must be a whole number from 0 to 2147483648; the same seed repeats the same run.'],
  ['seed 1e20', setting({ seed: 1e20 }), 'Seed must be a whole number from 0 to 2147483648; the same seed repeats the same run.'],
  ['0 training examples', setting({ trainingExamples: 0 }), 'Training examples must be a whole number from 10 (one per class) to 60,000 (all of MNIST).'],
  ['more training examples than MNIST has', setting({ trainingExamples: 70_000 }), 'Training examples must be a whole number from 10 (one per class) to 60,000 (all of MNIST).'],
  ['1 fold', setting({ crossValidation: true, folds: 1 }, 'folds'), 'Folds must be a whole number from 2 to 20: each epoch holds one fold out for validation (5 holds out a fifth).'],
  ['early stopping patience -1', setting({ earlyStopping: { ...es, enabled: true, patience: -1 } }), 'Patience must be a whole number from 0 to 1000: the epochs to wait for an improvement before stopping.'],
  ['checkpoints keep last -1', setting({ checkpoints: { ...ckpt, enabled: true, keepLast: -1 } }), 'Keep last must be a whole number of checkpoints to keep per run; 0 keeps them all.'],
  ['checkpoints every 0 epochs', setting({ checkpoints: { ...ckpt, enabled: true, policy: 'everyN', everyN: 0 } }), 'Checkpoint every N epochs needs a whole number N from 1 to 1000 (2 = after epochs 2, 4, 6…).'],
  ['augmentation on 200% of the batch', setting({ augmentation: { ...defaultConfig().augmentation!, fraction: 2, flipH: true } }), 'Augmented fraction is the share of each batch that is changed: pick a value from 0 to 1 (0.5 = half).'],
]);

// ---- the layer stack -----------------------------------------------------------------

const stack = (...layers: ExperimentConfig['model']['layers']) => () => analyzeModel({ layers }, [28, 28, 1], 10).errors.join(' | ') || '(accepted)';
const out = { type: 'dense' as const, units: 10, activation: 'softmax' as const };
const flat = { type: 'flatten' as const };

corpus('the layer stack', [
  ['no layers', stack(), 'Add at least one layer: the network needs at least a Flatten layer and a Dense layer with 10 units and softmax activation to turn an image into class scores.'],
  ['a Conv2D with a 1000×1000 kernel and padding "same"', stack({ type: 'conv2d', filters: 32, kernelSize: 1000, strides: 1, padding: 'same', activation: 'relu' }, flat, out), 'Layer 1 (Conv2D): Conv2D needs the kernel size to be a whole number from 1 to 11, but it is 1000. Try 3 (a 3×3 window).'],
  [
    'a kernel larger than what is left of the image',
    stack({ type: 'maxPooling2d', poolSize: 4, strides: 4, padding: 'valid' }, { type: 'conv2d', filters: 8, kernelSize: 11, strides: 1, padding: 'valid', activation: 'relu' }, flat, out),
    'Layer 2 (Conv2D): Conv2D\'s 11×11 kernel is bigger than its 7×7 input, and with padding "valid" the kernel must fit inside the image. Set padding to "same" or use a kernel size of at most 7.',
  ],
  ['strides 0', stack({ type: 'conv2d', filters: 8, kernelSize: 3, strides: 0, padding: 'valid', activation: 'relu' }, flat, out), 'Layer 1 (Conv2D): Conv2D needs the strides to be a whole number from 1 to 4, but it is 0. Try 1 (move the window one pixel at a time).'],
  ['a pool larger than the image', stack({ type: 'maxPooling2d', poolSize: 64, strides: 64, padding: 'valid' }, flat, out), 'Layer 1 (MaxPooling2D): MaxPooling2D needs the pool size to be a whole number from 1 to 8, but it is 64. Try 2 (keep the largest of each 2×2 block).'],
  ['0 units', stack(flat, { type: 'dense', units: 0, activation: 'relu' }, out), 'Layer 2 (Dense): Dense needs units to be a whole number from 1 to 4096, but it is 0. Each unit produces one output number; try 64.'],
  ['10 million units', stack(flat, { type: 'dense', units: 10_000_000, activation: 'relu' }, out), 'Layer 2 (Dense): Dense needs units to be a whole number from 1 to 4096, but it is 10000000. Each unit produces one output number; try 64.'],
  ['dropout 1', stack(flat, { type: 'dropout', rate: 1 }, out), 'Layer 2 (Dropout): Dropout\'s rate must be from 0 to 0.95, but it is 1. The rate is the fraction of numbers switched off in each training step, so 1 would switch off everything. Try 0.5.'],
  ['an output of 7 classes for 10', stack(flat, { ...out, units: 7 }), 'The last layer outputs 7 numbers but the dataset has 10 classes: set its units to 10.'],
  ['no softmax at the end', stack(flat, { ...out, activation: 'relu' }), 'Layer 2 (Dense) ends the network with activation "relu", but the loss (categorical cross-entropy) needs probabilities, positive numbers that add up to 1, and softmax is what turns scores into probabilities: set its activation to "softmax".'],
  ['Dense before Flatten', stack({ type: 'dense', units: 10, activation: 'softmax' }), 'The network ends with shape 28×28×10, but a classifier must output one vector of 10 class scores: add a Flatten layer before the last Dense layer.'],
  ['batch normalization momentum 2', stack(flat, { type: 'batchNormalization', momentum: 2, epsilon: 0.001 }, out), 'Layer 2 (BatchNormalization): BatchNormalization\'s momentum must be at least 0 and below 1, but it is 2. It sets how slowly the running averages used at test time change; 0.99 is the usual value.'],
]);

// ---- links and experiment files ------------------------------------------------------

const link = (text: string) => () => {
  const raw = decodeLink(text);
  if (!raw.ok) return raw.problem;
  const r = readExperiment(raw.value, 'The link');
  return r.ok ? '(accepted)' : [r.problem, ...(r.details ?? [])].join(' ');
};
const file = (value: unknown) => () => {
  const r = parseExperimentFile(typeof value === 'string' ? value : JSON.stringify(value), 'experiment.json');
  return r.ok ? '(accepted)' : [r.problem, ...(r.details ?? [])].join(' ');
};
const doc = (config: Record<string, unknown>) => ({ version: 1, dataset: { kind: 'builtin', id: 'mnist' }, config });

corpus('links and experiment files', [
  ['a link of random letters', link('hello-world'), 'The experiment in the link could not be read: the link is cut off or damaged. Ask for it again, or copy the whole link.'],
  ['a link cut in half', link('eJyrVkrOT0lVsjI0MDTQUcrJz0tXslIqSy0qzszPU6oFAJtxCN8'), 'The experiment in the link could not be read: the link is cut off or damaged. Ask for it again, or copy the whole link.'],
  ['an empty link', link(''), 'The experiment in the link could not be read: the link is cut off or damaged. Ask for it again, or copy the whole link.'],
  ['a link with spaces and symbols', link('<script>alert(1)</script>'), 'The experiment in the link could not be read: the link is cut off or damaged. Ask for it again, or copy the whole link.'],
  ['a file that is not JSON', file('epochs: 3'), 'experiment.json is not JSON, so it is not an experiment file (experiment.json, from Download experiment).'],
  ['a file of another app', file({ format: 'teachable-machine', version: 2 }), 'This is not an experiment of Training Playground: an experiment file is a JSON object with "version", "dataset" and "config" (use Download experiment to make one). This one\'s "format" is "teachable-machine".'],
  ['a file from a newer version', file({ version: 7, config: {} }), 'This experiment was saved by a newer version of Training Playground (format version 7); this app reads format versions up to 1. Open it in the newer app, or update this one.'],
  ['layers as a string', file(doc({ model: { layers: 'dense' } })), 'experiment.json: the field "config.model.layers" is "dense", which is not valid (expected a list).'],
  ['600 layers', file(doc({ model: { layers: Array.from({ length: 600 }, () => flat) } })), 'experiment.json: the field "config.model.layers" is a list of 600 items, which is not valid (expected at most 500 items).'],
  ['an optimizer this app lacks', file(doc({ optimizer: 'lion' })), 'experiment.json: the field "config.optimizer" is "lion", which is not valid (expected one of "sgd", "momentum", "nesterov", "adagrad", "adadelta", "rmsprop", "adam", "adamax", "amsgrad", "nadam").'],
  ['a 10 kB checkpoint name', file(doc({ checkpoints: { ...ckpt, nameTemplate: 'x'.repeat(10_000) } })), 'experiment.json: the field "config.checkpoints.nameTemplate" is a text of 10,000 characters, which is not valid (expected at most 200 characters).'],
  ['a dataset reference of the wrong kind', file({ version: 1, dataset: { kind: 'url', href: 'https://example.org' }, config: {} }), 'experiment.json: the field "dataset.kind" is "url", which is not valid (expected one of "builtin", "imported").'],
]);

// ---- the address ---------------------------------------------------------------------

const address = (search: string) => () => parseUrl(search).warnings.join(' | ') || '(no warning)';

corpus('the address', [
  ['seed=abc', address('?seed=abc'), 'The seed "abc" in the address is not a whole number from 0 to 2147483648, so it was ignored.'],
  ['a 10 kB seed', address(`?seed=${'9'.repeat(10_000)}`), 'The seed "9999999999999999999999999999999999999…" in the address is not a whole number from 0 to 2147483648, so it was ignored.'],
  ['seed=1.5', address('?seed=1.5'), 'The seed "1.5" in the address is not a whole number from 0 to 2147483648, so it was ignored.'],
  ['backend=tpu', address('?backend=tpu'), 'The backend "tpu" in the address is unknown (use auto, webgpu, webgl, wasm, cpu), so it was ignored.'],
  ['threads=0', address('?threads=0'), 'The thread count "0" in the address is not a whole number from 1 to 8 (or auto), so it was ignored: the fastest count is measured instead.'],
  ['threads=999', address('?threads=999'), 'The thread count "999" in the address is not a whole number from 1 to 8 (or auto), so it was ignored: the fastest count is measured instead.'],
  ['present=maybe', address('?present=maybe'), '"present=maybe" in the address is not 1 or 0, so it was ignored.'],
  ['HTML as a lesson', address('?lesson=<img src=x onerror=alert(1)>'), 'There is no lesson "<img src=x onerror=alert(1)>" (the lessons are: scaling, batches, one-hot, overfitting, deep-network, learning-rate, optimizers, early-stopping, invariance, data-on-disk, save-restore), so none was opened.'],
]);

// ---- stored records ------------------------------------------------------------------

const draft = (value: unknown) => () => {
  const r = decodeDraft(typeof value === 'string' ? value : JSON.stringify(value));
  return r.ok ? '(accepted)' : r.problem;
};
const runRecord = (value: unknown) => () => {
  const r = readRunRecord(value);
  return r.ok ? '(accepted)' : r.problem;
};
const snapshot = (manifest: unknown, data: unknown = new ArrayBuffer(0)) => () => thrown(() => deserializeSnapshot({ manifest, data } as never));
/** A whole run record as the Runs panel stores it. */
const storedRun = {
  id: 'run-1', kind: 'run', schema: 1, name: 'raw pixels', nameEdited: false, createdAt: 1, endedAt: 2, durationMs: 1,
  datasetName: 'MNIST', config: defaultConfig(), epochs: [], batches: [], events: [], test: null, backend: null,
  outcome: 'completed', compared: false, baseline: false,
};
/** A real checkpoint, then changed by `edit`. */
function tampered(edit: (manifest: Record<string, unknown>) => void): SerializedSnapshot {
  const s = serializeSnapshot({
    resume: { epoch: 2, step: 20, rng: { shuffle: [1, 2, 3, 4], dropout: [5, 6, 7, 8] }, callbackStates: {} },
    config: defaultConfig(),
    history: { epochs: [], batches: [] },
    weights: [{ name: 'dense/kernel', shape: [2, 3], dtype: 'float32', values: new Float32Array(6) }],
    optimizer: { className: 'Adam', weights: [] },
  });
  const manifest = structuredClone(s.manifest) as unknown as Record<string, unknown>;
  edit(manifest);
  return { ...s, manifest } as unknown as SerializedSnapshot;
}
/** A checkpoint whose manifest claims a million weights its data does not hold. */
const lying = () => tampered((m) => Object.assign((m.weights as Record<string, unknown>[])[0]!, { shape: [1000, 1000], length: 1_000_000 }));

corpus('stored records', [
  ['a kept experiment cut off', draft('{"v":1,"datasetId":"mn'), 'The settings kept from your last visit are not JSON (the stored text was cut off or changed).'],
  ['a kept experiment with epochs as text', draft({ v: 1, datasetId: 'mnist', presetId: 'mlp', experiment: doc({ epochs: 'ten' }) }), 'The settings kept from your last visit: the field "config.epochs" is "ten", which is not valid (expected a number).'],
  ['a kept experiment with a 1 MB dataset id', draft({ v: 1, datasetId: 'x'.repeat(1_000_000), presetId: 'mlp', experiment: doc({}) }), 'The settings kept from your last visit: the dataset id is missing or not valid.'],
  ['a run record that is a number', runRecord(42), 'it is not an object'],
  ['a run record of another kind', runRecord({ kind: 'model', schema: 1 }), 'its kind is not "run"'],
  ['a run record from a newer app', runRecord({ kind: 'run', schema: 9 }), 'it was written in format 9, this app reads format 1'],
  ['a run record with epochs as text', runRecord({ ...storedRun, epochs: 'none' }), 'The stored run: the field "epochs" is "none", which is not valid (expected a list).'],
  ['a run record with a 10 kB HTML name', runRecord({ ...storedRun, name: `<b>${'x'.repeat(10_000)}</b>` }), 'The stored run: the field "name" is a text of 10,007 characters, which is not valid (expected at most 500 characters).'],
  ['a run record with an outcome this app lacks', runRecord({ ...storedRun, outcome: 'exploded' }), 'The stored run: the field "outcome" is "exploded", which is not valid (expected one of "completed", "early stop", "stopped", "diverged", "error").'],
  ['a checkpoint of another format', snapshot({ format: 99 }), 'This checkpoint was saved by another version of the app in a format it cannot read. Delete it and train anew.'],
  ['a checkpoint without its weights', snapshot({ format: 1 }, 'not bytes'), 'This checkpoint is damaged or incomplete, so it cannot be loaded. Delete it and use another one.'],
  ['a checkpoint whose manifest lies about the weights', () => thrown(() => deserializeSnapshot(lying())), 'This checkpoint is damaged or incomplete, so it cannot be loaded. Delete it and use another one.'],
  ['a checkpoint with an epoch of text', () => thrown(() => deserializeSnapshot(tampered((m) => ((m.resume as Record<string, unknown>).epoch = 'two')))), 'This checkpoint: the field "resume.epoch" is "two", which is not valid (expected a number). It cannot be loaded: delete it and use another one.'],
]);

// ---- imports: archives, images, indexes ----------------------------------------------

const png = (w: number, h: number) => {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(b.buffer).setUint32(16, w);
  new DataView(b.buffer).setUint32(20, h);
  return b;
};
const hooks: ImportHooks = {
  decode: async () => ({ width: 4, height: 4, channels: 4, data: new Uint8Array(64).fill(100) }),
  fetchUrl: async () => {
    throw new Error('offline');
  },
  confirmHosts: async () => true,
  origin: 'https://playground.example',
  progress: () => {},
  cancelled: () => false,
};
const source = (path: string, bytes: Uint8Array): SourceFile => ({ path, size: bytes.length, read: async () => bytes });
const settings = { id: 'import:t', name: 't', size: 4, channels: 1 as const, labelDepth: 'leaf' as const, testFraction: 0.2 };
/** The import's message, and the skipped list that comes with it. */
const importing = (...files: SourceFile[]) => async () => {
  try {
    await runImport(files, settings, hooks);
    return '(imported)';
  } catch (err) {
    const e = err as Error & { skipped?: string[] };
    return e.skipped?.length ? `${e.message} [skipped: ${e.skipped.join(' / ')}]` : e.message;
  }
};
const csv = (text: string) => () => {
  try {
    const r = parseCsvIndex(text, 'labels.csv');
    return r.problems.length ? r.problems.join(' | ') : `(${r.rows.length} rows)`;
  } catch (err) {
    return (err as Error).message;
  }
};

corpus('imports', [
  ['a 20000×20000 PNG', () => checkImageHeader(png(20000, 20000)) ?? '(accepted)', '20,000×20,000 pixels is larger than the limit (8,192 on a side, 40 megapixels); shrink it first'],
  ['a PNG of 0×0 pixels', () => checkImageHeader(png(0, 0)) ?? '(accepted)', 'the image has no pixels'],
  ['a text file named .png', () => checkImageHeader(strToU8('hello')) ?? '(accepted)', 'not a PNG, JPEG, WebP, GIF or BMP image (or a damaged one)'],
  ['a tar with a damaged header', () => thrown(() => readTar(new Uint8Array(512).fill(0x41), 'data.tar')), 'The file data.tar is not a valid tar archive (a header at byte 0 is damaged). Download it again.'],
  ['a tar cut short', () => thrown(() => readTar(writeTarOf({ 'a/b.png': new Uint8Array(2000) }).slice(0, 1024), 'data.tar')), 'The archive data.tar is cut short (the file a/b.png is incomplete). Download it again.'],
  ['a gzip that is not one', () => thrown(() => gunzipSync(strToU8('plain text, not gzip'), 'data.tar.gz')), 'The file data.tar.gz is not gzip-compressed: gzip data starts with the bytes 1f 8b, but it starts with 70 6c 61 69. Use the file as it is, or download it again if it should be a .gz file.'],
  ['a gzip bomb', () => thrown(() => gunzipSync(gzipSync(new Uint8Array(3 * 1024 * 1024)), 'bomb.tar.gz', { ...IMPORT_GUNZIP_LIMIT, maxBytes: 1_000_000 })), 'The file bomb.tar.gz unpacks to more than 1.0 MB, the most an import reads. If it is genuine, unpack it and import a smaller part of it.'],
  ['a gzip cut short', () => thrown(() => gunzipSync(gzipSync(new Uint8Array(3000).fill(7)).subarray(0, 20), 'cut.tar.gz')), 'The file cut.tar.gz could not be decompressed: it starts like gzip data, but the compressed stream is damaged or cut off (unexpected EOF). This usually means an interrupted download; download it again.'],
  ['a gzip bomb among the bundled files', () => gunzip(gzipSync(new Uint8Array(3 * 1024 * 1024)), 'train-images-idx3-ubyte.gz', { maxBytes: 1_000_000 }).then(() => '(nothing was thrown)', (err: Error) => err.message), 'The file train-images-idx3-ubyte.gz unpacks to more than 1.0 MB, far more than any dataset the app ships, so it is not the file it should be. Download it again.'],
  [
    'a zip of 100,001 files',
    () => thrown(() => readZip(zipFixture(Array.from({ length: 100_001 }, (_, i) => ({ name: `a/${i}.png`, data: new Uint8Array(0) })), { zip64: 'full' }), 'many.zip', () => true)),
    'The archive many.zip holds more than 100,000 files, the most an import reads. Import a smaller part of it.',
  ],
  ['a zip holding only a zip', importing(source('outer.zip', zipSync({ 'inner.zip': zipSync({ 'cat/1.png': png(4, 4) }) }))), 'No images were found (PNG, JPEG, WebP, GIF or BMP). Pick a folder with one sub-folder of images per class, a zip of such a folder, a CSV or JSON index, or cifar-10-binary.tar.gz. 1 file was not read; the list of skipped files says why. [skipped: inner.zip: an archive inside the import is not opened; unpack it and import its folder.]'],
  ['a folder of one class', importing(source('pets/cat/1.png', png(4, 4)), source('pets/cat/2.png', png(4, 4))), 'All the images have the same class ("cat"); a classifier needs at least two. Put each class in its own folder (or give each row its label) and import again.'],
  ['a folder with no images', importing(source('notes/readme.txt', strToU8('hi')), source('notes/a.pdf', strToU8('%PDF'))), 'No images were found (PNG, JPEG, WebP, GIF or BMP). Pick a folder with one sub-folder of images per class, a zip of such a folder, a CSV or JSON index, or cifar-10-binary.tar.gz. 2 files were not read; the list of skipped files says why. [skipped: notes/readme.txt: not an image (the import reads PNG, JPEG, WebP, GIF and BMP files). / notes/a.pdf: not an image (the import reads PNG, JPEG, WebP, GIF and BMP files).]'],
  ['only paths that leave the folder', importing(source('pets.zip', zipSync({ '../cat/1.png': png(4, 4), '../dog/1.png': png(4, 4) }))), 'No images were found (PNG, JPEG, WebP, GIF or BMP). Pick a folder with one sub-folder of images per class, a zip of such a folder, a CSV or JSON index, or cifar-10-binary.tar.gz. 2 files were not read; the list of skipped files says why. [skipped: ../cat/1.png: its path leaves the import\'s folder (".."), as only a damaged or crafted archive has; it is not read. / ../dog/1.png: its path leaves the import\'s folder (".."), as only a damaged or crafted archive has; it is not read.]'],
  ['a CSV with only a header', csv('label,location'), 'The file labels.csv has no usable rows. Each example needs a label and a location (a path, an http(s) URL, or pixel values).'],
  ['a CSV without a location column', csv('label,colour\ncat,red'), 'The first row of labels.csv must name the columns, with at least "label" and "location" (found: "label", "colour"). Add a header row such as: label,location'],
  ['pixels out of range', csv('label,pixels\ncat,"300 0 0 0"'), 'The file labels.csv has no usable rows: Row 2: the pixel value 300 is not a number from 0 to 255. Each example needs a label and a location (a path, an http(s) URL, or pixel values).'],
  ['a javascript: location', csv('label,location\ncat,javascript:alert(1)'), 'The file labels.csv has no usable rows: Row 2: only http(s) URLs can be fetched, not "javascript:alert(1)". Each example needs a label and a location (a path, an http(s) URL, or pixel values).'],
  ['a JSON index that is an object', () => thrown(() => parseJsonIndex('{"cat": "a.png"}', 'index.json')), 'The file index.json must hold an array of objects like {"label": "cat", "location": "cats/1.png"}.'],
]);

/** A tar through the app's own writer (archive.ts), so its headers are valid ones. */
function writeTarOf(files: Record<string, Uint8Array>): Uint8Array {
  return writeTar(Object.entries(files).map(([path, bytes]) => ({ path, bytes })));
}
