/**
 * No correctness loss from the wasm kernel fixes: the same seeded MLP run on wasm and on cpu
 * ends at the same MNIST test accuracy (within 0.3 points, on the first 2,000 test images).
 * A reduced run (1,000 examples, 2 epochs): the full 60,000 x 10 run takes hours on the cpu
 * backend under Node, and this one is the suite's slowest test as it is.
 */
import { beforeAll, expect, it } from 'vitest';
import { createExperiment, disposeExperiment, evaluateTest, runExperiment } from '../experiment';
import { loadTestDataset, useBackend } from '../testing/datasets';
import { defaultConfig } from '../training/defaults';
import type { Dataset } from '../data/types';

const TEST_IMAGES = 2000;

let mnist: Dataset;
beforeAll(async () => {
  const full = await loadTestDataset('mnist');
  const pixels = full.shape[0] * full.shape[1] * full.shape[2];
  mnist = {
    ...full,
    test: {
      images: full.test.images.subarray(0, TEST_IMAGES * pixels),
      labels: full.test.labels.subarray(0, TEST_IMAGES),
      count: TEST_IMAGES,
    },
  };
});

it('the seeded MLP reaches the same test accuracy on wasm as on cpu', async () => {
  const acc: Record<string, number> = {};
  for (const backend of ['wasm', 'cpu'] as const) {
    await useBackend(backend);
    const exp = createExperiment({ ...defaultConfig(), trainingExamples: 1000, epochs: 2, batchSize: 32, validationSplit: 0, seed: 5 }, mnist);
    await runExperiment(exp, {});
    acc[backend] = (await evaluateTest(exp)).acc;
    disposeExperiment(exp);
  }
  console.log('test accuracy', acc);
  expect(acc.wasm!).toBeGreaterThan(0.8);
  expect(Math.abs(acc.wasm! - acc.cpu!)).toBeLessThanOrEqual(0.003);
}, 900_000);
