/**
 * How fast the current tfjs backend trains a given model, measured: a few real training
 * steps (forward, backward, Adam update) on random data of the model's input shape, after one
 * warm-up step that pays for kernel compilation. Used to pick the fastest backend on this
 * device instead of trusting a fixed order. Pure tfjs: runs in Node and in the worker.
 */
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../model/build';
import { createOptimizer, type OptimizerId } from '../optimizers';
import type { ModelSpec } from '../model/types';
import type { BackendName } from './config';
import { formatCount } from '../format';

export interface SpeedProbeOptions {
  /** Examples per timed step (the run's batch size, usually). */
  batchSize: number;
  /** Timed steps at most (after the warm-up); default 3. */
  maxSteps?: number;
  /** Stop timing once this much time went into timed steps (at least one step runs); default 400 ms. */
  budgetMs?: number;
  /**
   * When the warm-up step alone takes longer than this, time nothing more and estimate from
   * the warm-up (an underestimate: it includes compilation). For backends with nothing to
   * compile (cpu, software GPUs) that are clearly slower than one measured before.
   */
  giveUpAfterMs?: number;
  /**
   * Untimed steps before timing; default 1. The step after the first is often still slower
   * (up to 1.4x with two wasm threads here), so comparing thread counts skips one more.
   */
  warmupSteps?: number;
}

export interface SpeedMeasurement {
  /** Training samples per second. */
  samplesPerSec: number;
  /** Steps timed after the warm-up; 0 means the figure comes from the warm-up step alone. */
  timedSteps: number;
}

/**
 * Training speed of `spec` on the active backend. Throws what the backend throws when it
 * cannot train the model; leaves no tensors behind.
 */
export async function measureTrainingSpeed(
  spec: ModelSpec,
  inputShape: number[],
  numClasses: number,
  options: SpeedProbeOptions,
): Promise<SpeedMeasurement> {
  const { batchSize, maxSteps = 3, budgetMs = 400, giveUpAfterMs = Number.POSITIVE_INFINITY, warmupSteps = 1 } = options;
  const { step, dispose } = syntheticTraining(spec, inputShape, numClasses, batchSize);
  try {
    const w0 = performance.now();
    await step(); // warm-up: kernel compilation, buffer allocation
    const warmup = performance.now() - w0;
    if (warmup > giveUpAfterMs) return { samplesPerSec: (batchSize * 1000) / warmup, timedSteps: 0 };
    for (let i = 1; i < warmupSteps; i++) await step();
    let spent = 0;
    let steps = 0;
    while (steps < maxSteps && (steps === 0 || spent < budgetMs)) {
      const t0 = performance.now();
      await step();
      spent += performance.now() - t0;
      steps++;
    }
    return { samplesPerSec: (steps * batchSize * 1000) / Math.max(spent, 1e-3), timedSteps: steps };
  } finally {
    dispose();
  }
}

/**
 * Real training steps (forward, backward, optimizer update) of `spec` on one fixed batch of
 * random data: what the speed probe times, and the benchmark's kernel profile. `step()`
 * resolves once the device finished; `dispose()` frees everything.
 */
export function syntheticTraining(spec: ModelSpec, inputShape: number[], numClasses: number, batchSize: number, optimizerId: OptimizerId = 'adam') {
  const model = buildModel(spec, inputShape, { seed: 1, numClasses });
  const optimizer = createOptimizer(optimizerId, { learningRate: 1e-3 }); // the app's optimizers (fused on wasm)
  const x = tf.randomUniform([batchSize, ...inputShape], 0, 1, 'float32', 1);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: batchSize }, (_, i) => i % numClasses), 'int32'), numClasses));
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  return {
    step: async () => {
      const loss = optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
        true,
        vars,
      )!;
      await loss.data(); // wait for the device: GPU backends run asynchronously
      loss.dispose();
    },
    dispose: () => {
      tf.dispose([x, y]);
      optimizer.dispose();
      model.dispose();
    },
  };
}

export type SpeedTable = Partial<Record<BackendName, number>>;


/** Why `name` was not chosen although it can train the model, for the learner. */
export function slowerReason(speed: number, winner: BackendName, winnerSpeed: number, cached: boolean): string {
  const when = cached ? 'measured earlier on this device' : 'measured just now';
  return `slower here: about ${formatCount(speed)} samples/s against ${formatCount(winnerSpeed)} on ${winner} (${when})`;
}
