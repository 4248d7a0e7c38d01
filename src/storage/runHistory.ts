/**
 * The Runs panel's records (object store `history` of ./db.ts): every finished run with its
 * settings, curves, events and results, so that runs can be compared after a reload. A record
 * that this version cannot read is listed with the reason (and can be deleted), never misread.
 */
import { isQuotaError, openAppDb } from './db';
import { readRunRecord, type RunRecord } from '../core/runs/record';

/** A stored value the Runs panel cannot show, and why. */
export interface UnreadableRun {
  id: string;
  reason: string;
}

/** Every stored run, oldest first, and the records that could not be read. */
export async function listRuns(): Promise<{ runs: RunRecord[]; unreadable: UnreadableRun[] }> {
  const db = await openAppDb();
  const all = (await db.getAll('history')) as unknown[];
  const runs: RunRecord[] = [];
  const unreadable: UnreadableRun[] = [];
  for (const value of all) {
    const r = readRunRecord(value);
    if (!r.ok) unreadable.push({ id: String((value as { id?: unknown } | null)?.id ?? '?'), reason: r.problem });
    else runs.push(r.value);
  }
  runs.sort((a, b) => a.createdAt - b.createdAt);
  return { runs, unreadable };
}

/** Stores (or replaces) a run; a full storage says what to do. */
export async function saveRun(record: RunRecord): Promise<void> {
  const db = await openAppDb();
  try {
    await db.put('history', record);
  } catch (err) {
    if (isQuotaError(err)) {
      throw new Error("The browser's storage for this site is full, so this run was not kept in the Runs list. Delete old runs, checkpoints or models, then train again.");
    }
    throw err;
  }
}

/** Deletes the runs `ids` (missing ones are ignored). */
export async function deleteRuns(ids: readonly string[]): Promise<void> {
  const db = await openAppDb();
  const tx = db.transaction('history', 'readwrite');
  await Promise.all([...ids.map((id) => tx.store.delete(id)), tx.done]);
}
