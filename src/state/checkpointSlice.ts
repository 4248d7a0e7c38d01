/**
 * Stored checkpoints as the page sees them: the list, the storage use, the run a closed tab
 * interrupted, and the actions on them (delete, resume, restore). Storage is read from the
 * page directly (IndexedDB works on both sides), so the panel works while the worker trains.
 */
import type { ExperimentConfig } from '../core/training/config';
import { RUN_LIVE_ELSEWHERE, type CheckpointSummary, type RunStatus as StoredRunStatus, type RunSummary, type StorageUsage } from '../storage/checkpoints';
import type { AppState, AppStore } from './store';
import { freshRunPatch } from './freshRun';
import { isBusy } from './selectors';

/** The storage functions the slice uses (storage/checkpoints in the app; fakes in tests). */
export interface CheckpointStorage {
  listRuns(): Promise<RunSummary[]>;
  listCheckpoints(runId?: string): Promise<CheckpointSummary[]>;
  deleteCheckpoint(id: string): Promise<void>;
  deleteRun(runId: string): Promise<void>;
  storageUsage(opts?: { allStores?: boolean }): Promise<StorageUsage>;
  /** Ids of the checkpoint store's records no listed checkpoint owns (left-behind weights). */
  listUnlistedCheckpointData?(): Promise<string[]>;
  deleteCheckpointRecords?(ids: readonly string[]): Promise<void>;
  findInterruptedRun(opts?: { onLiveRunEnded?: () => void }): Promise<{ run: RunSummary; checkpoint: CheckpointSummary } | null>;
  setRunStatus(runId: string, status: StoredRunStatus): Promise<void>;
  /** Whether a tab trains stored run `runId` now (its Web Lock is held). */
  isRunLive?(runId: string): Promise<boolean>;
}

export interface CheckpointClient {
  train(config: ExperimentConfig, opts?: { resumeFrom?: string }): number;
  restoreCheckpoint?(checkpointId: string): void;
}

export interface CheckpointSlice {
  /** The IndexedDB run id the current run saves under. */
  checkpointRunId: string | null;
  savedRuns: RunSummary[];
  savedCheckpoints: CheckpointSummary[];
  /** Records of the checkpoint store that no listed checkpoint owns (weights left behind). */
  unlistedCheckpointData: string[];
  storageUse: StorageUsage | null;
  /** A run that a reload or a closed tab cut off, and its last checkpoint. */
  interrupted: { run: RunSummary; checkpoint: CheckpointSummary } | null;
  checkpointMessage: string | null;
  refreshCheckpoints(): Promise<void>;
  checkInterrupted(): Promise<void>;
  dismissInterrupted(): Promise<void>;
  deleteCheckpoint(id: string): Promise<void>;
  deleteSavedRun(runId: string): Promise<void>;
  /** Deletes every checkpoint whose run record is missing, and the weights no checkpoint owns. */
  deleteUnlinkedCheckpoints(): Promise<void>;
  /** Checks the checkpoint is still resumable, then starts a run from it; resolves to whether it started. */
  resumeFromCheckpoint(id: string): Promise<boolean>;
  restoreCheckpoint(id: string): void;
}

const unavailable = 'Checkpoints need the browser\'s storage (IndexedDB), which is not available here.';

