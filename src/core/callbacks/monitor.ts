/**
 * The one "is this an improvement?" check shared by early stopping, best-only checkpoints,
 * reduce-on-plateau and the best-epoch marker, as in Keras: a monitored metric, a mode
 * (lower or higher is better) and a minimum change that counts.
 */
import type { EpochLogs } from './types';

export type MonitorId = 'val_loss' | 'val_acc' | 'loss' | 'acc';
export type MonitorMode = 'min' | 'max' | 'auto';

export const MONITOR_LABELS: Record<MonitorId, string> = {
  val_loss: 'validation loss',
  val_acc: 'validation accuracy',
  loss: 'training loss',
  acc: 'training accuracy',
};

/** 'auto' means: accuracies should rise, losses should fall. */
export function resolveMode(monitor: MonitorId, mode: MonitorMode = 'auto'): 'min' | 'max' {
  if (mode !== 'auto') return mode;
  return monitor.endsWith('acc') ? 'max' : 'min';
}

/**
 * True when `current` beats `best` by more than `minDelta` (an absolute amount, >= 0).
 * A NaN never improves; anything finite improves on a `best` of null (no value yet).
 */
export function isImprovement(
  current: number,
  best: number | null,
  opts: { mode: 'min' | 'max'; minDelta?: number },
): boolean {
  if (Number.isNaN(current)) return false;
  if (best === null || Number.isNaN(best)) return true;
  const delta = Math.abs(opts.minDelta ?? 0);
  return opts.mode === 'min' ? current < best - delta : current > best + delta;
}

/** The monitored value of an epoch, or null when the run has no such metric. */
export function readMonitor(logs: EpochLogs, monitor: MonitorId): number | null {
  const v = logs[monitor];
  return typeof v === 'number' ? v : null;
}

/** Explains why a monitor cannot be used in a run without a validation split, or null. */
export function monitorProblem(monitor: MonitorId, hasValidation: boolean): string | null {
  if (monitor.startsWith('val_') && !hasValidation) {
    return `It watches the ${MONITOR_LABELS[monitor]}, but the validation split is 0, so there is none. ` +
      'Set a validation split above 0, or watch the training loss or accuracy instead.';
  }
  return null;
}
