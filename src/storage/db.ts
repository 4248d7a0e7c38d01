/**
 * The app's one IndexedDB database, opened from the page or the worker (both have
 * IndexedDB). Each feature keeps its records in its own object store and its own module
 * beside this one (checkpoints.ts, datasets.ts…); this file only owns the schema.
 *
 * Every record carries `schema`, the app's record format version: a record written by an
 * older app version is recognised and explained, never misread.
 */
import { openDB, type IDBPDatabase } from 'idb';

export const DB_NAME = 'training-playground';
/** 2: adds `history` (the Runs panel). Opening creates whatever store is missing. */
export const DB_VERSION = 2;
/** Bump when a record's shape changes; readers reject other versions with a message. */
export const RECORD_SCHEMA = 1;

export type StoreName = 'runs' | 'checkpoints' | 'models' | 'datasets' | 'datasetChunks' | 'settings' | 'history';

/** What each object store holds; every store is keyed by the record's `id`. */
export const STORES: Record<StoreName, { indexes: string[]; about: string }> = {
  runs: { indexes: ['updatedAt'], about: 'one record per training run that wrote checkpoints' },
  checkpoints: { indexes: ['runId'], about: 'resumable checkpoints: weights, optimizer slots, state' },
  models: { indexes: ['savedAt'], about: 'models saved by name: architecture and weights' },
  datasets: { indexes: ['createdAt'], about: 'imported datasets: metadata (name, classes, counts)' },
  datasetChunks: { indexes: ['datasetId'], about: 'imported datasets: pixel and label arrays in chunks' },
  settings: { indexes: [], about: 'small cached values (backend speed probes…)' },
  history: { indexes: ['createdAt'], about: 'finished runs for the Runs panel: settings, curves, events, results' },
};

let opening: Promise<IDBPDatabase> | null = null;

/** Opens (and on first use creates) the database; the connection is shared. */
export function openAppDb(): Promise<IDBPDatabase> {
  opening ??= openDB(DB_NAME, DB_VERSION, {
    upgrade(db) {
      for (const [name, { indexes }] of Object.entries(STORES)) {
        if (db.objectStoreNames.contains(name)) continue;
        const store = db.createObjectStore(name, { keyPath: 'id' });
        for (const index of indexes) store.createIndex(index, index);
      }
    },
    blocking() {
      // Another tab wants a newer version: let it, and reopen on next use.
      void opening?.then((db) => db.close());
      opening = null;
    },
  }).catch((err: unknown) => {
    opening = null;
    throw new Error(
      `The browser's storage (IndexedDB) could not be opened: ${(err as Error).message}. ` +
        'Private windows and some browser settings disable it; saving and resuming need it.',
    );
  });
  return opening;
}

/** Closes the shared connection (tests delete the database between cases). */
export async function closeAppDb(): Promise<void> {
  const p = opening;
  opening = null;
  if (p) (await p).close();
}

/** Bytes used and available to this site, when the browser says (navigator.storage). */
export async function storageEstimate(): Promise<{ usage: number; quota: number } | null> {
  const storage = (globalThis.navigator as Navigator | undefined)?.storage;
  if (!storage?.estimate) return null;
  const { usage = 0, quota = 0 } = await storage.estimate();
  return { usage, quota };
}

/** True for the error a write gets when the site's storage quota is full. */
export function isQuotaError(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name ?? '';
  return name === 'QuotaExceededError' || /quota/i.test(String((err as Error)?.message ?? ''));
}