export function createCheckpointSlice(
  set: AppStore['setState'],
  get: AppStore['getState'],
  client: CheckpointClient,
  storage: CheckpointStorage | null,
): CheckpointSlice {
  const guard = async (what: string, f: (s: CheckpointStorage) => Promise<void>) => {
    if (!storage) return set({ checkpointMessage: unavailable });
    try {
      await f(storage);
    } catch (err) {
      set({ checkpointMessage: `Could not ${what}: ${(err as Error).message}` });
    }
  };
  return {
    checkpointRunId: null,
    savedRuns: [],
    savedCheckpoints: [],
    unlistedCheckpointData: [],
    storageUse: null,
    interrupted: null,
    checkpointMessage: null,
    refreshCheckpoints: () =>
      guard('read the stored checkpoints', async (s) => {
        // Every store is measured between runs only: it reads every record.
        const allStores = !isBusy(get().status);
        const [runs, checkpoints, use, unlisted] = await Promise.all([
          s.listRuns(),
          s.listCheckpoints(),
          s.storageUsage({ allStores }),
          s.listUnlistedCheckpointData?.() ?? Promise.resolve([]),
        ]);
        // A partial figure (during a run) keeps the last whole-site one, marked as earlier.
        const site = use.site ?? get().storageUse?.site;
        set({ savedRuns: runs, savedCheckpoints: checkpoints, storageUse: site ? { ...use, site } : use, unlistedCheckpointData: unlisted });
      }),
    checkInterrupted: () =>
      guard('look for an interrupted run', async (s) => {
        // A run live in another tab (or this page's previous life, during a reload) is looked
        // at again once it lets its lock go.
        const found = await s.findInterruptedRun({ onLiveRunEnded: () => void get().checkInterrupted() });
        set({ interrupted: found });
        await get().refreshCheckpoints();
      }),
    dismissInterrupted: () =>
      guard('dismiss the interrupted run', async (s) => {
        const it = get().interrupted;
        set({ interrupted: null });
        if (it) await s.setRunStatus(it.run.id, 'stopped');
        await get().refreshCheckpoints();
      }),
    deleteCheckpoint: (id) =>
      guard('delete the checkpoint', async (s) => {
        await s.deleteCheckpoint(id);
        if (get().interrupted?.checkpoint.id === id) set({ interrupted: null });
        set({ checkpointMessage: null });
        await get().refreshCheckpoints();
      }),
    deleteSavedRun: (runId) =>
      guard('delete the run', async (s) => {
        await s.deleteRun(runId);
        if (get().interrupted?.run.id === runId) set({ interrupted: null });
        set({ checkpointMessage: null });
        await get().refreshCheckpoints();
      }),
    deleteUnlinkedCheckpoints: () =>
      guard('delete the checkpoints without a run', async (s) => {
        const runs = new Set(get().savedRuns.map((r) => r.id));
        for (const c of get().savedCheckpoints) if (!runs.has(c.runId)) await s.deleteCheckpoint(c.id);
        const unlisted = get().unlistedCheckpointData;
        if (unlisted.length > 0) await s.deleteCheckpointRecords?.(unlisted);
        set({ checkpointMessage: null });
        await get().refreshCheckpoints();
      }),
    async resumeFromCheckpoint(id) {
      // Check first, so a deleted or stale checkpoint never clears the current run and curves.
      let found: CheckpointSummary | undefined;
      try {
        found = (await storage?.listCheckpoints())?.find((c) => c.id === id);
      } catch (err) {
        set({ checkpointMessage: `Could not read the checkpoint: ${(err as Error).message}` });
        return false;
      }
      if (!found || found.problem) {
        set({
          checkpointMessage:
            found?.problem ?? 'This checkpoint is no longer stored (it was deleted, perhaps in another tab). Pick another one or train anew.',
        });
        await get().refreshCheckpoints();
        return false;
      }
      // Refused here at once, before anything is cleared; the worker checks again as it takes
      // the run's lock (a run could start elsewhere in between).
      if (await storage?.isRunLive?.(found.runId).catch(() => false)) {
        set({ checkpointMessage: RUN_LIVE_ELSEWHERE });
        return false;
      }
      const patch: Partial<AppState> = {
        ...freshRunPatch(),
        status: 'preparing',
        statusDetail: 'Loading the checkpoint',
        hasModel: false,
        interrupted: null,
        checkpointMessage: null,
      };
      set(patch);
      set({ runId: client.train(get().config, { resumeFrom: id }) });
      return true;
    },
    restoreCheckpoint(id) {
      client.restoreCheckpoint?.(id);
    },
  };
}
