/**
 * Measured training speeds per backend, cached in the `settings` store so that automatic
 * backend choice probes once per device and model shape, not on every run. A record is keyed
 * by a hash of the device description (browser, GPU adapter, WebGL renderer, cores) and the
 * model's shape (layers, input shape, batch size); bump PROBE_VERSION when the kernels change
 * enough to make old measurements wrong.
 */
import { openAppDb, RECORD_SCHEMA } from './db';
import type { SpeedTable } from '../core/training/speedProbe';

export const PROBE_VERSION = 2;
/** Measurements older than this are taken again (browsers and drivers update). */
export const MAX_AGE_MS = 30 * 24 * 3600 * 1000;

export interface BackendSpeedRecord {
  id: string;
  schema: number;
  kind: 'backendSpeed';
  device: string;
  model: string;
  /** Samples per second per backend that could train the model. */
  speeds: SpeedTable;
  measuredAt: number;
}

/** FNV-1a, 32 bits, as 8 hex digits: short stable ids for long descriptions. */
export function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The record id for this device and model shape. */
export function speedKey(device: string, model: string): string {
  return `backendSpeed:v${PROBE_VERSION}:${hash(device)}:${hash(model)}`;
}

/** The cached speeds, or null when none, stale, of another format, or storage is unavailable. */
export async function loadSpeeds(device: string, model: string, now = Date.now()): Promise<SpeedTable | null> {
  try {
    const db = await openAppDb();
    const record = (await db.get('settings', speedKey(device, model))) as BackendSpeedRecord | undefined;
    if (!record || record.schema !== RECORD_SCHEMA || record.kind !== 'backendSpeed') return null;
    // A hash collision must not hand one model's speeds to another.
    if (record.device !== device || record.model !== model) return null;
    if (now - record.measuredAt > MAX_AGE_MS) return null;
    return record.speeds;
  } catch {
    return null; // private windows may have no IndexedDB: then we just measure every time
  }
}

/** Stores the speeds; storage failures are ignored (the cache is an optimisation). */
export async function saveSpeeds(device: string, model: string, speeds: SpeedTable, now = Date.now()): Promise<void> {
  try {
    const db = await openAppDb();
    const record: BackendSpeedRecord = {
      id: speedKey(device, model),
      schema: RECORD_SCHEMA,
      kind: 'backendSpeed',
      device,
      model,
      speeds,
      measuredAt: now,
    };
    await db.put('settings', record);
  } catch {
    // nothing to do: the next run measures again
  }
}
