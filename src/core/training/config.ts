/**
 * One experiment's settings as plain data, the checks that explain a bad setting to a
 * learner, and the defaults of the chapter's first run. Pure: the UI imports it too.
 */
import type { ModelSpec } from '../model/types';
import type { OptimizerId } from '../optimizers/catalog';
import type { PreprocessingId } from '../data/preprocess';
import type { LossId } from './losses-catalog';
import { epochSettingIssues, trainingCount } from './epochSettings';
import { checkpointProblems, type CheckpointSettings } from '../checkpoint/settings';
import { scheduleIssues, type ScheduleConfig } from '../schedules/schedules';
import { earlyStoppingProblems, type EarlyStoppingSettings } from '../callbacks/settings';
import { validateAugmentation, type AugmentationConfig } from '../augment/settings';
import { formatCount, formatNumber } from '../format';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendChoice = 'auto' | BackendName;
export const BACKEND_ORDER: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export interface ExperimentConfig {
  datasetId: string;
  /** How many training images to use, a stratified subset; the dataset's count means all. */
  trainingExamples: number;
  preprocessing: PreprocessingId;
  model: ModelSpec;
  optimizer: OptimizerId;
  learningRate: number;
  loss: LossId;
  /** Turn integer labels into one-hot rows before training. */
  oneHotLabels: boolean;
  epochs: number;
  batchSize: number;
  /** Fraction of the training examples held out for validation, 0 .. 0.5. */
  validationSplit: number;
  seed: number;
  backend: BackendChoice;
  /** Overrides of the chosen optimizer's catalog defaults (beta1, momentum…); other keys are ignored. */
  optimizerParams: Record<string, number>;
  /** Train on only this many random batches per epoch; null = all batches. */
  stepsPerEpoch: number | null;
  /** Pool training and validation examples and hold out a different stratified fold each epoch. */
  crossValidation: boolean;
  /** Number of folds for cross-validation, 2 .. 20. */
  folds: number;
  /** When and how checkpoints are saved; absent means none (see core/checkpoint/settings). */
  checkpoints?: CheckpointSettings;
  /** How the learning rate changes during the run; absent means constant. */
  schedule?: ScheduleConfig;
  /** Stop when a watched metric stops improving (see core/callbacks/settings). */
  earlyStopping: EarlyStoppingSettings;
  /** Changes to training batches only (never validation or test); absent or all off = none. */
  augmentation?: AugmentationConfig;
  /**
   * Measure per-layer gradients and activations every this many batches (the Layers chart,
   * core/inspect); 0 = never; absent = core/inspect/probe's DEFAULT_INSPECT_EVERY.
   */
  inspectEvery?: number;
}

export type ConfigField = keyof ExperimentConfig;

/** A way out of a problem, applied as a patch on the config ("One-hot encode the labels"). */
export interface SettingFix {
  label: string;
  patch: Partial<ExperimentConfig>;
}

export interface SettingIssue {
  field: ConfigField;
  message: string;
  fixes?: SettingFix[];
}

/** What validation needs to know about the chosen dataset. */
export interface DatasetFacts {
  name: string;
  trainCount: number;
  numClasses: number;
}

const isInt = (v: number) => Number.isInteger(v);

