import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAppDb, DB_NAME, isQuotaError, openAppDb, STORES } from './db';

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
