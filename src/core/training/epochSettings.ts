/**
 * The settings that shape an epoch beyond batch size: the optimizer's hyperparameters, steps
 * per epoch and cross-validation. How many examples train per epoch, and the learner-facing
 * checks that `validateSettings` adds. Pure: the UI imports it too.
 */
import { hyperparameterProblem, OPTIMIZER_CATALOG } from '../optimizers/catalog';
import type { ExperimentConfig, SettingIssue } from './config';
import { formatCount } from '../format';

type EpochConfig = Pick<
  ExperimentConfig,
  'trainingExamples' | 'validationSplit' | 'batchSize' | 'optimizer' | 'optimizerParams' | 'stepsPerEpoch' | 'crossValidation' | 'folds'
>;

export const MAX_FOLDS = 20;

/** Examples trained on per epoch: after the validation split, or, with cross-validation, all but the largest fold. */
export function trainingCount(c: Pick<EpochConfig, 'trainingExamples' | 'validationSplit' | 'crossValidation' | 'folds'>): number {
  if (c.crossValidation && c.folds >= 2) return Math.max(1, c.trainingExamples - Math.ceil(c.trainingExamples / c.folds));
  return Math.max(1, Math.round(c.trainingExamples * (1 - (c.validationSplit || 0))));
}

/** Mini-batches in a full pass over the training examples. */
export function batchesAvailable(c: EpochConfig): number {
  return c.batchSize >= 1 ? Math.ceil(trainingCount(c) / c.batchSize) : 0;
}

/** Problems with the optimizer's hyperparameters, per key, in words for a learner. */
export function optimizerParamProblems(c: Pick<EpochConfig, 'optimizer' | 'optimizerParams'>): Record<string, string> {
  const info = OPTIMIZER_CATALOG[c.optimizer];
  const out: Record<string, string> = {};
  if (!info) return out;
  for (const p of info.params) {
    const value = c.optimizerParams?.[p.key];
    if (value === undefined) continue;
    const problem = hyperparameterProblem(info, p, value);
    if (problem) out[p.key] = problem;
  }
  return out;
}

export function epochSettingIssues(c: EpochConfig): SettingIssue[] {
  const issues: SettingIssue[] = [];
  const info = OPTIMIZER_CATALOG[c.optimizer];
  for (const [key, message] of Object.entries(optimizerParamProblems(c))) {
    issues.push({
      field: 'optimizerParams',
      message,
      fixes: [{ label: `Reset to ${info?.defaults[key]}`, patch: { optimizerParams: { ...c.optimizerParams, [key]: info!.defaults[key]! } } }],
    });
  }
  if (c.crossValidation) {
    if (!Number.isInteger(c.folds) || c.folds < 2 || c.folds > MAX_FOLDS) {
      issues.push({
        field: 'folds',
        message: `Folds must be a whole number from 2 to ${MAX_FOLDS}: each epoch holds one fold out for validation (5 holds out a fifth).`,
      });
    } else if (c.trainingExamples < 2 * c.folds) {
      issues.push({
        field: 'folds',
        message: `${c.folds} folds need at least ${2 * c.folds} training examples (2 per fold). Use fewer folds or more examples.`,
      });
    }
  }
  if (c.stepsPerEpoch != null) {
    const available = batchesAvailable(c);
    if (!Number.isInteger(c.stepsPerEpoch) || c.stepsPerEpoch < 1) {
      issues.push({
        field: 'stepsPerEpoch',
        message: 'Steps per epoch must be a whole number of at least 1, or empty to use every batch in each epoch.',
        fixes: [{ label: 'Use all batches', patch: { stepsPerEpoch: null } }],
      });
    } else if (available > 0 && c.stepsPerEpoch > available) {
      issues.push({
        field: 'stepsPerEpoch',
        message:
          `Steps per epoch ${formatCount(c.stepsPerEpoch)} is more than the ${formatCount(available)} batches of ${formatCount(c.batchSize)} ` +
          `that ${formatCount(trainingCount(c))} training examples make. Use at most ${formatCount(available)}, or leave it empty for all of them.`,
        fixes: [
          { label: `Use ${formatCount(available)}`, patch: { stepsPerEpoch: available } },
          { label: 'Use all batches', patch: { stepsPerEpoch: null } },
        ],
      });
    }
  }
  return issues;
}

/** Below this many validation images the note on validation noise is shown. */
export const SMALL_VALIDATION = 1000;

/**
 * A note when the validation split is too small to judge by: how much one image moves the
 * accuracy, and how far the accuracy of the same model wanders by chance (one standard
 * deviation of a binomial proportion, at 90% accuracy). Null for 1,000 images or more.
 */
export function validationNoiseNote(c: Pick<EpochConfig, 'trainingExamples' | 'validationSplit' | 'crossValidation' | 'folds'>): string | null {
  const count = c.crossValidation && c.folds >= 2 ? Math.floor(c.trainingExamples / c.folds) : Math.round(c.trainingExamples * (c.validationSplit || 0));
  if (count <= 0 || count >= SMALL_VALIDATION) return null;
  const step = 100 / count;
  const spread = 100 * Math.sqrt((0.9 * 0.1) / count);
  const points = (v: number) => (v >= 10 ? v.toFixed(0) : v.toFixed(1));
  return (
    `Validation on ${formatCount(count)} images is noisy: one image is ${points(step)} points of accuracy, and around 90% the same ` +
    `model's accuracy varies by about ±${points(spread)} points by chance alone, so smaller differences (and a rise in ` +
    'validation loss over an epoch or two) may be noise. Use more examples or a larger split to see effects clearly.'
  );
}
