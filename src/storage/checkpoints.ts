/**
 * Checkpoints and their runs in IndexedDB (the `runs` and `checkpoints` stores of db.ts).
 * Used from both sides: the worker writes checkpoints while it trains and loads one to
 * resume; the page lists, sizes and deletes them (IndexedDB works in both, so the panel
 * needs no worker round trip and works while the worker is busy training).
 *
 * Each checkpoint is two records in the `checkpoints` store: a small one (name, epoch,
 * metrics, size; indexed by runId) that the list reads, and one with the packed weights
 * (`dataId`, no runId, so the index and the list never load megabytes).
 *
 * Records written by another app version (another RECORD_SCHEMA) or damaged ones are listed
 * with a `problem` the learner can read, never misread and never a crash.
 */
import type { ExperimentConfig } from '../core/training/config';
import type { EpochLogs } from '../core/callbacks/types';
import { formatBytes } from '../core/format';
import {
  deserializeSnapshot,
  serializeSnapshot,
  serializedBytes,
  type CheckpointSnapshot,
  type SerializedSnapshot,
} from '../core/checkpoint/snapshot';
import * as v from 'valibot';
import { check } from '../core/schema/check';
import { isQuotaError, openAppDb, RECORD_SCHEMA, storageEstimate } from './db';
import { siteUsage, type SiteUsage } from './usage';
import { checkpointRunName } from '../core/runs/settings';

export type RunStatus = 'running' | 'finished' | 'stopped' | 'interrupted';

export interface RunRecord {
  id: string;
  schema: number;
  name: string;
  config: ExperimentConfig;
  createdAt: number;
  updatedAt: number;
  status: RunStatus;
}

export interface CheckpointRecord {
  id: string;
  runId: string;
  schema: number;
  name: string;
  /** 1-based epoch the checkpoint was taken after. */
  epoch: number;
  metrics: EpochLogs;
  sizeBytes: number;
  createdAt: number;
  /** Id of the CheckpointDataRecord with the weights. */
  dataId: string;
}

/** The heavy half of a checkpoint; it has no runId, so the runId index skips it. */
export interface CheckpointDataRecord {
  id: string;
  schema: number;
  checkpointId: string;
  data: SerializedSnapshot;
}

/** A checkpoint as listed (no weights), with the reason it cannot be resumed, if any. */
export interface CheckpointSummary {
  id: string;
  runId: string;
  name: string;
  epoch: number;
  metrics: EpochLogs | null;
  sizeBytes: number;
  createdAt: number;
  problem: string | null;
}

export interface RunSummary {
  id: string;
  name: string;
  status: RunStatus | 'unknown';
  createdAt: number;
  updatedAt: number;
  problem: string | null;
}

export const STALE_MESSAGE =
  "This checkpoint was saved by an older version of the app; it can't be resumed — delete it.";
const DAMAGED_MESSAGE = 'This checkpoint record is damaged; it cannot be resumed — delete it.';

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const num = (x: unknown, fallback = 0) => (typeof x === 'number' && Number.isFinite(x) ? x : fallback);

function newId(prefix: string): string {
  const rand = Math.floor(Math.random() * 2 ** 32).toString(36);
  return `${prefix}-${Date.now().toString(36)}-${rand}`;
}

/** Records a new run (status 'running') and returns it. */
export async function createRun(opts: { name: string; config: ExperimentConfig; now?: number }): Promise<RunRecord> {
  const now = opts.now ?? Date.now();
  const run: RunRecord = {
    id: newId('run'),
    schema: RECORD_SCHEMA,
    name: opts.name,
    config: structuredClone(opts.config),
    createdAt: now,
    updatedAt: now,
    status: 'running',
  };
  const db = await openAppDb();
  await db.put('runs', run);
  return run;
}

/** Sets a run's status (and touches updatedAt); a missing or stale run is left alone. */
export async function setRunStatus(runId: string, status: RunStatus): Promise<void> {
  const db = await openAppDb();
  const tx = db.transaction('runs', 'readwrite');
  const run = (await tx.store.get(runId)) as RunRecord | undefined;
  if (run && run.schema === RECORD_SCHEMA) await tx.store.put({ ...run, status, updatedAt: Date.now() });
  await tx.done;
}

