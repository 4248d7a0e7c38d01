/**
 * Issue 5's correctness bar on the full dataset: the chapter MLP trained on all 60,000 MNIST
 * images with the same seed reaches the same test accuracy on wasm (with our kernels) as on
 * the cpu backend, within 0.3 points. One epoch: the cpu backend under Node trains the MLP at
 * a few hundred samples per second, so ten epochs would take hours.
 * Run with `npm run verify:chapter` (both backends, roughly 20-40 minutes here).
 */
import { expect, it } from 'vitest';
import { createExperiment, disposeExperiment, evaluateTest, runExperiment } from '../experiment';
import { loadTestDataset, useBackend } from '../testing/datasets';
import { defaultConfig } from '../training/defaults';

const EPOCHS = Number(process.env.VERIFY_EPOCHS ?? 1);

it('full MNIST, same seed: wasm reaches the cpu backend test accuracy within 0.3 points', async () => {
  const mnist = await loadTestDataset('mnist');
  const acc: Record<string, number> = {};
  for (const backend of ['wasm', 'cpu'] as const) {
    await useBackend(backend);
    const exp = createExperiment({ ...defaultConfig(), validationSplit: 0, epochs: EPOCHS, seed: 7 }, mnist);
    const started = Date.now();
    await runExperiment(exp, {});
    acc[backend] = (await evaluateTest(exp)).acc;
    console.log(`${backend}: test accuracy ${(acc[backend]! * 100).toFixed(2)}% after ${EPOCHS} epoch(s), ${Math.round((Date.now() - started) / 1000)} s`);
    disposeExperiment(exp);
  }
  expect(acc.wasm!).toBeGreaterThan(0.95);
  expect(Math.abs(acc.wasm! - acc.cpu!)).toBeLessThanOrEqual(0.003);
});
