import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAppDb, DB_NAME, openAppDb } from './db';
import { MAX_AGE_MS, speedKey } from './backendSpeeds';
import { loadThreadChoice, saveThreadChoice, threadChoiceKey } from './threadChoice';

afterEach(async () => {
  await closeAppDb();
  indexedDB.deleteDatabase(DB_NAME);
});

const choice = {
  threads: 2,
  speeds: [
    { threads: 1, samplesPerSec: 2400 },
    { threads: 2, samplesPerSec: 3100 },
  ],
};

describe('wasm thread choice cache', () => {
  it('returns what was saved for the same device', async () => {
    await saveThreadChoice('Chrome | cores 4', choice, 1000);
    expect(await loadThreadChoice('Chrome | cores 4', 2000)).toEqual(choice);
  });

  it('keeps devices apart', async () => {
    await saveThreadChoice('Chrome | cores 4', choice, 1000);
    expect(await loadThreadChoice('Chrome | cores 8', 1000)).toBeNull();
  });

  it('forgets a choice older than the maximum age', async () => {
    await saveThreadChoice('Chrome | cores 4', choice, 0);
    expect(await loadThreadChoice('Chrome | cores 4', MAX_AGE_MS + 1)).toBeNull();
  });

  it('has its own record, apart from the backend speeds', async () => {
    expect(threadChoiceKey('d')).toMatch(/^wasmThreads:v\d+:[0-9a-f]{8}$/);
    expect(threadChoiceKey('d')).not.toBe(speedKey('d', ''));
    await saveThreadChoice('d', choice, 1000);
    const db = await openAppDb();
    expect(await db.get('settings', threadChoiceKey('d'))).toMatchObject({ kind: 'wasmThreads', device: 'd', threads: 2 });
  });

  it('ignores a record of another kind under its key', async () => {
    const db = await openAppDb();
    await db.put('settings', { id: threadChoiceKey('d'), schema: 1, kind: 'backendSpeed', device: 'd', measuredAt: 1000 });
    expect(await loadThreadChoice('d', 1000)).toBeNull();
  });
});
