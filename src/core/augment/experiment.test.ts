import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createExperiment, disposeExperiment, evaluateTest, experimentProblems, runExperiment } from '../experiment';
import { defaultConfig } from '../training/defaults';
import { evaluate } from '../training/train';
import { preprocess } from '../data/preprocess';
import { loadSyntheticDataset } from '../data/shapes';
import { useBackend } from '../testing/datasets';
import type { ExperimentConfig } from '../training/config';
import type { EpochSummary } from '../callbacks/types';
import type { Dataset } from '../data/types';
import { DEFAULT_AUGMENTATION, type AugmentationConfig } from './augment';
import { batchAugmentation, pixelRange, previewAugmentation } from './experiment';
import { evaluateInvariance, INVARIANCE_SWEEPS } from './invariance';

let shapes: Dataset;
beforeAll(async () => {
  shapes = loadSyntheticDataset('shapes-centred');
  await useBackend('cpu');
});

const everything: AugmentationConfig = {
  fraction: 1,
  flipH: true,
  flipV: true,
  rot90: true,
  rotateDeg: 30,
  shiftW: 0.2,
  shiftH: 0.2,
  shiftMode: 'pad',
  zoom: 0.2,
  brightness: 0.3,
};
const small = (augmentation: AugmentationConfig, patch: Partial<ExperimentConfig> = {}): ExperimentConfig => ({
  ...defaultConfig(),
  datasetId: 'shapes-centred',
  trainingExamples: 400,
  validationSplit: 0.25,
  epochs: 1,
  batchSize: 25,
  model: {
    layers: [
      { type: 'flatten' },
      { type: 'dense', units: 24, activation: 'relu' },
      { type: 'dense', units: 5, activation: 'softmax' },
    ],
  },
  augmentation,
  ...patch,
});

async function train(cfg: ExperimentConfig) {
  const exp = createExperiment(cfg, shapes);
  const epochs: EpochSummary[] = [];
  await runExperiment(exp, { callbacks: [{ onEpochEnd: (e) => void epochs.push(e) }] });
  return { exp, epochs };
}

describe('augmentation in training', () => {
  it('never touches the validation split: the logged validation equals a clean evaluation', async () => {
    const { exp, epochs } = await train(small(everything));
    const clean = await evaluate(exp.model, exp.data.validation!, exp.config.loss, 256);
    expect(epochs[0]!.logs.val_loss).toBeCloseTo(clean.loss, 6);
    expect(epochs[0]!.logs.val_acc).toBe(clean.acc);
    // The validation tensor still holds exactly the preprocessed pixels of the held-out images.
    const val = exp.data.validation!;
    const first = await val.x.slice(0, 1).data();
    const px = preprocess(shapes.train.images, 784, Int32Array.from({ length: shapes.train.count }, (_, i) => i), 'normalize');
    let found = false;
    for (let i = 0; i < shapes.train.count && !found; i++) {
      found = first.every((v, k) => v === px[i * 784 + k]);
    }
    expect(found).toBe(true);
    disposeExperiment(exp);
  });

  it('repeats exactly with the same seed, and differs from training without augmentation', async () => {
    const a = await train(small(everything));
    const b = await train(small(everything));
    const off = await train(small({ ...DEFAULT_AUGMENTATION }));
    expect(a.epochs[0]!.logs).toEqual(b.epochs[0]!.logs);
    expect(a.epochs[0]!.logs.loss).not.toBe(off.epochs[0]!.logs.loss);
    [a, b, off].forEach((r) => disposeExperiment(r.exp));
  });

  it('adds no transform when everything is off, and explains settings it cannot use', () => {
    expect(batchAugmentation(small({ ...DEFAULT_AUGMENTATION }), { mean: 0, std: 1 })).toBeUndefined();
    expect(batchAugmentation(small({ ...everything, fraction: 0 }), { mean: 0, std: 1 })).toBeUndefined();
    expect(batchAugmentation(small(everything), { mean: 0, std: 1 })).toBeTypeOf('function');
    const wide = { ...shapes, name: 'Wide', shape: [28, 32, 1] as [number, number, number] };
    expect(experimentProblems(small(everything), wide).join(' ')).toMatch(/needs square images/);
    expect(experimentProblems(small({ ...everything, fraction: 2 }), shapes).join(' ')).toMatch(/Augmented fraction/);
  });

  it('fills with the preprocessed black and clips at the preprocessed white', () => {
    expect(pixelRange('normalize', { mean: 0, std: 1 })).toEqual({ black: 0, white: 1 });
    expect(pixelRange('center', { mean: 0, std: 1 })).toEqual({ black: -1, white: 1 });
    const st = pixelRange('standardize', { mean: 51, std: 2 });
    expect(st.black).toBeCloseTo(-25.5);
    expect(st.white).toBeCloseTo(102);
  });
});

describe('preview', () => {
  it('shows one image per class with augmented versions and their parameters, repeatable per round', () => {
    const a = previewAugmentation(shapes, everything, { seed: 3, round: 0, images: 3, versions: 4 });
    expect(a.map((i) => i.label)).toEqual([0, 1, 2]);
    expect(a[0]!.versions).toHaveLength(4);
    expect(a[0]!.versions[0]!.pixels.length).toBe(784);
    expect(a.flatMap((i) => i.versions.map((v) => v.params)).join(' ')).toMatch(/rotate|zoom|shift|flip|turn|bright/);
    const again = previewAugmentation(shapes, everything, { seed: 3, round: 0, images: 3, versions: 4 });
    expect(again).toEqual(a);
    const next = previewAugmentation(shapes, everything, { seed: 3, round: 1, images: 3, versions: 4 });
    expect(next[0]!.versions[0]!.pixels).not.toEqual(a[0]!.versions[0]!.pixels);
  });
});

describe('invariance evaluation', () => {
  it('sweeps shift, rotation and zoom; no change equals the plain test accuracy; big shifts hurt a centred model', async () => {
    const { exp } = await train(small({ ...DEFAULT_AUGMENTATION }, { epochs: 3, trainingExamples: 1000 }));
    const plain = await evaluateTest(exp);
    const before = tf.memory().numTensors;
    const points = await evaluateInvariance({
      model: exp.model,
      test: exp.test!,
      loss: exp.config.loss,
      range: pixelRange(exp.config.preprocessing, exp.data.stats),
      seed: 1,
      maxExamples: 1000,
    });
    expect(tf.memory().numTensors).toBe(before);
    const total = Object.values(INVARIANCE_SWEEPS).reduce((s, w) => s + w.amounts.length, 0);
    expect(points).toHaveLength(total);
    const at = (sweep: string, amount: number) => points.find((p) => p.sweep === sweep && p.amount === amount)!.acc;
    expect(at('shift', 0)).toBe(plain.acc);
    expect(at('zoom', 1)).toBe(plain.acc);
    expect(plain.acc).toBeGreaterThan(0.6);
    expect(at('shift', 0.4)).toBeLessThan(plain.acc - 0.2);
    disposeExperiment(exp);
  });
});
