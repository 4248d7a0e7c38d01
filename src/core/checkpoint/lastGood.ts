/**
 * Which checkpoint to offer after a run diverged: the latest one saved before the divergence
 * whose model had actually learned (loss below that of guessing, accuracy above chance), not
 * merely the latest one (which may already hold the diverged model). Pure.
 */
import type { EpochLogs, TrainEvent } from '../callbacks/types';

export interface CheckpointChoice {
  id: string;
  runId: string;
  name: string;
  /** Epochs completed when it was saved (1-based). */
  epoch: number;
  metrics: EpochLogs | null;
  problem: string | null;
}

/** The epoch (1-based) in which the run diverged, or null when it did not. */
export function divergenceEpoch(events: readonly TrainEvent[]): number | null {
  const e = events.find((x) => x.kind === 'nan' || x.kind === 'divergence');
  return e ? e.epoch : null;
}

/** Whether a checkpoint's metrics show a model that learned something (better than guessing). */
export function learnedSomething(m: EpochLogs | null, numClasses: number): boolean {
  if (!m || !Number.isFinite(m.loss)) return false;
  const acc = m.val_acc ?? m.acc;
  return m.loss < Math.log(numClasses) && Number.isFinite(acc) && acc > 1.5 / numClasses;
}

/**
 * The checkpoint of run `runId` to restore after its divergence: saved before the epoch it
 * diverged in, loadable, and with metrics better than guessing; the latest such, or null.
 */
export function lastGoodCheckpoint<C extends CheckpointChoice>(
  checkpoints: readonly C[],
  runId: string | null,
  events: readonly TrainEvent[],
  numClasses: number,
): C | null {
  const diverged = divergenceEpoch(events) ?? Infinity;
  const good = checkpoints.filter(
    (c) => c.runId === runId && c.problem === null && c.epoch < diverged && learnedSomething(c.metrics, numClasses),
  );
  return good.reduce<C | null>((best, c) => (best === null || c.epoch > best.epoch ? c : best), null);
}
