/**
 * Saves checkpoints at epoch ends: every epoch, every N epochs, or only when a monitored
 * metric improves (monitor.ts decides). It keeps the run's metric history, captures a
 * snapshot of everything a resume needs, and hands it to an injected async `save` (the
 * worker's IndexedDB writer; tests pass an in-memory one). A failed save never stops
 * training: it emits a 'storage' event that says what went wrong and what to delete.
 *
 * Put it last in the callback list, so the states it saves are those after every other
 * callback's onEpochEnd.
 */
import { captureSnapshot } from '../checkpoint/capture';
import type { CheckpointSnapshot, MetricHistory } from '../checkpoint/snapshot';
import type { CheckpointSettings } from '../checkpoint/settings';
import { formatBytes } from '../format';
import { formatCheckpointName } from '../checkpoint/template';
import type { ExperimentConfig } from '../training/config';
import { isImprovement, readMonitor, resolveMode, MONITOR_LABELS } from './monitor';
import type { BatchLog, EpochLogs, JsonValue, StatefulCallback, TrainContext } from './types';

export interface SavedCheckpointInfo {
  name: string;
  /** 1-based epoch, as the charts count. */
  epoch: number;
  metrics: EpochLogs;
}

export interface CheckpointCallbackOptions {
  settings: CheckpointSettings;
  config: ExperimentConfig;
  /** Stores the snapshot; resolves to its size in bytes, rejects with a learner-facing message. */
  save(snapshot: CheckpointSnapshot, info: SavedCheckpointInfo): Promise<{ sizeBytes: number }>;
  /** The history restored from the checkpoint a run resumes from. */
  history?: MetricHistory;
  /** Batch points kept in a snapshot before thinning (default 4000). */
  maxBatchPoints?: number;
}

export interface CheckpointCallback extends StatefulCallback {
  /** The history so far (restored part included). */
  history(): MetricHistory;
  /** Settles when every save started so far has finished (or failed). */
  flushed(): Promise<void>;
}

/** Keeps every k-th point so at most `max` remain, always with the last one. */
export function thinBatches(points: BatchLog[], max: number): BatchLog[] {
  if (points.length <= max) return points;
  const k = Math.ceil(points.length / max);
  const kept = points.filter((_, i) => i % k === 0);
  if (kept[kept.length - 1] !== points[points.length - 1]) kept.push(points[points.length - 1]!);
  return kept;
}

export function checkpointCallback(opts: CheckpointCallbackOptions): CheckpointCallback {
  const { settings } = opts;
  const mode = resolveMode(settings.monitor, settings.mode);
  const history: MetricHistory = structuredClone(opts.history ?? { epochs: [], batches: [] });
  const max = opts.maxBatchPoints ?? 4000;
  let best: number | null = null;
  let saving: Promise<void> = Promise.resolve();

  const due = (epoch1: number, logs: EpochLogs, ctx: TrainContext): boolean => {
    if (settings.policy === 'everyEpoch') return true;
    if (settings.policy === 'everyN') return epoch1 % settings.everyN === 0 || epoch1 === ctx.epochs;
    const value = readMonitor(logs, settings.monitor);
    if (value === null || !isImprovement(value, best, { mode })) return false;
    best = value;
    return true;
  };

  return {
    stateKey: 'checkpoint',
    getState: (): JsonValue => ({ best }),
    setState(state) {
      const b = (state as { best?: unknown } | null)?.best;
      best = typeof b === 'number' ? b : null;
    },
    history: () => history,
    flushed: () => saving,
    onBatchEnd(log) {
      history.batches.push({ ...log });
      if (history.batches.length > 2 * max) history.batches = thinBatches(history.batches, max);
    },
    async onEpochEnd(summary, ctx) {
      history.epochs.push({ epoch: summary.epoch, logs: { ...summary.logs }, samples: summary.samples, trainMs: summary.trainMs });
      const epoch1 = summary.epoch + 1;
      if (!settings.enabled || !ctx.resumePoint || !due(epoch1, summary.logs, ctx)) return;
      let name: string;
      try {
        name = formatCheckpointName(settings.nameTemplate, { epoch: epoch1, ...summary.logs });
      } catch (err) {
        ctx.emit({ kind: 'storage', epoch: epoch1, message: `No checkpoint was saved: ${(err as Error).message}` });
        return;
      }
      const snapshot = await captureSnapshot({
        model: ctx.model,
        optimizer: ctx.optimizer,
        resume: ctx.resumePoint(),
        config: opts.config,
        history: { epochs: history.epochs, batches: thinBatches(history.batches, max) },
      });
      const info: SavedCheckpointInfo = { name, epoch: epoch1, metrics: { ...summary.logs } };
      const why =
        settings.policy === 'bestOnly'
          ? ` The ${MONITOR_LABELS[settings.monitor]} improved to ${best?.toFixed(4)}.`
          : '';
      saving = saving.then(async () => {
        try {
          const { sizeBytes } = await opts.save(snapshot, info);
          ctx.emit({
            kind: 'checkpoint',
            epoch: epoch1,
            message: `Checkpoint ${name} saved (${formatBytes(sizeBytes)}).${why}`,
            value: sizeBytes,
          });
        } catch (err) {
          ctx.emit({
            kind: 'storage',
            epoch: epoch1,
            message: `Checkpoint ${name} was not saved: ${(err as Error).message} Training goes on without it.`,
          });
        }
      });
    },
    async onTrainEnd() {
      await saving;
    },
  };
}
