/**
 * The chapter's reference run (CHAPTER.md section 3): the Dense 512-512 MLP, Adam, batch 32,
 * normalized MNIST, 10 epochs on the full training set. The chapter reports about 97.8%
 * training accuracy by epoch 2 and about 99.4% training / 97.9% test accuracy after 10.
 * Run with `npm run verify:chapter` (wasm backend under Node, roughly 15-25 minutes).
 */
import { expect, it } from 'vitest';
import { createExperiment, disposeExperiment, evaluateTest, runExperiment } from './experiment';
import { loadTestDataset, useBackend } from './testing/datasets';
import { defaultConfig } from './training/defaults';
import type { EpochSummary } from './callbacks/types';

it('the chapter MLP on normalized MNIST reaches the chapter accuracy', async () => {
  await useBackend('wasm');
  const mnist = await loadTestDataset('mnist');
  const exp = createExperiment({ ...defaultConfig(), validationSplit: 0, epochs: 10 }, mnist);
  const epochs: EpochSummary[] = [];
  await runExperiment(exp, {
    callbacks: [
      {
        onEpochEnd: (e) => {
          epochs.push(e);
          console.log(`epoch ${e.epoch + 1}: loss ${e.logs.loss.toFixed(4)}, acc ${(e.logs.acc * 100).toFixed(2)}%, ` +
            `${Math.round((e.samples * 1000) / e.trainMs)} samples/s`);
        },
      },
    ],
  });
  const test = await evaluateTest(exp);
  console.log(`test accuracy ${(test.acc * 100).toFixed(2)}%, test loss ${test.loss.toFixed(4)}`);
  disposeExperiment(exp);
  expect(epochs[1]!.logs.acc).toBeGreaterThan(0.97);
  expect(epochs[9]!.logs.acc).toBeGreaterThan(0.99);
  expect(test.acc).toBeGreaterThan(0.975);
});
