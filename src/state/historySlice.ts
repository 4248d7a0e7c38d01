/**
 * The Runs panel's state: every finished run (kept in IndexedDB through `RunHistoryStorage`),
 * which of them are drawn over the live curves, the baseline, and the actions on them. A run
 * is recorded when it ends (its test result is added when it comes), named after what differs
 * from the run before it.
 */
import type { ClientEvent } from '../client/trainingClient';
import { RUN_RECORD_SCHEMA, type RunOutcome, type RunRecord } from '../core/runs/record';
import { runName, summaryName, uniqueName } from '../core/runs/settings';
import { lessonById } from '../core/lessons/catalog';
import { importRunFile, insertByCreation, MAX_RUN_FILE_BYTES } from '../core/runs/importRun';
import type { UnreadableRun } from '../storage/runHistory';
import { toBatchSeries } from '../components/charts/series';
import { formatBytesCompared } from '../core/format';
import type { AppState, AppStore } from './store';

/** The storage functions the slice uses (storage/runHistory in the app; fakes in tests). */
export interface RunHistoryStorage {
  listRuns(): Promise<{ runs: RunRecord[]; unreadable: UnreadableRun[] }>;
  saveRun(record: RunRecord): Promise<void>;
  deleteRuns(ids: readonly string[]): Promise<void>;
}

/** A file chosen to import (a File in the page; anything with these members in tests). */
export interface RunFile {
  name: string;
  /** Bytes. */
  size: number;
  text(): Promise<string>;
}

/** Points kept of a run's per-batch curve. */
export const RECORDED_BATCH_POINTS = 300;
/** Most runs drawn over the live curves at once (each has its own colour). */
export const MAX_COMPARED = 6;

export interface HistorySlice {
  /** Recorded runs, oldest first. */
  runs: RunRecord[];
  unreadableRuns: UnreadableRun[];
  historyMessage: string | null;
  /** The record of the run on screen (the live curves), once it has ended. */
  liveRecordId: string | null;
  /** When the run on screen began training (ms since 1970), for its duration. */
  liveStartedAt: number | null;
  loadHistory(): Promise<void>;
  renameRun(id: string, name: string): Promise<void>;
  deleteRun(id: string): Promise<void>;
  deleteUnreadableRuns(): Promise<void>;
  setCompared(id: string, compared: boolean): Promise<void>;
  /** Pins `id` as the baseline (null: none). */
  setBaseline(id: string | null): Promise<void>;
  /**
   * Adds the runs of a run file (the PyTorch script's run.json, or the Runs list's JSON export)
   * as new records, stored and listed like the browser's; a file with a problem changes nothing
   * and says why. True when runs were added.
   */
  importRuns(file: RunFile): Promise<boolean>;
  /** Called with every batch of worker events, after they are applied. */
  noteRunEvents(events: readonly ClientEvent[]): void;
}

const OUTCOME: Record<'completed' | 'stopped' | 'error', RunOutcome> = { completed: 'completed', stopped: 'stopped', error: 'error' };

function outcomeOf(reason: 'completed' | 'stopped' | 'callback' | 'error', s: AppState): RunOutcome {
  if (reason !== 'callback') return OUTCOME[reason];
  if (s.events.some((e) => e.kind === 'nan' || e.kind === 'divergence')) return 'diverged';
  return s.events.some((e) => e.kind === 'earlyStop') ? 'early stop' : 'stopped';
}

/** A lesson step's own name ("raw pixels", "+ Dropout 0.5"), for a lesson's run. */
function lessonStepName(s: AppState): string | null {
  const run = s.lessonRun;
  return run ? (lessonById(run.id)?.steps[run.step]?.name ?? null) : null;
}