/** Every problem with the training settings, in the order the form shows them. */
export function validateSettings(c: ExperimentConfig, d: DatasetFacts): SettingIssue[] {
  const issues: SettingIssue[] = [];
  const add = (field: ConfigField, message: string, fixes?: SettingFix[]) => issues.push({ field, message, fixes });

  if (!isInt(c.trainingExamples) || c.trainingExamples < d.numClasses || c.trainingExamples > d.trainCount) {
    add(
      'trainingExamples',
      `Training examples must be a whole number from ${d.numClasses} (one per class) to ${formatCount(d.trainCount)} (all of ${d.name}).`,
    );
  }
  if (!(c.validationSplit >= 0 && c.validationSplit <= 0.5)) {
    add('validationSplit', 'Validation split is the share held out for validation: pick a value from 0 to 0.5 (0.1 = 10%).');
  }
  if (!isInt(c.epochs) || c.epochs < 1 || c.epochs > 1000) {
    add('epochs', 'Epochs must be a whole number from 1 to 1000: one epoch shows every training example once.');
  }
  const trainCount = trainingCount(c);
  if (!isInt(c.batchSize) || c.batchSize < 1) {
    add('batchSize', 'Batch size must be a whole number of at least 1 (1 = stochastic gradient descent).');
  } else if (c.batchSize > trainCount) {
    add(
      'batchSize',
      `Batch size ${formatCount(c.batchSize)} is larger than the ${formatCount(trainCount)} examples left for training. ` +
        `Use at most ${formatCount(trainCount)}: one batch of the whole set is batch gradient descent.`,
      [{ label: `Use ${formatCount(trainCount)} (whole set)`, patch: { batchSize: trainCount } }],
    );
  }
  if (!(c.learningRate > 0 && Number.isFinite(c.learningRate))) {
    add('learningRate', `Learning rate must be a positive number, at most ${MAX_LEARNING_RATE}; useful values lie between 0.00001 and 0.1.`);
  } else if (c.learningRate > MAX_LEARNING_RATE) {
    add(
      'learningRate',
      `Learning rate ${formatNumber(c.learningRate)} is above the largest this app trains with, ${MAX_LEARNING_RATE}: ` +
        `steps that large throw the weights far off at once. To show divergence, ${MAX_LEARNING_RATE} or even 1 is enough.`,
      [{ label: `Use ${MAX_LEARNING_RATE}`, patch: { learningRate: MAX_LEARNING_RATE } }],
    );
  }
  issues.push(...epochSettingIssues(c));
  for (const issue of c.schedule ? scheduleIssues(c.schedule, c) : []) add('schedule', issue.message);
  if (!isInt(c.seed) || c.seed < 0 || c.seed > 2 ** 31) {
    add('seed', 'Seed must be a whole number from 0 to 2147483648; the same seed repeats the same run.');
  }

  if (c.augmentation) {
    for (const a of validateAugmentation(c.augmentation)) add('augmentation', a.message);
  }

  const one = Array.from({ length: d.numClasses }, (_, i) => (i === 3 ? 1 : 0)).join(',');
  if (c.loss === 'categoricalCrossentropy' && !c.oneHotLabels) {
    add(
      'loss',
      `Categorical cross-entropy expects each target as a one-hot vector of ${d.numClasses} numbers ` +
        `(label 3 becomes [${one}]), but ${d.name}'s labels are single integers 0–${d.numClasses - 1}. ` +
        'One-hot encode the labels, or use sparse categorical cross-entropy, which does the one-hot step internally.',
      [
        { label: 'One-hot encode the labels', patch: { oneHotLabels: true } },
        { label: 'Use sparse categorical cross-entropy', patch: { loss: 'sparseCategoricalCrossentropy' } },
      ],
    );
  }
  if (c.loss === 'sparseCategoricalCrossentropy' && c.oneHotLabels) {
    add(
      'loss',
      'Sparse categorical cross-entropy expects each target as one integer class, but the labels are one-hot ' +
        'encoded. Keep the integer labels, or switch to categorical cross-entropy.',
      [
        { label: 'Keep integer labels', patch: { oneHotLabels: false } },
        { label: 'Use categorical cross-entropy', patch: { loss: 'categoricalCrossentropy' } },
      ],
    );
  }
  if (c.checkpoints) {
    for (const message of checkpointProblems(c.checkpoints, c.validationSplit > 0)) add('checkpoints', message);
  }
  for (const message of earlyStoppingProblems(c.earlyStopping, c.validationSplit > 0)) add('earlyStopping', message);
  return issues;
}

/** The largest learning rate a run accepts (larger only diverges at once). */
export const MAX_LEARNING_RATE = 10;

/** The learning rates that usually train (the form's hint): outside it, a warning, not an error. */
export const USEFUL_LEARNING_RATES = { min: 1e-5, max: 0.1 } as const;

/**
 * A warning for a learning rate outside the useful range, saying what will likely happen and
 * what to try; null inside it (or for a value the form already rejects).
 */
export function learningRateWarning(lr: number, optimizer: OptimizerId): string | null {
  if (!Number.isFinite(lr) || lr <= 0) return null;
  const typical = optimizer === 'sgd' || optimizer === 'momentum' ? 0.01 : 0.001;
  if (lr > USEFUL_LEARNING_RATES.max) {
    return `${lr} is above the useful range: each step can overshoot, so the loss will likely jump and may diverge. Try ${typical}.`;
  }
  if (lr < USEFUL_LEARNING_RATES.min) {
    return `${lr} is below the useful range: the steps are so small that the loss will barely move in a few epochs. Try ${typical}.`;
  }
  return null;
}
