/**
 * The worker's side of checkpoints: the run record in IndexedDB, the checkpoint callback
 * wired to the IndexedDB writer, loading a checkpoint to resume or restore, and the run's
 * final status. Storage failures never stop training: they become a 'storage' event.
 */
import { checkpointCallback } from '../core/callbacks/checkpoint';
import type { Callback, StopReason, TrainEvent } from '../core/callbacks/types';
import { resolveCheckpointSettings } from '../core/checkpoint/settings';
import type { CheckpointSnapshot } from '../core/checkpoint/snapshot';
import type { ExperimentConfig } from '../core/training/config';
import { checkpointRunName } from '../core/runs/settings';
import { createRun, holdRunLock, RUN_LIVE_ELSEWHERE, loadCheckpoint, saveCheckpoint, setRunStatus, type CheckpointRecord } from '../storage/checkpoints';

export interface LoadedCheckpoint {
  record: CheckpointRecord;
  snapshot: CheckpointSnapshot;
}

export function loadForResume(checkpointId: string): Promise<LoadedCheckpoint> {
  return loadCheckpoint(checkpointId);
}

export interface Checkpointing {
  /** The callback to put last in the run's list, or null when checkpoints are off or storage failed. */
  callback: Callback | null;
  storageRunId: string | null;
  /** Records how the run ended. */
  finish(reason: StopReason): Promise<void>;
}


export async function startCheckpointing(opts: {
  config: ExperimentConfig;
  resume: LoadedCheckpoint | null;
  emit(event: TrainEvent): void;
}): Promise<Checkpointing> {
  const settings = resolveCheckpointSettings(opts.config);
  const none: Checkpointing = { callback: null, storageRunId: null, finish: async () => {} };
  if (!settings.enabled && !opts.resume) return none;
  // A run resumed here must not be live in another tab (two tabs once trained one run twice).
  let release: (() => void) | null = null;
  if (opts.resume) {
    const lock = await holdRunLock(opts.resume.record.runId);
    if (lock === 'held') {
      throw new Error(RUN_LIVE_ELSEWHERE);
    }
    release = lock;
  }
  let storageRunId: string;
  try {
    if (opts.resume) {
      storageRunId = opts.resume.record.runId;
      await setRunStatus(storageRunId, 'running');
    } else {
      storageRunId = (await createRun({ name: checkpointRunName(opts.config), config: opts.config })).id;
      const lock = await holdRunLock(storageRunId);
      release = lock === 'held' ? null : lock;
    }
  } catch (err) {
    release?.();
    opts.emit({
      kind: 'storage',
      epoch: (opts.resume?.snapshot.resume.epoch ?? 0) + 1,
      message: `Checkpoints are off for this run: ${(err as Error).message} Training goes on without them.`,
    });
    return none;
  }
  const callback = checkpointCallback({
    settings,
    config: opts.config,
    history: opts.resume?.snapshot.history,
    save: (snapshot, info) => saveCheckpoint(storageRunId, snapshot, info, { keepLast: settings.keepLast }),
  });
  return {
    callback,
    storageRunId,
    async finish(reason) {
      try {
        await setRunStatus(storageRunId, reason === 'completed' ? 'finished' : 'stopped');
      } catch {
        // the run list shows it as interrupted then; nothing is lost
      } finally {
        release?.();
      }
    },
  };
}