function summarizeRun(r: unknown): RunSummary {
  const rec = isObj(r) ? r : {};
  const stale = rec.schema !== RECORD_SCHEMA;
  const status = ['running', 'finished', 'stopped', 'interrupted'].includes(rec.status as string) ? (rec.status as RunStatus) : 'unknown';
  return {
    id: String(rec.id ?? ''),
    name: typeof rec.name === 'string' ? rec.name : 'unnamed run',
    status,
    createdAt: num(rec.createdAt),
    updatedAt: num(rec.updatedAt),
    problem: stale ? "This run was saved by an older version of the app; it can't be resumed — delete it." : null,
  };
}

/** The small half of a checkpoint, checked field by field before it is listed or resumed. */
const checkpointRecordSchema = v.object({
  id: v.pipe(v.string(), v.maxLength(200)),
  runId: v.pipe(v.string(), v.maxLength(200)),
  schema: v.literal(RECORD_SCHEMA),
  name: v.pipe(v.string(), v.maxLength(500)),
  epoch: v.pipe(v.number(), v.integer(), v.minValue(1)),
  metrics: v.object({ loss: v.number(), acc: v.number(), val_loss: v.optional(v.number()), val_acc: v.optional(v.number()), lr: v.optional(v.number()) }),
  sizeBytes: v.pipe(v.number(), v.minValue(0)),
  createdAt: v.number(),
  dataId: v.pipe(v.string(), v.maxLength(200)),
});

function summarizeCheckpoint(c: unknown): CheckpointSummary {
  const rec = isObj(c) ? c : {};
  const checked = rec.schema === RECORD_SCHEMA ? check(checkpointRecordSchema, c, 'This checkpoint record is damaged') : null;
  // The field at fault is named, so a learner (or we) can tell a damaged record from a bug.
  const problem = rec.schema !== RECORD_SCHEMA ? STALE_MESSAGE : checked!.ok ? null : `${checked!.problem} It cannot be resumed — delete it.`;
  return {
    id: String(rec.id ?? ''),
    runId: String(rec.runId ?? ''),
    name: typeof rec.name === 'string' ? rec.name : 'unnamed checkpoint',
    epoch: num(rec.epoch),
    metrics: checked?.ok ? checked.value.metrics : null,
    sizeBytes: num(rec.sizeBytes),
    createdAt: num(rec.createdAt),
    problem,
  };
}

/** Every run, newest first. */
export async function listRuns(): Promise<RunSummary[]> {
  const db = await openAppDb();
  const all = await db.getAll('runs');
  return all.map(summarizeRun).sort((a, b) => b.updatedAt - a.updatedAt);
}

/** A run's checkpoints (or every checkpoint), oldest epoch first; never throws on bad records. */
export async function listCheckpoints(runId?: string): Promise<CheckpointSummary[]> {
  const db = await openAppDb();
  // Through the index: only the small records have a runId.
  const all = runId === undefined ? await db.getAllFromIndex('checkpoints', 'runId') : await db.getAllFromIndex('checkpoints', 'runId', runId);
  return all.map(summarizeCheckpoint).sort((a, b) => a.createdAt - b.createdAt || a.epoch - b.epoch);
}

/** The run record, or null when missing or stale. */
export async function getRun(runId: string): Promise<RunRecord | null> {
  const db = await openAppDb();
  const run = (await db.get('runs', runId)) as RunRecord | undefined;
  return run && run.schema === RECORD_SCHEMA ? run : null;
}

/**
 * Stores a snapshot as a checkpoint of `runId`, then deletes the run's oldest ones beyond
 * `keepLast` (0 keeps all). Resolves to its id and size; a full storage rejects with a
 * message that says what to delete.
 */
