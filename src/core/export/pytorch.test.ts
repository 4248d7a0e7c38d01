/**
 * The exported PyTorch script, generated and checked against the app's own code: every layer
 * type, optimizer, schedule, augmentation, preprocessing, activation and loss the app has
 * must have a mapping (the lists come from the app's tables, so a new entry without one fails
 * here), and in Python the script's random streams, split, statistics, schedules,
 * augmentations and optimizer rules must give the app's numbers. Slower checks (trained
 * models, torchrun) are in pytorch.run.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { pytorchScript } from './pytorch';
import { scriptCoverage, SCRIPT_REGISTRIES, type ScriptRegistry } from '../testing/scriptCoverage';
import { toDocument } from '../share/codec';
import { defaultConfig } from '../training/defaults';
import { BUILTIN_DATASETS } from '../data/builtin';
import { LAYER_TYPES, ACTIVATIONS } from '../model/layers';
import { OPTIMIZER_IDS } from '../optimizers/catalog';
import { SCHEDULE_IDS, SCHEDULES, defaultParams, type ScheduleId } from '../schedules/schedules';
import { AUGMENTATIONS, DEFAULT_AUGMENTATION, type AugmentationConfig } from '../augment/settings';
import { augmentRng, applyAugmentation, sampleParams } from '../augment/augment';
import { PREPROCESSING, computeStats, preprocess } from '../data/preprocess';
import { LOSS_CATALOG } from '../training/losses-catalog';
import { createRng, deriveSeed } from '../rng';
import { layerSeed } from '../model/build';
import { stratifiedSplit, stratifiedSubset } from '../data/split';
import { foldForEpoch, stratifiedFolds } from '../training/crossValidation';
import { loadTestDataset, useBackend } from '../testing/datasets';
import { MNIST_DIR, PYTHON, requireTorch, run, scratch, writeFile } from '../testing/python';
import type { Dataset } from '../data/types';

/** What the app has, from its own tables: the script must map every one of these. */
const APP: Record<ScriptRegistry, readonly string[]> = {
  LAYERS: Object.keys(LAYER_TYPES),
  OPTIMIZERS: OPTIMIZER_IDS,
  SCHEDULES: SCHEDULE_IDS,
  AUGMENTATIONS: Object.keys(AUGMENTATIONS),
  PREPROCESSING: Object.keys(PREPROCESSING),
  ACTIVATIONS,
  LOSSES: Object.keys(LOSS_CATALOG),
};

const sorted = (xs: readonly string[]) => [...xs].sort();
const mnistDoc = (patch: Partial<ReturnType<typeof defaultConfig>> = {}) =>
  toDocument({ ...defaultConfig(), ...patch }, { kind: 'builtin', id: 'mnist' });

function script(doc = mnistDoc()): string {
  const r = pytorchScript(doc, BUILTIN_DATASETS.mnist);
  if (!r.ok) throw new Error(r.problem);
  return r.text;
}

describe('the generator', () => {
  it.each(SCRIPT_REGISTRIES)('maps every one of the app\'s %s, and nothing else', (name) => {
    expect(APP[name].length).toBeGreaterThan(1);
    expect(sorted(scriptCoverage()[name])).toEqual(sorted(APP[name]));
  });

  it('notices a registry entry that is missing (the check can fail)', () => {
    const source = script().replace(/^ {4}"nadam": Nadam,\n/m, '');
    expect(scriptCoverage(source).OPTIMIZERS).not.toContain('nadam');
    expect(scriptCoverage(source).OPTIMIZERS).toHaveLength(OPTIMIZER_IDS.length - 1);
  });

  it('embeds the experiment, the dataset and the app\'s defaults, leaving no marker', () => {
    const text = script(mnistDoc({ checkpoints: { ...defaultConfig().checkpoints!, nameTemplate: 'x-"""-{epoch}' } }));
    expect(text).not.toMatch(/__[A-Z]+__/);
    expect(text).toContain('"nameTemplate": "x-\\"\\"\\"-{epoch}"');
    expect(text).toContain('train_pytorch.py --data DIR');
  });

  it('refuses the generated Shapes datasets, saying what to pick instead', () => {
    const doc = toDocument(defaultConfig(), { kind: 'builtin', id: 'shapes' });
    const r = pytorchScript(doc, { name: 'Shapes', shape: [28, 28, 1], classNames: ['a', 'b'] });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problem).toMatch(/drawn by the app in the browser.*Pick MNIST/);
  });
});

