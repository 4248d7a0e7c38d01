import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAppDb, DB_NAME } from './db';
import { hash, loadSpeeds, MAX_AGE_MS, saveSpeeds, speedKey } from './backendSpeeds';

afterEach(async () => {
  await closeAppDb();
  indexedDB.deleteDatabase(DB_NAME);
});

describe('backend speed cache', () => {
  it('returns what was saved for the same device and model', async () => {
    await saveSpeeds('dev A', 'mlp b32', { wasm: 5000, webgl: 600 }, 1000);
    expect(await loadSpeeds('dev A', 'mlp b32', 2000)).toEqual({ wasm: 5000, webgl: 600 });
  });

  it('keeps devices and model shapes apart', async () => {
    await saveSpeeds('dev A', 'mlp b32', { wasm: 5000 }, 1000);
    expect(await loadSpeeds('dev B', 'mlp b32', 1000)).toBeNull();
    expect(await loadSpeeds('dev A', 'mlp b128', 1000)).toBeNull();
  });

  it('forgets measurements older than the maximum age', async () => {
    await saveSpeeds('dev A', 'cnn', { cpu: 55 }, 0);
    expect(await loadSpeeds('dev A', 'cnn', MAX_AGE_MS + 1)).toBeNull();
  });

  it('uses short stable ids', () => {
    expect(hash('abc')).toBe(hash('abc'));
    expect(hash('abc')).not.toBe(hash('abd'));
    expect(speedKey('d', 'm')).toMatch(/^backendSpeed:v\d+:[0-9a-f]{8}:[0-9a-f]{8}$/);
  });
});
