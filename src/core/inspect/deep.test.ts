/**
 * The Layers chart against the reference: the 40×Dense(64) preset on normalized MNIST with
 * Keras' defaults (Glorot-uniform kernels, zero biases, Adam 0.001, batch 32), epoch-1 means
 * of the weight-gradient RMS measured with PyTorch: 1.2e-11 at hidden layer 1, 1.2e-10 at
 * layer 20, 9.4e-5 at layer 40, 7.1e-4 at the output. Here within one order of magnitude.
 *
 * Those epoch means are set by the first few dozen steps for the first layers: their
 * gradients start near 5e-9 and fall below 1e-12 within about 60 steps, while the last
 * layers' rise to a level they keep. So the first 200 steps (6,400 examples) are measured at
 * every step and the level of their last 20 stands in for the remaining 1,675 steps of the
 * reference epoch. The run is chaotic: with seed 42 it stays stuck as the reference run did
 * (estimates 1.8e-11, 1.3e-10, 1.2e-4, 5.2e-4); seeds 1 and 7 escape within 100-150 steps and
 * their first layers' gradients recover to 1e-3.
 */
import { describe, expect, it } from 'vitest';
import { createExperiment, disposeExperiment, runExperiment } from '../experiment';
import { loadTestDataset, useBackend } from '../testing/datasets';
import { defaultConfig } from '../training/defaults';
import { presetSpec } from '../model/presets';
import { addAfterEach } from '../model/edit';
import type { ExperimentConfig } from '../training/config';
import type { TrainEvent } from '../callbacks/types';
import type { LayerStatsSample } from './stats';
import { layersReading } from './reading';
import { inspectedLayers } from './probe';

const EPOCH_STEPS = 1875; // 60,000 / 32

async function measure(patch: Partial<ExperimentConfig>) {
  await useBackend('wasm');
  const mnist = await loadTestDataset('mnist');
  const config = { ...defaultConfig(), epochs: 1, validationSplit: 0, inspectEvery: 1, checkpoints: undefined, ...patch };
  const exp = createExperiment(config, mnist);
  const samples: LayerStatsSample[] = [];
  const events: TrainEvent[] = [];
  let rows: { name: string; kind: string }[] = [];
  try {
    await runExperiment(exp, {
      callbacks: [{ onTrainBegin: (ctx) => void (rows = inspectedLayers(ctx.model)), onLayerStats: (s) => void samples.push(s) }],
      onEvent: (e) => void events.push(e),
    });
  } finally {
    disposeExperiment(exp);
  }
  return { samples, events, names: rows.map((r) => r.name), kinds: rows.map((r) => r.kind) };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const orders = (v: number) => Math.log10(v);

describe('40 Dense(64) layers on normalized MNIST (wasm)', () => {
  it('shows the reference orders of magnitude: vanishing gradients', async () => {
    const { samples } = await measure({ model: presetSpec('deep-mlp', 10), trainingExamples: 6400, seed: 42 });
    expect(samples).toHaveLength(200);
    expect(samples[0]!.gradRms).toHaveLength(41);
    const epochMean = (layer: number) => {
      const g = samples.map((s) => s.gradRms[layer]!);
      const tail = mean(g.slice(-20));
      return (g.reduce((a, b) => a + b, 0) + (EPOCH_STEPS - g.length) * tail) / EPOCH_STEPS;
    };
    const reference: [number, number][] = [[0, 1.2e-11], [19, 1.2e-10], [39, 9.4e-5], [40, 7.1e-4]];
    const got = reference.map(([layer]) => epochMean(layer));
    console.log('epoch-1 mean gradient RMS, layers 1, 20, 40, output:', got.map((v) => v.toExponential(1)).join(' '));
    reference.forEach(([, want], i) => expect(Math.abs(orders(got[i]!) - orders(want))).toBeLessThanOrEqual(1));
    const last = samples.at(-1)!;
    expect(layersReading({ names: [], gradRms: last.gradRms })).toMatch(/times smaller than at the output.*vanishing gradients/);
  });

  it('with BatchNormalization after every Dense layer, the first layers get gradients again', async () => {
    const spec = presetSpec('deep-mlp', 10);
    const { samples, names, kinds } = await measure({ model: { layers: addAfterEach(spec.layers, 'batchNormalization').layers }, trainingExamples: 320 });
    // A row per Dense kernel (41) and per BatchNormalization's gamma (40), interleaved.
    expect(samples[0]!.gradRms).toHaveLength(81);
    expect(kinds.filter((k) => k === 'Dense')).toHaveLength(41);
    expect(kinds.slice(0, 3)).toEqual(['Dense', 'BatchNormalization', 'Dense']);
    const all = Array.from({ length: 81 }, (_, k) => mean(samples.map((s) => s.gradRms[k]!)));
    const dense = all.filter((_, k) => kinds[k] === 'Dense');
    console.log('with BN, mean gradient RMS, layers 1, 20, 40, output:', [0, 19, 39, 40].map((k) => dense[k]!.toExponential(1)).join(' '));
    // No Dense layer below 1e-3 (without BN the first ones are 1e-9..1e-13), none above 1e4.
    for (const m of dense) {
      expect(m).toBeGreaterThan(1e-3);
      expect(m).toBeLessThan(1e4);
    }
    expect(dense[0]! / dense[40]!).toBeGreaterThan(0.1);
    // PyTorch on the same model (Dense+ReLU then BatchNorm1d(eps 1e-3), Glorot, Adam 1e-3, batch
    // 32, normalized MNIST), first 10 steps: 2.3e2-2.6e2 at hidden layer 1, 4.2-4.5 at layer 20,
    // 3.8e-2-3.9e-2 at layer 40, 5.7e-2-5.9e-2 at the output. So BN does not level the gradients
    // at the start: it turns 1e-11 into 1e2 at the first layer (they fall during the epoch, to
    // 1.5 at layer 1 and 5.0e-2 at the output by its last step). Here within one order.
    const bnReference: [number, number][] = [[0, 2.4e2], [19, 4.3], [39, 3.9e-2], [40, 5.8e-2]];
    bnReference.forEach(([layer, want]) => expect(Math.abs(orders(dense[layer]!) - orders(want))).toBeLessThanOrEqual(1));
    // The BN rows learn too (gamma gets a gradient), and the reading does not call it vanishing.
    all.forEach((m, k) => kinds[k] === 'BatchNormalization' && expect(m).toBeGreaterThan(1e-6));
    const last = samples.at(-1)!;
    const reading = layersReading({ names, kinds, gradRms: last.gradRms, actZero: last.actZero });
    console.log('with BN, the reading:', reading);
    expect(reading).not.toMatch(/vanishing/);
  });
});

describe('exploding gradients', () => {
  it('SGD at learning rate 3 on the MLP gets an explodingGradients event', async () => {
    const { events } = await measure({ optimizer: 'sgd', learningRate: 3, trainingExamples: 640, inspectEvery: 2 });
    const e = events.find((x) => x.kind === 'explodingGradients');
    expect(e, JSON.stringify(events.map((x) => x.kind))).toBeDefined();
    expect(e!.message).toMatch(/exploding gradients/);
  });
  it('Adam at its default rate gets none', async () => {
    const { events } = await measure({ trainingExamples: 640, inspectEvery: 2 });
    expect(events.filter((x) => x.kind === 'explodingGradients')).toEqual([]);
  });
});