describe('inside Python, the script computes what the app computes', () => {
  let mnist: Dataset;
  let out: Record<string, any>;
  const seed = 42;
  const labels = ['split', 'shuffle', 'dropout', 'augment', 'step 7', 'fold-round:3', 'é→'];
  const schedules = SCHEDULE_IDS.filter((id) => SCHEDULES[id].lr).map((id) => ({
    id,
    lr0: 0.01,
    total: 40,
    steps: 45,
    params: (id === 'step' ? { staircase: 0 } : id === 'fixed' ? { decay: 0.0002 } : {}) as Record<string, number>,
  }));
  const augConfigs: AugmentationConfig[] = [
    { ...DEFAULT_AUGMENTATION, fraction: 0.8, flipH: true, flipV: true, rot90: true, rotateDeg: 30, shiftW: 0.2, shiftH: 0.1, shiftMode: 'pad', zoom: 0.2, brightness: 0.3 },
    { ...DEFAULT_AUGMENTATION, fraction: 1, shiftW: 0.3, shiftH: 0.2, shiftMode: 'roll', brightness: 0.5 },
  ];
  let augInputs: { x: number[]; shape: number[]; black: number; white: number }[];

  beforeAll(async () => {
    const version = requireTorch();
    expect(version).toMatch(/^\d+\.\d+/);
    mnist = await loadTestDataset('mnist');
    await useBackend('cpu');
    const dir = scratch();
    const path = writeFile(dir, 'train_pytorch.py', script());
    const idx = Int32Array.from({ length: 6 }, (_, i) => i * 7);
    augInputs = augConfigs.map((_, k) => {
      const method = k === 0 ? 'normalize' : 'center';
      const x = Array.from(preprocess(mnist.train.images, 784, idx, method));
      const range = preprocess(Uint8Array.of(0, 255), 1, Int32Array.of(0, 1), method);
      return { x, shape: [6, 28, 28, 1], black: range[0]!, white: range[1]! };
    });
    const input = {
      registries: SCRIPT_REGISTRIES,
      trajectories: fileURLToPath(new URL('../optimizers/reference/optimizer-trajectories.json', import.meta.url)),
      schedules,
      rng: { seed, labels },
      split: { images: `${MNIST_DIR}train-images-idx3-ubyte.gz`, labels: `${MNIST_DIR}train-labels-idx1-ubyte.gz`, seed, examples: 10_000, validationSplit: 0.1 },
      augment: augConfigs.map((config, k) => ({ config, seed, step: 7 + k, ...augInputs[k]! })),
    };
    const verify = fileURLToPath(new URL('./verify.py', import.meta.url));
    const result = await run(PYTHON, [verify, path, writeFile(dir, 'input.json', JSON.stringify(input))]);
    out = JSON.parse(result.stdout);
  });

  it.each(SCRIPT_REGISTRIES)('%s: Python reads the same ids from the script as the app has', (name) => {
    expect(sorted(out.registries[name])).toEqual(sorted(APP[name]));
  });

  it('reads the embedded experiment back exactly', () => {
    expect(out.experiment).toEqual(mnistDoc());
    expect(out.dataset).toEqual({ id: 'mnist', name: 'MNIST', shape: [28, 28, 1], classNames: BUILTIN_DATASETS.mnist.classNames });
  });

  it.each(OPTIMIZER_IDS)('%s follows the reference trajectory to 1e-5 (its own class, not torch.optim)', (id) => {
    const t = out.trajectories[id];
    expect(t, `no trajectory for ${id}`).toBeDefined();
    expect(t.maxError).toBeLessThan(1e-5);
    expect(t.moved).toBeGreaterThan(1e-3);
    expect(t.class.toLowerCase()).toBe(id);
  });

  it('gives every planned schedule the app\'s rate at every step', () => {
    for (const s of schedules) {
      const want = Array.from({ length: s.steps }, (_, t) =>
        SCHEDULES[s.id as ScheduleId].lr!(t, { lr0: s.lr0, params: { ...defaultParams(s.id), ...s.params }, totalSteps: s.total }),
      );
      const got = out.schedules[s.id] as number[];
      got.forEach((v, t) => expect(Math.abs(v - want[t]!), `${s.id} at step ${t}`).toBeLessThan(1e-12));
    }
  });

  it('draws the same random streams and seeds', () => {
    const rng = createRng(seed);
    expect(out.rng.next).toEqual(Array.from({ length: 5 }, () => rng.next()));
    expect(out.rng.int).toEqual(Array.from({ length: 5 }, () => rng.int(1000)));
    expect(out.rng.derived).toEqual(labels.map((l) => deriveSeed(seed, l)));
    expect(out.rng.layerSeeds).toEqual([0, 1, 2, 3].map((i) => layerSeed(seed, i)));
  });

  it('picks the same stratified subset, validation split and folds, with the same statistics', () => {
    const rng = createRng(deriveSeed(seed, 'split'));
    const chosen = stratifiedSubset(mnist.train.labels, 10, 10_000, rng);
    const split = stratifiedSplit(chosen, mnist.train.labels, 10, 0.1, rng);
    expect(out.split.train).toEqual(Array.from(split.train));
    expect(out.split.validation).toEqual(Array.from(split.validation));
    expect(out.split.stats).toEqual(computeStats(mnist.train.images, 784, split.train));
    expect(out.folds).toEqual(stratifiedFolds(chosen, mnist.train.labels, 10, 5, seed).map((f) => f.length));
    expect(out.foldOrder).toEqual(Array.from({ length: 12 }, (_, e) => foldForEpoch(seed, e, 5)));
  });

  it.each([0, 1])('augments a batch as the app does (case %i)', (k) => {
    const a = augConfigs[k]!;
    const { x, shape, black, white } = augInputs[k]!;
    const params = sampleParams(a, 6, 28, 28, augmentRng(seed, 7 + k));
    expect(params.filter((p) => p.augmented).length).toBeGreaterThan(2);
    const want = tf.tidy(() => Array.from(applyAugmentation(tf.tensor4d(x, shape as [number, number, number, number]), params, a.shiftMode, { black, white }).dataSync()));
    const got = out.augment[k] as number[];
    expect(got).toHaveLength(want.length);
    let worst = 0;
    got.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - want[i]!))));
    expect(worst).toBeLessThan(1e-4);
    // Not a trivial pass: the batch changed.
    expect(want.some((v, i) => Math.abs(v - x[i]!) > 0.1)).toBe(true);
  });

  it('explains a learner\'s mistake in the script (what went wrong, what to do), without a traceback', async () => {
    const dir = scratch();
    const path = writeFile(dir, 'train_pytorch.py', script());
    const empty = scratch('no-data-');
    const failure = await run(PYTHON, [path, '--data', empty, '--epochs', '1']).then(
      () => null,
      (err: Error) => err.message,
    );
    expect(failure).toMatch(/error: --data .* has no class folders with images; a classifier needs at least two classes, one sub-folder of images per class/);
    expect(failure).not.toMatch(/Traceback/);
  });

  it('uses the same reference file as the shared material', () => {
    const shared = '/work/shared/reference/optimizer-trajectories.json';
    let text: string | null = null;
    try {
      text = readFileSync(shared, 'utf8');
    } catch {
      return; // CI clones only this repository: the copy beside the optimizers is the reference
    }
    expect(readFileSync(new URL('../optimizers/reference/optimizer-trajectories.json', import.meta.url), 'utf8')).toBe(text);
  });
});
