/**
 * One experiment from plain config to trained model: the single entry point that the worker,
 * the benchmark and the Node tests share, so they all train the same way.
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from './data/types';
import { buildModel } from './model/build';
import { analyzeModel } from './model/analyze';
import { createOptimizer } from './optimizers';
import { validateSettings, type ExperimentConfig } from './training/config';
import { prepareData, prepareTest, type PreparedData } from './training/prepare';
import { evaluate, train, type TensorData, type TrainControl, type TrainResult } from './training/train';
import { nanGuard } from './callbacks/nanGuard';
import type { Callback, TrainEvent } from './callbacks/types';
import { augmentationProblems, batchAugmentation } from './augment/experiment';

export interface Experiment {
  config: ExperimentConfig;
  dataset: Dataset;
  model: tf.Sequential;
  optimizer: tf.Optimizer;
  data: PreparedData;
  /** Uploaded on first use. */
  test: TensorData | null;
}

/** Every reason this config cannot train on this dataset, in words for a learner. */
export function experimentProblems(config: ExperimentConfig, dataset: Dataset): string[] {
  const numClasses = dataset.classNames.length;
  const analysis = analyzeModel(config.model, dataset.shape, numClasses);
  const settings = validateSettings(config, { name: dataset.name, trainCount: dataset.train.count, numClasses });
  return [...analysis.errors, ...settings.map((s) => s.message), ...augmentationProblems(config, dataset)];
}

/** Builds the model, the optimizer and the data tensors. Throws if the config is invalid. */
export function createExperiment(config: ExperimentConfig, dataset: Dataset): Experiment {
  const problems = experimentProblems(config, dataset);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  const data = prepareData(dataset, config);
  try {
    const model = buildModel(config.model, dataset.shape, { seed: config.seed, numClasses: dataset.classNames.length });
    const optimizer = createOptimizer(config.optimizer, { learningRate: config.learningRate });
    return { config, dataset, model, optimizer, data, test: null };
  } catch (err) {
    data.dispose();
    throw err;
  }
}

/** Trains the experiment's model with the config's settings. */
export function runExperiment(
  exp: Experiment,
  options: {
    callbacks?: Callback[];
    control?: TrainControl;
    flushIntervalMs?: number;
    onEvent?: (event: TrainEvent) => void;
  } = {},
): Promise<TrainResult> {
  return train({
    model: exp.model,
    optimizer: exp.optimizer,
    loss: exp.config.loss,
    train: exp.data.train,
    validation: exp.data.validation,
    epochs: exp.config.epochs,
    batchSize: exp.config.batchSize,
    seed: exp.config.seed,
    callbacks: [nanGuard(), ...(options.callbacks ?? [])],
    control: options.control,
    flushIntervalMs: options.flushIntervalMs,
    onEvent: options.onEvent,
    transformBatch: batchAugmentation(exp.config, exp.data.stats),
  });
}

/** Loss and accuracy on the held-out test split. */
export function evaluateTest(exp: Experiment): Promise<{ loss: number; acc: number; count: number }> {
  exp.test ??= prepareTest(exp.dataset, exp.config, exp.data.stats);
  return evaluate(exp.model, exp.test, exp.config.loss, 1000);
}

/** Frees every tensor the experiment holds. */
export function disposeExperiment(exp: Experiment): void {
  exp.data.dispose();
  if (exp.test) tf.dispose([exp.test.x, exp.test.y]);
  exp.model.dispose();
  exp.optimizer.dispose();
}