/** A record of the run on screen, as it ended. */
function recordOf(s: AppState, reason: 'completed' | 'stopped' | 'callback' | 'error'): RunRecord {
  const previous = [...s.runs].reverse().find((r) => r.config.datasetId === s.config.datasetId) ?? null;
  const now = Date.now();
  const batches = toBatchSeries(s.batchPoints, 'raw', { maxPoints: RECORDED_BATCH_POINTS }).map((b) => ({
    step: b.step,
    epochFraction: b.epochFraction,
    loss: b.loss,
    acc: b.acc,
  }));
  return {
    id: `run-${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    kind: 'run',
    schema: RUN_RECORD_SCHEMA,
    name: uniqueName(lessonStepName(s) ?? runName(s.config, previous?.config ?? null), s.runs.map((r) => r.name)),
    nameEdited: false,
    createdAt: s.liveStartedAt ?? now,
    endedAt: now,
    durationMs: s.liveStartedAt ? now - s.liveStartedAt : 0,
    datasetName: s.datasets[s.config.datasetId]?.name ?? s.config.datasetId,
    config: structuredClone(s.config),
    epochs: s.epochPoints.map(({ epoch, loss, acc, val_loss, val_acc, lr }) => ({
      epoch,
      loss,
      acc,
      ...(val_loss !== undefined && { val_loss }),
      ...(val_acc !== undefined && { val_acc }),
      ...(lr !== undefined && { lr }),
    })),
    batches,
    events: [...s.events],
    test: s.testResult,
    backend: s.backend ? (s.backend.label ?? s.backend.backend) : null,
    outcome: outcomeOf(reason, s),
    // A lesson's runs carry its step and are drawn over the charts at once.
    compared: s.lessonRun !== null,
    baseline: false,
    ...(s.lessonRun && { lesson: s.lessonRun }),
  };
}

/**
 * The name the first run of a pair gets once the second is recorded: its own values of what
 * the second run changed ("raw pixels" against "normalize [0,1]"), while it still has its
 * automatic summary name.
 */
function renamedFirst(first: RunRecord, second: RunRecord, taken: string[]): string | null {
  if (first.nameEdited || first.name !== uniqueName(summaryName(first.config), taken.filter((n) => n !== first.name))) return null;
  const name = runName(first.config, second.config);
  return name === 'same settings again' ? null : uniqueName(name, taken.filter((n) => n !== first.name));
}

export function createHistorySlice(set: AppStore['setState'], get: AppStore['getState'], storage: RunHistoryStorage | null): HistorySlice {
  const persist = async (records: RunRecord[]) => {
    if (!storage) return;
    try {
      for (const r of records) await storage.saveRun(r);
    } catch (err) {
      set({ historyMessage: (err as Error).message });
    }
  };
  /** The recordings and result updates in order, each in a task after the flush that brought it. */
  let pending: Promise<void> = Promise.resolve();
  const update = async (id: string, patch: (r: RunRecord) => RunRecord | null) => {
    const changed: RunRecord[] = [];
    set((s) => ({
      runs: s.runs.map((r) => {
        if (r.id !== id) return r;
        const next = patch(r);
        if (next) changed.push(next);
        return next ?? r;
      }),
    }));
    await persist(changed);
  };

  /** Records the run as `ended` shows it (the state when its end arrived). */
  const record = (reason: 'completed' | 'stopped' | 'callback' | 'error', ended: AppState) => {
    if (ended.epochPoints.length === 0 && ended.batchPoints.length === 0) return; // nothing trained
    const s = { ...ended, runs: get().runs };
    const rec = recordOf(s, reason);
    const sameDataset = s.runs.filter((r) => r.config.datasetId === rec.config.datasetId);
    const changed = [rec];
    let runs = [...s.runs, rec];
    if (sameDataset.length === 1 && !rec.lesson) {
      const name = renamedFirst(sameDataset[0]!, rec, runs.map((r) => r.name));
      if (name) {
        const first = { ...sameDataset[0]!, name };
        runs = runs.map((r) => (r.id === first.id ? first : r));
        changed.push(first);
      }
    }
    set({ runs, liveRecordId: rec.id });
    void persist(changed);
    if (rec.lesson) get().lessonRunRecorded(rec);
  };

  return {
    runs: [],
    unreadableRuns: [],
    historyMessage: null,
    liveRecordId: null,
    liveStartedAt: null,
    async loadHistory() {
      if (!storage) return;
      try {
        const { runs, unreadable } = await storage.listRuns();
        // Runs recorded before the list came in (a fast first run) stay.
        set((s) => ({ runs: [...runs.filter((r) => !s.runs.some((x) => x.id === r.id)), ...s.runs], unreadableRuns: unreadable }));
      } catch (err) {
        set({ historyMessage: `The Runs list could not be read: ${(err as Error).message}` });
      }
    },
    async renameRun(id, raw) {
      const name = raw.trim().slice(0, 80);
      if (!name) return;
      await update(id, (r) => (r.name === name ? null : { ...r, name, nameEdited: true }));
    },
    async deleteRun(id) {
      set((s) => ({ runs: s.runs.filter((r) => r.id !== id), liveRecordId: s.liveRecordId === id ? null : s.liveRecordId }));
      try {
        await storage?.deleteRuns([id]);
      } catch (err) {
        set({ historyMessage: `Could not delete the run: ${(err as Error).message}` });
      }
    },
    async deleteUnreadableRuns() {
      const ids = get().unreadableRuns.map((u) => u.id);
      set({ unreadableRuns: [] });
      try {
        await storage?.deleteRuns(ids);
      } catch (err) {
        set({ historyMessage: `Could not delete the unreadable runs: ${(err as Error).message}` });
      }
    },
    async setCompared(id, compared) {
      if (compared && get().runs.filter((r) => r.compared).length >= MAX_COMPARED) {
        set({ historyMessage: `At most ${MAX_COMPARED} runs can be drawn at once: untick one first.` });
        return;
      }
      set({ historyMessage: null });
      await update(id, (r) => (r.compared === compared ? null : { ...r, compared }));
    },
    async setBaseline(id) {
      const changed: RunRecord[] = [];
      set((s) => ({
        runs: s.runs.map((r) => {
          const baseline = r.id === id;
          if (r.baseline === baseline) return r;
          const next = { ...r, baseline };
          changed.push(next);
          return next;
        }),
      }));
      await persist(changed);
    },
    async importRuns(file) {
      const fileName = file.name;
      if (file.size > MAX_RUN_FILE_BYTES) {
        // Not read: no run file is this large.
        const sizes = formatBytesCompared(file.size, MAX_RUN_FILE_BYTES);
        set({ historyMessage: `${fileName} is ${sizes.a}: too large to be a run file (at most ${sizes.b}). Nothing was imported.` });
        return false;
      }
      let text: string;
      try {
        text = await file.text();
      } catch (err) {
        set({ historyMessage: `${fileName} could not be read (${(err as Error).message}). Nothing was imported.` });
        return false;
      }
      const r = importRunFile(text, fileName, get().runs, { now: Date.now() });
      if (!r.ok) {
        set({ historyMessage: `${r.problem} Nothing was imported.` });
        return false;
      }
      const added = r.value;
      if (storage) {
        // Stored first: a full storage leaves the list as it was.
        const saved: string[] = [];
        try {
          for (const run of added) {
            await storage.saveRun(run);
            saved.push(run.id);
          }
        } catch (err) {
          await storage.deleteRuns(saved).catch(() => undefined);
          set({ historyMessage: `${fileName} was not imported: ${(err as Error).message}` });
          return false;
        }
      }
      const datasetId = get().config.datasetId;
      const elsewhere = added.filter((run) => run.config.datasetId !== datasetId).length;
      const what = added.length === 1 ? `"${added[0]!.name}"` : `${added.length} runs`;
      const hint =
        elsewhere === added.length
          ? `${added.length === 1 ? 'It was' : 'They were'} trained on another dataset, so ${added.length === 1 ? 'it is' : 'they are'} drawn only over that dataset's curves.`
          : `Tick ${added.length === 1 ? 'it' : 'them'} to draw ${added.length === 1 ? 'it' : 'them'} over the curves.`;
      set((s) => ({ runs: insertByCreation(s.runs, added), historyMessage: `Imported ${what} from ${fileName}. ${hint}` }));
      return true;
    },
    noteRunEvents(events) {
      // Recording happens in a task of its own, after the store flush that ended the run: the
      // new row renders there, not in the flush (issue 10's bound on what a flush costs).
      // The state is read now: the arrays are never changed in place once a run has ended.
      for (const e of events) {
        if (e.type === 'runStarted') set({ liveStartedAt: Date.now(), liveRecordId: null });
        else if (e.type === 'runEnded') {
          const ended = get();
          pending = pending.then(() => new Promise<void>((done) => setTimeout(() => (record(e.reason, ended), done()), 0)));
        } else if (e.type === 'testResult') {
          const test = { loss: e.loss, acc: e.acc, count: e.count };
          pending = pending.then(
            () =>
              new Promise<void>((done) =>
                setTimeout(() => {
                  const id = get().liveRecordId;
                  if (id) void update(id, (r) => ({ ...r, test }));
                  done();
                }, 0),
              ),
          );
        }
      }
    },
  };
}