export async function saveCheckpoint(
  runId: string,
  snapshot: CheckpointSnapshot,
  info: { name: string; epoch: number; metrics: EpochLogs },
  opts: { keepLast?: number; now?: number } = {},
): Promise<{ id: string; sizeBytes: number }> {
  const data = serializeSnapshot(snapshot);
  const id = newId('ckpt');
  const record: CheckpointRecord = {
    id,
    dataId: `${id}/data`,
    runId,
    schema: RECORD_SCHEMA,
    name: info.name,
    epoch: info.epoch,
    metrics: { ...info.metrics },
    sizeBytes: serializedBytes(data),
    createdAt: opts.now ?? Date.now(),
  };
  const db = await openAppDb();
  try {
    const tx = db.transaction(['checkpoints', 'runs'], 'readwrite');
    const heavy: CheckpointDataRecord = { id: record.dataId, schema: RECORD_SCHEMA, checkpointId: id, data };
    await tx.objectStore('checkpoints').put(heavy);
    await tx.objectStore('checkpoints').put(record);
    const run = (await tx.objectStore('runs').get(runId)) as RunRecord | undefined;
    if (run && run.schema === RECORD_SCHEMA) await tx.objectStore('runs').put({ ...run, updatedAt: record.createdAt });
    else if (run === undefined) {
      // The run's record is gone (the site's data was cleared mid-run, and the database came
      // back empty): recreate it from the checkpoint's settings, so the checkpoint stays listed
      // under a run and the run can be resumed after a reload.
      const again: RunRecord = {
        id: runId,
        schema: RECORD_SCHEMA,
        name: checkpointRunName(snapshot.config),
        config: structuredClone(snapshot.config),
        createdAt: record.createdAt,
        updatedAt: record.createdAt,
        status: 'running',
      };
      await tx.objectStore('runs').put(again);
    }
    await tx.done;
  } catch (err) {
    if (isQuotaError(err)) throw new Error(await quotaAdvice(record.sizeBytes));
    throw err;
  }
  if (opts.keepLast && opts.keepLast > 0) {
    const mine = (await listCheckpoints(runId)).filter((c) => c.problem === null);
    for (const old of mine.slice(0, Math.max(0, mine.length - opts.keepLast))) await deleteCheckpoint(old.id);
  }
  return { id: record.id, sizeBytes: record.sizeBytes };
}

/** What a learner can delete when storage is full: the biggest checkpoints first. */
async function quotaAdvice(needed: number): Promise<string> {
  let list: CheckpointSummary[] = [];
  try {
    list = await listCheckpoints();
  } catch {
    // listing failed too: give the general advice
  }
  const biggest = [...list].sort((a, b) => b.sizeBytes - a.sizeBytes).slice(0, 3);
  const names = biggest.map((c) => `${c.name} (${formatBytes(c.sizeBytes)})`).join(', ');
  return (
    `The browser's storage for this site is full (this checkpoint needs ${formatBytes(needed)}). ` +
    (names ? `Delete old checkpoints in the Checkpoints panel, for example ${names}, ` : 'Delete old checkpoints in the Checkpoints panel ') +
    'or lower "keep last" so fewer are kept.'
  );
}

/** Loads a checkpoint for resuming; throws a learner-facing message for stale or damaged ones. */
export async function loadCheckpoint(id: string): Promise<{ record: CheckpointRecord; snapshot: CheckpointSnapshot }> {
  const db = await openAppDb();
  const raw = (await db.get('checkpoints', id)) as unknown;
  if (raw === undefined) {
    throw new Error('This checkpoint is no longer stored (it was deleted, perhaps in another tab). Pick another one or train anew.');
  }
  const summary = summarizeCheckpoint(raw);
  if (summary.problem) throw new Error(summary.problem);
  const record = check(checkpointRecordSchema, raw, 'This checkpoint record is damaged');
  if (!record.ok) throw new Error(record.problem);
  const heavy = (await db.get('checkpoints', record.value.dataId)) as unknown;
  if (!isObj(heavy) || !isObj(heavy.data) || !(heavy.data.data instanceof ArrayBuffer)) throw new Error(DAMAGED_MESSAGE);
  return { record: record.value, snapshot: deserializeSnapshot(heavy.data as unknown as SerializedSnapshot) };
}

