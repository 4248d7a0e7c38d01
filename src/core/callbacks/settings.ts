/**
 * Early stopping's settings as plain data (they live in ExperimentConfig), their defaults and
 * the checks that explain a bad value. Pure and tfjs-free: the UI imports it.
 */
import { MONITOR_LABELS, monitorProblem, type MonitorId, type MonitorMode } from './monitor';

export interface EarlyStoppingSettings {
  enabled: boolean;
  monitor: MonitorId;
  mode: MonitorMode;
  /** Epochs without improvement before stopping. */
  patience: number;
  /** Smallest change that counts as an improvement (absolute, >= 0). */
  minDelta: number;
  /** A value the monitor must also beat, or null for none. */
  baseline: number | null;
  /** Put the best epoch's weights back when the run ends. */
  restoreBestWeights: boolean;
}

export const MONITOR_IDS: MonitorId[] = ['val_loss', 'val_acc', 'loss', 'acc'];
export const MONITOR_MODES: MonitorMode[] = ['auto', 'min', 'max'];
export { MONITOR_LABELS };

/**
 * Off by default, as in the chapter's first run (Keras has no early stopping unless asked).
 * Once on: validation loss, patience 3, and the best weights restored (Keras' default is not to
 * restore, which surprises learners: the model would be the last, worse one).
 */
export function defaultEarlyStopping(): EarlyStoppingSettings {
  return {
    enabled: false,
    monitor: 'val_loss',
    mode: 'auto',
    patience: 3,
    minDelta: 0,
    baseline: null,
    restoreBestWeights: true,
  };
}

/** The settings to use: `s` filled in from the defaults (configs saved before it existed lack it). */
export function earlyStoppingOf(s: Partial<EarlyStoppingSettings> | undefined): EarlyStoppingSettings {
  return { ...defaultEarlyStopping(), ...(s ?? {}) };
}

/** Every problem with the early-stopping settings, in words; none while it is off. */
export function earlyStoppingProblems(s: Partial<EarlyStoppingSettings> | undefined, hasValidation: boolean): string[] {
  const e = earlyStoppingOf(s);
  if (!e.enabled) return [];
  const out: string[] = [];
  if (!MONITOR_IDS.includes(e.monitor)) out.push(`Early stopping cannot watch "${String(e.monitor)}": pick ${MONITOR_IDS.join(', ')}.`);
  else {
    const p = monitorProblem(e.monitor, hasValidation);
    if (p) out.push(`Early stopping: ${p}`);
  }
  if (!MONITOR_MODES.includes(e.mode)) out.push('Early stopping mode must be auto, min (lower is better) or max (higher is better).');
  if (!(Number.isInteger(e.patience) && e.patience >= 0 && e.patience <= 1000)) {
    out.push('Patience must be a whole number from 0 to 1000: the epochs to wait for an improvement before stopping.');
  }
  if (!(Number.isFinite(e.minDelta) && e.minDelta >= 0)) {
    out.push('Min delta must be a number of at least 0: the smallest change of the watched value that counts as an improvement.');
  }
  if (e.baseline !== null && !Number.isFinite(e.baseline)) {
    out.push('Baseline must be a number, or empty for none: the value the watched metric has to beat.');
  }
  return out;
}
