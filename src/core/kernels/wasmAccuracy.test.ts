/**
 * No correctness loss from the wasm kernel fixes: the same seeded MLP run on wasm and on cpu
 * ends at the same MNIST test accuracy (within 0.3 points). A reduced run (3,000 examples,
 * 2 epochs): the full 60,000 x 10 run takes hours on the cpu backend under Node.
 */
import { beforeAll, expect, it } from 'vitest';
import { createExperiment, disposeExperiment, evaluateTest, runExperiment } from '../experiment';
import { loadTestDataset, useBackend } from '../testing/datasets';
import { defaultConfig } from '../training/defaults';
import type { Dataset } from '../data/types';

let mnist: Dataset;
beforeAll(async () => {
  mnist = await loadTestDataset('mnist');
});

it('the seeded MLP reaches the same test accuracy on wasm as on cpu', async () => {
  const acc: Record<string, number> = {};
  for (const backend of ['wasm', 'cpu'] as const) {
    await useBackend(backend);
    const exp = createExperiment({ ...defaultConfig(), trainingExamples: 3000, epochs: 2, batchSize: 32, validationSplit: 0, seed: 5 }, mnist);
    await runExperiment(exp, {});
    acc[backend] = (await evaluateTest(exp)).acc;
    disposeExperiment(exp);
  }
  console.log('test accuracy', acc);
  expect(acc.wasm!).toBeGreaterThan(0.85);
  expect(Math.abs(acc.wasm! - acc.cpu!)).toBeLessThanOrEqual(0.003);
}, 900_000);
