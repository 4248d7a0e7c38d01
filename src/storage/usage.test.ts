import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAppDb, DB_NAME, openAppDb, STORES } from './db';
import { approxBytes, siteUsage } from './usage';
import { storageText } from '../components/checkpoints/storageText';

afterEach(async () => {
  await closeAppDb();
  indexedDB.deleteDatabase(DB_NAME);
});

describe('what the site stores', () => {
  it('sizes binary data by its length, text at two bytes a character, and survives loops', () => {
    expect(approxBytes(new ArrayBuffer(1000))).toBe(1000);
    expect(approxBytes(new Float32Array(10))).toBe(40);
    expect(approxBytes('abc')).toBe(6);
    expect(approxBytes({ a: 1 })).toBe(2 + 8);
    const loop: Record<string, unknown> = { name: 'x' };
    loop.self = loop;
    expect(approxBytes(loop)).toBe(2 * 'name'.length + 2 + 2 * 'self'.length);
    const shared = new ArrayBuffer(500);
    expect(approxBytes([shared, shared])).toBe(500);
  });

  it('counts every store, records without a parent and garbage included', async () => {
    const db = await openAppDb();
    await db.put('checkpoints', { id: 'orphan', runId: 'run-gone', schema: 1, name: 'model-01' });
    await db.put('checkpoints', { id: 'orphan/data', schema: 1, data: { data: new ArrayBuffer(2_000_000) } });
    await db.put('models', { id: 'm', schema: 1, weights: new ArrayBuffer(300_000), modelJson: '{}' });
    await db.put('datasets', { id: 'import:a', schema: 1, name: 'a' });
    await db.put('datasetChunks', { id: 'import:a/train/images/0', datasetId: 'import:a', bytes: new ArrayBuffer(50_000) });
    await db.put('datasetChunks', { id: 'import:gone/train/images/0', datasetId: 'import:gone', bytes: new ArrayBuffer(7_000) });
    await db.put('history', { id: 'h', curves: new Array(100).fill(0.5) });
    await db.put('settings', { id: 's', value: 'x'.repeat(100) });
    await db.put('runs', { id: 'junk', schema: 'not a number', nested: { deep: [1, 2, 3] } });
    const use = await siteUsage();
    const part = (p: string) => use.parts.find((x) => x.part === p)!;
    expect(part('checkpoints').bytes).toBeGreaterThan(2_000_000);
    expect(part('checkpoints').records).toBe(3); // two checkpoint records and the run record
    expect(part('models').bytes).toBeGreaterThan(300_000);
    expect(part('datasets').bytes).toBeGreaterThan(57_000); // the chunks of a dataset that is gone too
    expect(part('datasets').records).toBe(3);
    expect(part('runs').bytes).toBeGreaterThanOrEqual(800);
    expect(part('other').bytes).toBeGreaterThanOrEqual(200);
    expect(use.totalBytes).toBe(use.parts.reduce((n, p) => n + p.bytes, 0));
    // Every store of the database is counted in some part.
    const records = use.parts.reduce((n, p) => n + p.records, 0);
    let stored = 0;
    for (const name of Object.keys(STORES)) stored += await db.count(name as keyof typeof STORES);
    expect(records).toBe(stored);
  });

  it('leaves out parts that hold nothing', async () => {
    await openAppDb();
    expect((await siteUsage()).parts).toEqual([]);
  });

  it('says what each part holds, and when the figure is from before the run', () => {
    const use = {
      checkpointBytes: 24_000_000,
      checkpointCount: 3,
      estimate: { usage: 33_000_000, quota: 10_000_000_000 },
      site: {
        parts: [
          { part: 'checkpoints' as const, bytes: 24_100_000, records: 7 },
          { part: 'models' as const, bytes: 2_700_000, records: 1 },
        ],
        totalBytes: 26_800_000,
        estimate: null,
      },
    };
    expect(storageText(use, false)).toBe(
      'Checkpoints use 24 MB (3 stored). This site stores 27 MB in this browser: checkpoints 24 MB, saved models 2.7 MB; ' +
        "the browser counts 33 MB for the site (with the app's own files), of the 10 GB it allows.",
    );
    expect(storageText(use, true)).toContain('saved models 2.7 MB (measured before this run);');
    expect(storageText({ checkpointBytes: 0, checkpointCount: 0, estimate: null }, false)).toBe('Checkpoints use 0 bytes (0 stored).');
  });
});
