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
import { batchesInEpoch, evaluate, train, type TensorData, type TrainControl, type TrainResult } from './training/train';
import { nanGuard } from './callbacks/nanGuard';
import { lossFromLogits } from './training/forward';
import { foldEpochs, prepareCrossValidation, type FoldLayout } from './training/crossValidation';
import type { Callback, ResumePoint, TrainEvent } from './callbacks/types';
import { callbacksFromConfig } from './callbacks/fromConfig';
import { augmentationProblems, batchAugmentation } from './augment/experiment';
import { DEFAULT_INSPECT_EVERY } from './inspect/probe';

export interface Experiment {
  config: ExperimentConfig;
  dataset: Dataset;
  model: tf.Sequential;
  optimizer: tf.Optimizer;
  data: PreparedData;
  /** Uploaded on first use. */
  test: TensorData | null;
  /** Where the folds lie in `data.train` when the config asks for cross-validation. */
  folds?: FoldLayout;
}

/** Every reason this config cannot train on this dataset, in words for a learner. */
export function experimentProblems(config: ExperimentConfig, dataset: Dataset): string[] {
  const numClasses = dataset.classNames.length;
  const analysis = analyzeModel(config.model, dataset.shape, numClasses);
  const settings = validateSettings(config, { name: dataset.name, trainCount: dataset.train.count, numClasses });
  return [...analysis.errors, ...settings.map((s) => s.message), ...augmentationProblems(config, dataset)];
}

/**
 * Builds the model, the optimizer and the data tensors. Throws if the config is invalid.
 * `prepared`: data already made by `prepareData` for this dataset and `dataKey(config)` (it
 * becomes the experiment's, not for cross-validation).
 */
export function createExperiment(config: ExperimentConfig, dataset: Dataset, prepared?: PreparedData): Experiment {
  const problems = experimentProblems(config, dataset);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  const cv = config.crossValidation ? prepareCrossValidation(dataset, config) : null;
  const data = cv ?? prepared ?? prepareData(dataset, config);
  let model: tf.Sequential | null = null;
  try {
    model = buildModel(config.model, dataset.shape, { seed: config.seed, numClasses: dataset.classNames.length });
    const optimizer = createOptimizer(config.optimizer, { ...config.optimizerParams, learningRate: config.learningRate });
    return { config, dataset, model, optimizer, data, test: null, ...(cv && { folds: cv.folds }) };
  } catch (err) {
    model?.dispose(); // an optimizer that fails to start (an unknown id) left the built model's weights behind
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
    /** Continues from a restored checkpoint (see core/checkpoint/snapshot). */
    resume?: ResumePoint;
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
    callbacks: [nanGuard({ clippedLoss: !lossFromLogits(exp.model) }), ...configuredCallbacks(exp), ...(options.callbacks ?? [])],
    control: options.control,
    flushIntervalMs: options.flushIntervalMs,
    onEvent: options.onEvent,
    stepsPerEpoch: exp.config.stepsPerEpoch,
    epochData: exp.folds && foldEpochs(exp.data.train, exp.folds, exp.config.seed),
    resume: options.resume,
    transformBatch: batchAugmentation(exp.config, exp.data.stats),
    inspectEvery: exp.config.inspectEvery ?? DEFAULT_INSPECT_EVERY,
  });
}

/** Examples trained on and validated on per epoch, and batches per epoch (for progress). */
export function epochCounts(exp: Experiment): { trainCount: number; validationCount: number; batchesPerEpoch: number } {
  const held = exp.folds ? Math.max(...exp.folds.sizes) : (exp.data.validation?.count ?? 0);
  const trainCount = exp.folds ? exp.folds.count - Math.min(...exp.folds.sizes) : exp.data.train.count;
  return { trainCount, validationCount: held, batchesPerEpoch: batchesInEpoch(trainCount, exp.config.batchSize, exp.config.stepsPerEpoch) };
}

/** The callbacks the config asks for, with access to the validation split. */
function configuredCallbacks(exp: Experiment): Callback[] {
  const validation = exp.data.validation;
  return callbacksFromConfig(exp.config, {
    numClasses: exp.dataset.classNames.length,
    evaluateValidation:
      validation && validation.count > 0
        ? () => evaluate(exp.model, validation, exp.config.loss, Math.max(exp.config.batchSize, 256))
        : undefined,
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