/** Deletes a checkpoint and its weights. */
export async function deleteCheckpoint(id: string): Promise<void> {
  const db = await openAppDb();
  const tx = db.transaction('checkpoints', 'readwrite');
  const rec = (await tx.store.get(id)) as Partial<CheckpointRecord> | undefined;
  await tx.store.delete(id);
  if (typeof rec?.dataId === 'string') await tx.store.delete(rec.dataId);
  await tx.done;
}

/** Deletes a run and all its checkpoints. */
export async function deleteRun(runId: string): Promise<void> {
  const db = await openAppDb();
  const tx = db.transaction(['checkpoints', 'runs'], 'readwrite');
  const recs = (await tx.objectStore('checkpoints').index('runId').getAll(runId)) as Partial<CheckpointRecord>[];
  const ids = recs.flatMap((r) => [r.id, r.dataId].filter((x): x is string => typeof x === 'string'));
  await Promise.all([...ids.map((k) => tx.objectStore('checkpoints').delete(k)), tx.objectStore('runs').delete(runId)]);
  await tx.done;
}

/**
 * Records of the checkpoints store that no listed checkpoint owns: weights whose small record
 * is gone, or records without a run id (garbage). They are not in the list, so they are
 * offered for deletion on their own. Reads keys only, and the small records.
 */
export async function listUnlistedCheckpointData(): Promise<string[]> {
  const db = await openAppDb();
  const tx = db.transaction('checkpoints');
  const [keys, listed] = await Promise.all([tx.store.getAllKeys(), tx.store.index('runId').getAll()]);
  const owned = new Set<IDBValidKey>();
  for (const r of listed as Partial<CheckpointRecord>[]) {
    if (r.id !== undefined) owned.add(r.id);
    if (typeof r.dataId === 'string') owned.add(r.dataId);
  }
  return keys.filter((k) => !owned.has(k)).map(String);
}

/** Deletes records of the checkpoints store by id (see `listUnlistedCheckpointData`). */
export async function deleteCheckpointRecords(ids: readonly string[]): Promise<void> {
  const db = await openAppDb();
  const tx = db.transaction('checkpoints', 'readwrite');
  await Promise.all([...ids.map((id) => tx.store.delete(id)), tx.done]);
}

export interface StorageUsage {
  /** Bytes of all stored checkpoints, by their recorded size. */
  checkpointBytes: number;
  checkpointCount: number;
  /** The browser's figures for the whole site, when it gives them. */
  estimate: { usage: number; quota: number } | null;
  /** Everything the site stores, store by store (asked for with `allStores`). */
  site?: SiteUsage;
}

/**
 * The checkpoints' use, and with `allStores` the use of every store (it reads every record:
 * asked for between runs, not at each checkpoint).
 */
export async function storageUsage(opts: { allStores?: boolean } = {}): Promise<StorageUsage> {
  const list = await listCheckpoints();
  const checkpoints = { checkpointBytes: list.reduce((n, c) => n + c.sizeBytes, 0), checkpointCount: list.length };
  if (opts.allStores) {
    const site = await siteUsage();
    return { ...checkpoints, estimate: site.estimate, site };
  }
  let estimate: StorageUsage['estimate'] = null;
  try {
    estimate = await storageEstimate();
  } catch {
    // some browsers refuse estimate() in private windows
  }
  return { ...checkpoints, estimate };
}

/**
 * Runs still marked 'running' when a page opens were cut off (the tab was closed or
 * reloaded mid-run): marks them 'interrupted' and returns the newest one that has a
 * resumable checkpoint, with its last checkpoint.
 */
/**
 * The Web Lock a training worker holds while it trains stored run `runId` (any tab): a run whose
 * lock is held is live somewhere, not interrupted, and must not be resumed a second time.
 */
export const runLockName = (runId: string): string => `playground-run:${runId}`;

