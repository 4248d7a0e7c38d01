/**
 * The wasm thread count chosen by measurement, cached in the `settings` store so that the
 * probe (a few training steps per candidate count, each in its own worker) runs once per
 * device. Keyed by the device (browser and logical cores) only, not by model shape: the count
 * is fixed when the training worker starts WebAssembly, so every later model of the page runs
 * with it anyway; and on the 2-core machine here (shared with other jobs) the same count varied
 * by up to 40% between back-to-back workers, more than between the MLP and the Small CNN
 * (scripts/bench-threads.mjs). Bump THREADS_PROBE_VERSION when a change makes old decisions
 * wrong.
 */
import { openAppDb, RECORD_SCHEMA } from './db';
import { hash, MAX_AGE_MS } from './backendSpeeds';
import type { ThreadSpeed } from '../core/training/threadChoice';

export const THREADS_PROBE_VERSION = 1;

export interface ThreadChoice {
  threads: number;
  /** Samples/s per candidate count, as measured. */
  speeds: ThreadSpeed[];
}

export interface ThreadChoiceRecord extends ThreadChoice {
  id: string;
  schema: number;
  kind: 'wasmThreads';
  device: string;
  measuredAt: number;
}

/** The record id for this device. */
export function threadChoiceKey(device: string): string {
  return `wasmThreads:v${THREADS_PROBE_VERSION}:${hash(device)}`;
}

/** The cached choice, or null when none, stale, of another format, or storage is unavailable. */
export async function loadThreadChoice(device: string, now = Date.now()): Promise<ThreadChoice | null> {
  try {
    const db = await openAppDb();
    const record = (await db.get('settings', threadChoiceKey(device))) as ThreadChoiceRecord | undefined;
    if (!record || record.schema !== RECORD_SCHEMA || record.kind !== 'wasmThreads') return null;
    if (record.device !== device) return null; // a hash collision must not cross devices
    if (now - record.measuredAt > MAX_AGE_MS) return null;
    return { threads: record.threads, speeds: record.speeds };
  } catch {
    return null; // no IndexedDB (private windows): the probe runs again next time
  }
}

/** Stores the choice; storage failures are ignored (the cache is an optimisation). */
export async function saveThreadChoice(device: string, choice: ThreadChoice, now = Date.now()): Promise<void> {
  try {
    const db = await openAppDb();
    const record: ThreadChoiceRecord = {
      id: threadChoiceKey(device),
      schema: RECORD_SCHEMA,
      kind: 'wasmThreads',
      device,
      threads: choice.threads,
      speeds: choice.speeds,
      measuredAt: now,
    };
    await db.put('settings', record);
  } catch {
    // nothing to do: the next worker measures again
  }
}
