/**
 * The GPU bench's smoke test (issue 15, item 5): the app's training loop on tfjs' webgpu
 * backend under Node, on whatever Dawn finds (SwiftShader's software Vulkan on CI machines,
 * which have Debian's chromium): a few steps of the chapter MLP and the Small CNN, losses
 * finite and falling. Speed is `npm run bench:gpu`'s business, not asserted here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { installNodeWebGpu } from './nodeWebGpu';
import { timeGpuCase } from './gpuBench';
import { loadTestDataset } from '../../core/testing/datasets';
import type { Dataset } from '../../core/data/types';

let mnist: Dataset;
beforeAll(async () => {
  await installNodeWebGpu();
  if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs did not start its webgpu backend on the Dawn adapter');
  mnist = await loadTestDataset('mnist');
});

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('the training loop on WebGPU under Node (Dawn)', () => {
  it.each([
    { model: 'mlp' as const, batchSize: 32, steps: 10 },
    { model: 'small-cnn' as const, batchSize: 8, steps: 8 },
  ])('$model at batch $batchSize: losses finite and falling', async ({ model, batchSize, steps }) => {
    const before = tf.memory().numTensors;
    const r = await timeGpuCase({ model, batchSize }, mnist, { steps, warmupSteps: 2, firstBatch: false, config: { learningRate: 0.005 } });
    expect(r.backend).toBe('webgpu');
    expect(r.losses).toHaveLength(steps);
    expect(r.losses.every(Number.isFinite)).toBe(true);
    const k = 3;
    expect(mean(r.losses.slice(-k))).toBeLessThan(mean(r.losses.slice(0, k)) * 0.9);
    expect(r.samplesPerSec).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});
