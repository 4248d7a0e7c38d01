/**
 * What the site keeps in this browser, store by store: every object store of db.ts (records
 * with no parent and records of other versions included) and the settings kept in
 * localStorage. A learner whose storage fills up sees where the bytes are, not only the
 * checkpoints' share (3 checkpoints of 24 MB without a run once sat there uncounted in the
 * list).
 *
 * Sizes are what the records hold (binary data by its length, text at two bytes a character),
 * not the browser's own bookkeeping; `navigator.storage.estimate()`, where given, is the
 * browser's figure for the whole site (it also counts the app's files kept for offline use).
 * Reading every record costs time, so the page asks for this between runs, not at each
 * checkpoint; records are read one at a time through a cursor, in a worker of their own
 * (worker/usage.worker.ts) where the page has workers: reading a few checkpoints' weights on
 * the page's main thread blocked it for 100 ms and more.
 */
import { openAppDb, STORES, storageEstimate, type StoreName } from './db';

/** The parts the figure is split into, as a learner would name them. */
export type UsagePart = 'checkpoints' | 'models' | 'datasets' | 'runs' | 'other';

export const USAGE_LABELS: Record<UsagePart, string> = {
  checkpoints: 'checkpoints',
  models: 'saved models',
  datasets: 'imported datasets',
  runs: 'runs',
  other: 'settings and other records',
};

/** Which part each object store counts in. */
const PART_OF: Record<StoreName, UsagePart> = {
  checkpoints: 'checkpoints',
  runs: 'checkpoints', // the run records the checkpoints hang from
  models: 'models',
  datasets: 'datasets',
  datasetChunks: 'datasets',
  history: 'runs',
  settings: 'other',
};

export interface SiteUsage {
  /** Bytes and records per part, in the order of USAGE_LABELS; parts with nothing are left out. */
  parts: { part: UsagePart; bytes: number; records: number }[];
  totalBytes: number;
  /** The browser's figures for the whole site, when it gives them. */
  estimate: { usage: number; quota: number } | null;
}

/**
 * Roughly the bytes `value` holds: binary data by its length, strings at 2 bytes a character,
 * numbers at 8; a value met twice (a stored graph may share or loop) counts once.
 */
export function approxBytes(value: unknown, seen: Set<object> = new Set()): number {
  switch (typeof value) {
    case 'string':
      return 2 * value.length;
    case 'number':
    case 'bigint':
      return 8;
    case 'boolean':
      return 4;
    case 'object': {
      if (value === null) return 0;
      if (seen.has(value)) return 0;
      seen.add(value);
      if (value instanceof ArrayBuffer) return value.byteLength;
      if (ArrayBuffer.isView(value)) return value.byteLength;
      if (typeof Blob !== 'undefined' && value instanceof Blob) return value.size;
      if (value instanceof Map) {
        let n = 0;
        for (const [k, x] of value) n += approxBytes(k, seen) + approxBytes(x, seen);
        return n;
      }
      if (value instanceof Set) {
        let n = 0;
        for (const x of value) n += approxBytes(x, seen);
        return n;
      }
      if (Array.isArray(value)) return value.reduce((n: number, x) => n + approxBytes(x, seen), 0);
      let n = 0;
      for (const [k, x] of Object.entries(value)) n += 2 * k.length + approxBytes(x, seen);
      return n;
    }
    default:
      return 0;
  }
}

/** The bytes of what the site keeps in localStorage (the experiment being edited), or 0. */
function localStorageBytes(): number {
  try {
    const ls = (globalThis as { localStorage?: Storage }).localStorage;
    if (!ls) return 0;
    let n = 0;
    for (let i = 0; i < ls.length; i++) {
      const k = ls.key(i) ?? '';
      n += 2 * (k.length + (ls.getItem(k)?.length ?? 0));
    }
    return n;
  } catch {
    return 0;
  }
}

/**
 * Everything the site stores in this browser, part by part: the records read in a worker
 * where there are workers (the page), here otherwise (Node tests, a worker itself).
 */
export async function siteUsage(): Promise<SiteUsage> {
  const inPage = typeof Worker === 'function' && typeof window === 'object';
  const stored = inPage ? await storedUsageInWorker() : await storedUsage();
  const totals = new Map(stored.parts.map((p) => [p.part, { bytes: p.bytes, records: p.records }]));
  const local = localStorageBytes();
  if (local > 0) {
    const t = totals.get('other') ?? { bytes: 0, records: 0 };
    totals.set('other', { bytes: t.bytes + local, records: t.records });
  }
  const parts = (Object.keys(USAGE_LABELS) as UsagePart[])
    .map((part) => ({ part, ...(totals.get(part) ?? { bytes: 0, records: 0 }) }))
    .filter((p) => p.bytes > 0 || p.records > 0);
  return { parts, totalBytes: parts.reduce((n, p) => n + p.bytes, 0), estimate: stored.estimate };
}

/** `storedUsage` run in worker/usage.worker.ts; here if the worker cannot start. */
function storedUsageInWorker(): Promise<SiteUsage> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('../worker/usage.worker.ts', import.meta.url), { type: 'module', name: 'storage usage' });
    } catch {
      resolve(storedUsage());
      return;
    }
    worker.onmessage = (e: MessageEvent<{ usage?: SiteUsage; error?: string }>) => {
      worker.terminate();
      if (e.data.usage) resolve(e.data.usage);
      else reject(new Error(e.data.error ?? 'The storage use could not be measured'));
    };
    worker.onerror = () => {
      worker.terminate();
      resolve(storedUsage());
    };
  });
}

/** What the object stores hold, part by part, and the browser's estimate (no localStorage). */
export async function storedUsage(): Promise<SiteUsage> {
  const db = await openAppDb();
  const totals = new Map<UsagePart, { bytes: number; records: number }>();
  const add = (part: UsagePart, bytes: number, records: number) => {
    const t = totals.get(part) ?? { bytes: 0, records: 0 };
    totals.set(part, { bytes: t.bytes + bytes, records: t.records + records });
  };
  for (const name of Object.keys(STORES) as StoreName[]) {
    if (!db.objectStoreNames.contains(name)) continue;
    let bytes = 0;
    let records = 0;
    let cursor = await db.transaction(name).store.openCursor();
    while (cursor) {
      bytes += approxBytes(cursor.value);
      records++;
      cursor = await cursor.continue();
    }
    add(PART_OF[name], bytes, records);
  }
  const parts = (Object.keys(USAGE_LABELS) as UsagePart[])
    .map((part) => ({ part, ...(totals.get(part) ?? { bytes: 0, records: 0 }) }))
    .filter((p) => p.bytes > 0 || p.records > 0);
  let estimate: SiteUsage['estimate'] = null;
  try {
    estimate = await storageEstimate();
  } catch {
    // some browsers refuse estimate() in private windows
  }
  return { parts, totalBytes: parts.reduce((n, p) => n + p.bytes, 0), estimate };
}