function lockManager(): LockManager | null {
  return (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks ?? null;
}

/** Ids of the stored runs some tab is training right now (empty where Web Locks are missing). */
async function liveRunIds(): Promise<Set<string>> {
  const locks = lockManager();
  if (!locks) return new Set();
  const { held = [] } = await locks.query();
  return new Set(held.map((l) => l.name ?? '').filter((n) => n.startsWith('playground-run:')).map((n) => n.slice('playground-run:'.length)));
}

/** Whether some tab (this one included) trains stored run `runId` right now. */
export async function isRunLive(runId: string): Promise<boolean> {
  return (await liveRunIds()).has(runId);
}

/** What a page or worker says when asked to resume a run that trains elsewhere. */
export const RUN_LIVE_ELSEWHERE =
  'This run is training in another tab or window right now: let it finish there (or stop it there), then resume it here.';

/**
 * Takes run `runId`'s lock for as long as it trains: the release function, 'held' when another
 * tab trains it now, or null where Web Locks are missing.
 */
export function holdRunLock(runId: string): Promise<(() => void) | 'held' | null> {
  const locks = lockManager();
  if (!locks) return Promise.resolve(null);
  return new Promise((resolve) => {
    void locks.request(runLockName(runId), { ifAvailable: true }, (lock) => {
      if (!lock) return resolve('held');
      return new Promise<void>((release) => resolve(release));
    });
  });
}

/** A run record younger than this is never taken for an empty cut-off run (it may be saving its first checkpoint). */
const EMPTY_RUN_GRACE_MS = 60_000;

/** Runs whose lock this page already waits for (see `findInterruptedRun`). */
const awaitedLocks = new Set<string>();

/**
 * Calls `then` once the lock of run `runId` is free: its trainer stopped, or its page went
 * away. A reloaded page's old worker may still hold it for a moment when the new page looks.
 */
function whenRunLockFree(runId: string, then: () => void): void {
  const locks = lockManager();
  if (!locks || awaitedLocks.has(runId)) return;
  awaitedLocks.add(runId);
  void locks
    .request(runLockName(runId), { mode: 'shared' }, async () => {})
    .then(() => {
      awaitedLocks.delete(runId);
      then();
    });
}

/**
 * `onLiveRunEnded` is called when a run that was live (its lock held) at the time of the look
 * lets its lock go: look again then, since a page reloaded mid-run cuts its run off only once
 * its old worker is gone, which may be after the new page first looked.
 */
export async function findInterruptedRun(
  opts: { onLiveRunEnded?: () => void } = {},
): Promise<{ run: RunSummary; checkpoint: CheckpointSummary } | null> {
  const runs = await listRuns();
  const live = await liveRunIds();
  let found: { run: RunSummary; checkpoint: CheckpointSummary } | null = null;
  for (const run of runs) {
    if (run.problem || (run.status !== 'running' && run.status !== 'interrupted')) continue;
    if (live.has(run.id)) {
      // training in another tab (or in this one), not interrupted: unless it stops without
      // saying so (its tab closed or reloaded)
      if (opts.onLiveRunEnded) whenRunLockFree(run.id, opts.onLiveRunEnded);
      continue;
    }
    const all = await listCheckpoints(run.id);
    if (all.length === 0 && run.updatedAt < Date.now() - EMPTY_RUN_GRACE_MS) {
      // Cut off before its first checkpoint (a worker restarted during the first step): there is
      // nothing to resume or to delete, so the record goes, rather than linger unlisted. (Were
      // it still training unseen, its next checkpoint would recreate it: see saveCheckpoint.)
      await deleteRun(run.id);
      continue;
    }
    if (run.status === 'running') await setRunStatus(run.id, 'interrupted');
    if (found) continue;
    const good = all.filter((c) => c.problem === null);
    const last = good.sort((a, b) => a.epoch - b.epoch)[good.length - 1];
    if (last) found = { run: { ...run, status: 'interrupted' }, checkpoint: last };
  }
  return found;
}
