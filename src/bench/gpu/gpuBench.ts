/**
 * The WebGPU path timed outside the browser (issue 15, item 5): the app's own training loop
 * (core/experiment, the same one the worker runs) on tfjs' webgpu backend, which under Node
 * gets its GPU from the `webgpu` npm package (Dawn, Chrome's WebGPU). `./node.ts` sets that up
 * and prints the JSON; this file only trains and times, so the smoke test in the suite runs
 * the very code the bench runs.
 *
 * Per case: samples/s over the steps after a warm-up (the first steps compile shaders), the
 * time from creating the experiment to the first finished batch, and every batch loss (the
 * smoke test checks they are finite and falling).
 */
import * as tf from '@tensorflow/tfjs';
import { createExperiment, disposeExperiment, runExperiment } from '../../core/experiment';
import { defaultConfig } from '../../core/training/defaults';
import { presetSpec } from '../../core/model/presets';
import type { Dataset } from '../../core/data/types';
import type { ExperimentConfig } from '../../core/training/config';

export interface GpuCase {
  model: 'mlp' | 'small-cnn';
  batchSize: number;
}

/** The cases: the chapter MLP at batch 32, 128 and 512, the Small CNN at 64 and 256. */
export const GPU_CASES: readonly GpuCase[] = [
  { model: 'mlp', batchSize: 32 },
  { model: 'mlp', batchSize: 128 },
  { model: 'mlp', batchSize: 512 },
  { model: 'small-cnn', batchSize: 64 },
  { model: 'small-cnn', batchSize: 256 },
];

export interface GpuCaseResult extends GpuCase {
  backend: string;
  steps: number;
  warmupSteps: number;
  samplesPerSec: number;
  /** Creating the experiment (model, optimizer, data upload) to the first batch's loss, ms. */
  firstBatchMs: number | null;
  losses: number[];
}

/** The experiment of a case: the app's defaults (Adam, lr 0.001, normalize) and its model. */
function caseConfig(c: GpuCase, dataset: Dataset, steps: number, patch?: Partial<ExperimentConfig>): ExperimentConfig {
  return {
    ...defaultConfig(),
    model: presetSpec(c.model, dataset.classNames.length),
    batchSize: c.batchSize,
    trainingExamples: Math.min(dataset.train.count, Math.max(1024, steps * c.batchSize)),
    epochs: 1,
    stepsPerEpoch: steps,
    validationSplit: 0,
    checkpoints: undefined,
    inspectEvery: 0,
    ...patch,
  };
}

/** Trains `config` and returns every batch loss; `onBatchBegin` sees each step start. */
async function trainLosses(config: ExperimentConfig, dataset: Dataset, onBatchBegin?: (step: number) => void) {
  const exp = createExperiment(config, dataset);
  const losses: number[] = [];
  const sizes: number[] = [];
  try {
    await runExperiment(exp, {
      // Losses are read back once a second, as the worker does on a GPU (never every step).
      flushIntervalMs: 1000,
      callbacks: [
        {
          onBatchBegin: (info) => onBatchBegin?.(info.step),
          onBatchEnd(log) {
            losses.push(log.loss);
            sizes.push(log.size);
          },
        },
      ],
    });
  } finally {
    disposeExperiment(exp);
  }
  return { losses, sizes };
}

/**
 * Times case `c` on the backend tfjs runs now (set it first): first one batch from nothing
 * (experiment built, data uploaded, the step run and its loss read back: `firstBatchMs`),
 * then `steps` batches, timed after `warmupSteps` (shader compilation, first uploads). The
 * run ends by reading every loss back, so the timed span includes all of the device's work.
 */
export async function timeGpuCase(
  c: GpuCase,
  dataset: Dataset,
  opts: { steps: number; warmupSteps?: number; config?: Partial<ExperimentConfig>; firstBatch?: boolean },
): Promise<GpuCaseResult> {
  const warmupSteps = Math.min(opts.warmupSteps ?? 5, Math.max(0, opts.steps - 1));
  let firstBatchMs: number | null = null;
  if (opts.firstBatch ?? true) {
    const t0 = performance.now();
    await trainLosses(caseConfig(c, dataset, 1, opts.config), dataset);
    firstBatchMs = performance.now() - t0;
  }
  let timedFrom = 0;
  const { losses, sizes } = await trainLosses(caseConfig(c, dataset, opts.steps, opts.config), dataset, (step) => {
    if (step === warmupSteps) timedFrom = performance.now();
  });
  const timedMs = performance.now() - timedFrom;
  const timedSamples = sizes.slice(warmupSteps).reduce((a, b) => a + b, 0);
  return {
    ...c,
    backend: tf.getBackend(),
    steps: losses.length,
    warmupSteps,
    samplesPerSec: Math.round((timedSamples * 1000) / Math.max(1e-6, timedMs)),
    firstBatchMs: firstBatchMs === null ? null : Math.round(firstBatchMs),
    losses,
  };
}
