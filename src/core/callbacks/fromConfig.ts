/**
 * The callbacks an experiment's plain config asks for. One place to extend: a new configured
 * callback (checkpoints, schedules…) adds its line here, and runExperiment picks it up.
 * The NaN/overflow guard is always on and added by runExperiment itself.
 */
import type { ExperimentConfig } from '../training/config';
import { earlyStopping } from './earlyStopping';
import { lrSchedule } from './lrSchedule';
import { overfittingDetector } from './overfitting';
import { lossSpike, notLearning } from './learningSignals';
import { earlyStoppingOf } from './settings';
import type { Callback } from './types';
import { explodingGradients } from '../inspect/explodingGradients';

export interface CallbackEnv {
  /** Loss and accuracy of the current model on the validation split, or undefined without one. */
  evaluateValidation?: () => Promise<{ loss: number; acc: number }>;
  /** Classes of the dataset (for "not learning": a loss at ln(classes)); 10 when not given. */
  numClasses?: number;
}

export function callbacksFromConfig(config: ExperimentConfig, env: CallbackEnv = {}): Callback[] {
  const weightLayers = config.model.layers.filter((l) => l.type === 'dense' || l.type === 'conv2d').length;
  const out: Callback[] = [
    overfittingDetector(),
    notLearning({ numClasses: env.numClasses ?? 10, weightLayers, learningRate: config.learningRate }),
    lossSpike(),
    explodingGradients(),
  ];
  if (config.schedule) out.push(lrSchedule({ schedule: config.schedule, learningRate: config.learningRate }));
  const es = earlyStoppingOf(config.earlyStopping);
  if (es.enabled) {
    const evaluate = env.evaluateValidation;
    const remeasure =
      evaluate && (es.monitor === 'val_loss' || es.monitor === 'val_acc')
        ? async () => {
            const r = await evaluate();
            return es.monitor === 'val_loss' ? r.loss : r.acc;
          }
        : undefined;
    out.push(
      earlyStopping({
        monitor: es.monitor,
        mode: es.mode,
        patience: es.patience,
        minDelta: es.minDelta,
        baseline: es.baseline,
        restoreBestWeights: es.restoreBestWeights,
        remeasure,
      }),
    );
  }
  return out;
}
