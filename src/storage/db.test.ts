import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAppDb, DB_NAME, DB_VERSION, isQuotaError, openAppDb, STORES } from './db';

afterEach(async () => {
  await closeAppDb();
  indexedDB.deleteDatabase(DB_NAME);
});

describe('openAppDb', () => {
  it('creates every store with its indexes, keyed by id', async () => {
    const db = await openAppDb();
    expect([...db.objectStoreNames].sort()).toEqual(Object.keys(STORES).sort());
    await db.put('checkpoints', { id: 'a', runId: 'r1' });
    await db.put('checkpoints', { id: 'b', runId: 'r2' });
    expect(await db.getAllFromIndex('checkpoints', 'runId', 'r1')).toEqual([{ id: 'a', runId: 'r1' }]);
  });

  it('upgrades a version 1 database: keeps its records and adds the stores it lacks', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        const store = req.result.createObjectStore('models', { keyPath: 'id' });
        store.put({ id: 'kept', name: 'kept' });
      };
      req.onsuccess = () => (req.result.close(), resolve());
      req.onerror = () => reject(req.error);
    });
    const db = await openAppDb();
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(Object.keys(STORES).sort());
    expect(await db.get('models', 'kept')).toEqual({ id: 'kept', name: 'kept' });
  });

  it('shares one connection', async () => {
    expect(await openAppDb()).toBe(await openAppDb());
  });
});

describe('isQuotaError', () => {
  it('recognises the quota error by name or message', () => {
    expect(isQuotaError(new DOMException('full', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaError(new Error('Quota exceeded'))).toBe(true);
    expect(isQuotaError(new Error('other'))).toBe(false);
    expect(isQuotaError(null)).toBe(false);
  });
});
