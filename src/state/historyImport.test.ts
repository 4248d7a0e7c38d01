/**
 * "Import run" through the store into the real IndexedDB storage of the Runs list
 * (fake-indexeddb): the PyTorch script's run.json is listed, stored, read back after a reload
 * and drawn like a browser run; a broken file, one too large, or a storage that fails changes
 * nothing.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { silentClient } from '../client/testing/silentClient';
import { closeAppDb, DB_NAME } from '../storage/db';
import * as runHistory from '../storage/runHistory';
import { createAppStore } from './store';
import type { RunFile, RunHistoryStorage } from './historySlice';
import { RUN_RECORD_SCHEMA, type RunRecord } from '../core/runs/record';
import { defaultConfig } from '../core/training/defaults';
import { overlays } from '../components/charts/overlay';

const SCRIPT_RUN = readFileSync(new URL('../core/runs/testdata/pytorch-run.json', import.meta.url), 'utf8');

afterEach(async () => {
  await closeAppDb();
  await new Promise((r) => (indexedDB.deleteDatabase(DB_NAME).onsuccess = r));
});

const file = (text: string, name = 'run.json'): RunFile & { reads: number } => {
  const f = {
    name,
    size: text.length,
    reads: 0,
    async text() {
      f.reads++;
      return text;
    },
  };
  return f;
};

const store = (history: RunHistoryStorage = runHistory) => createAppStore(silentClient, { history });

/** A browser run, trained at `createdAt`. */
const browserRun = (id: string, createdAt: number): RunRecord => ({
  id,
  kind: 'run',
  schema: RUN_RECORD_SCHEMA,
  name: `browser ${id}`,
  nameEdited: false,
  createdAt,
  endedAt: createdAt + 1000,
  durationMs: 1000,
  datasetName: 'MNIST',
  config: defaultConfig(),
  epochs: [{ epoch: 1, loss: 0.3, acc: 0.9, val_loss: 0.25, val_acc: 0.92 }],
  batches: [],
  events: [],
  test: { loss: 0.25, acc: 0.93, count: 10000 },
  backend: 'wasm',
  outcome: 'completed',
  compared: false,
  baseline: false,
});

describe('Import run', () => {
  it("lists and stores the PyTorch script's run.json like a browser run, and keeps it after a reload", async () => {
    const s = store();
    await runHistory.saveRun(browserRun('old', 1));
    await runHistory.saveRun(browserRun('new', Date.now()));
    await s.getState().loadHistory();

    expect(await s.getState().importRuns(file(SCRIPT_RUN))).toBe(true);
    const runs = s.getState().runs;
    // By start time (the fixture's run started in 2026), as the list reads back after a reload.
    expect(runs.map((r) => r.name)).toEqual(['browser old', 'PyTorch: MNIST', 'browser new']);
    const imported = runs[1]!;
    expect(imported.imported).toMatchObject({ fileName: 'run.json', source: 'pytorch' });
    expect(s.getState().historyMessage).toBe('Imported "PyTorch: MNIST" from run.json. Tick it to draw it over the curves.');

    // Drawn over this dataset's curves once ticked, as any run.
    await s.getState().setCompared(imported.id, true);
    expect(overlays(s.getState().runs, s.getState().config.datasetId, null).map((o) => o.name)).toEqual(['PyTorch: MNIST']);

    // A reload reads it back from IndexedDB, readable, with its origin.
    await closeAppDb();
    const reloaded = store();
    await reloaded.getState().loadHistory();
    expect(reloaded.getState().unreadableRuns).toEqual([]);
    expect(reloaded.getState().runs.map((r) => r.id)).toEqual(runs.map((r) => r.id));
    expect(reloaded.getState().runs[1]).toMatchObject({ name: 'PyTorch: MNIST', compared: true, imported: { source: 'pytorch' } });
  });

  it('never replaces a listed run: the same file twice gives two runs', async () => {
    const s = store();
    await s.getState().importRuns(file(SCRIPT_RUN));
    const first = structuredClone(s.getState().runs[0]!);
    await s.getState().renameRun(first.id, 'PyTorch, first try');
    await s.getState().importRuns(file(SCRIPT_RUN));
    const { runs } = s.getState();
    expect(runs.map((r) => r.name)).toEqual(['PyTorch, first try', 'PyTorch: MNIST']);
    expect(runs[0]!.id).toBe(first.id);
    expect(runs[1]!.id).not.toBe(first.id);
    const stored = (await runHistory.listRuns()).runs;
    expect(stored.map((r) => r.name).sort()).toEqual(['PyTorch, first try', 'PyTorch: MNIST']);
  });

  it('says what is wrong with a broken file, and changes nothing', async () => {
    const s = store();
    await runHistory.saveRun(browserRun('a', 1));
    await s.getState().loadHistory();
    const before = s.getState().runs;
    const broken = JSON.stringify({ ...JSON.parse(SCRIPT_RUN), epochs: [{ epoch: 1, loss: 'low', acc: 0.9 }] });
    expect(await s.getState().importRuns(file(broken, 'edited.json'))).toBe(false);
    expect(s.getState().historyMessage).toBe(
      'edited.json: the field "epochs.0.loss" is "low", which is not valid (expected a number). Nothing was imported.',
    );
    expect(s.getState().runs).toBe(before);
    expect((await runHistory.listRuns()).runs.map((r) => r.id)).toEqual(['a']);

    await s.getState().importRuns(file('<html>not a run</html>', 'page.html'));
    expect(s.getState().historyMessage).toMatch(/^page\.html is not JSON, so it is not a run file\. .* Nothing was imported\.$/);
    expect(s.getState().runs).toBe(before);
  });

  it('does not read a file too large to be a run file', async () => {
    const s = store();
    const big = { ...file('{}', 'huge.json'), size: 50e6 };
    expect(await s.getState().importRuns(big)).toBe(false);
    expect(big.reads).toBe(0);
    expect(s.getState().historyMessage).toMatch(/^huge\.json is 50 MB: too large to be a run file/);
  });

  it('adds nothing when the storage refuses one of the runs, and takes back the ones it stored', async () => {
    const saved = new Map<string, RunRecord>();
    const failing: RunHistoryStorage = {
      async listRuns() {
        return { runs: [], unreadable: [] };
      },
      async saveRun(r) {
        if (saved.size === 1) throw new Error("The browser's storage for this site is full.");
        saved.set(r.id, r);
      },
      async deleteRuns(ids) {
        for (const id of ids) saved.delete(id);
      },
    };
    const s = store(failing);
    const two = JSON.stringify({ kind: 'runs', schema: RUN_RECORD_SCHEMA, runs: [JSON.parse(SCRIPT_RUN), JSON.parse(SCRIPT_RUN)] });
    expect(await s.getState().importRuns(file(two, 'runs.json'))).toBe(false);
    expect(s.getState().runs).toEqual([]);
    expect(saved.size).toBe(0);
    expect(s.getState().historyMessage).toBe("runs.json was not imported: The browser's storage for this site is full.");
  });
});
