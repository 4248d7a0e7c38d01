/**
 * The experiment as a file and as a link: writing the current settings out, and reading a
 * file or a link into a preview that shows what it would change, before anything is
 * replaced. Apply sets the config through the config slice and keeps the previous settings
 * for Undo; Cancel (or a bad file) leaves everything as it was.
 */
import type { ExperimentConfig } from '../core/training/config';
import { MODEL_PRESETS, presetSpec } from '../core/model/presets';
import type { ExperimentDocument } from '../core/share/experimentSchema';
import { configOf, decodeLink, experimentUrl, parseExperimentFile, readExperiment, serializeExperiment, toDocument, type ReadExperiment } from '../core/share/codec';
import {
  builtinFacts,
  datasetRefFor,
  experimentProblems,
  resolveDataset,
  settingChanges,
  type DatasetFacts,
  type SettingChange,
} from '../core/share/openExperiment';
import type { DownloadFile } from './modelsSlice';
import { exportProblem, pytorchScript, type ExportDataset } from '../core/export/pytorch';
import { BUILTIN_DATASETS, isBuiltinDatasetId } from '../core/data/builtin';
import { isBusy } from './selectors';
import type { AppState, SliceCreator } from './store';

/** What opening a file or a link would do, shown before it does it. */
export interface SharePreview {
  /** "the link", or the file's name. */
  from: string;
  /** The settings it would set; null when it cannot be opened (see `error`). */
  next: ExperimentConfig | null;
  /** The preset the new stack is, or 'custom'. */
  presetId: string;
  /** Each setting that changes, in words. */
  changes: SettingChange[];
  /** Why it cannot be opened at all (not JSON, not an experiment, a field of the wrong kind). */
  error: string | null;
  /** With `error`: each field's problem, when several fields are wrong. */
  errorDetails: string[];
  /** Problems of the settings it would set: listed, and fixable in the form after Apply. */
  problems: string[];
  /** Fields it has that this app does not know: ignored. */
  ignored: string[];
  /** What reading it involved (an older version migrated, defaults for missing fields, the dataset). */
  notes: string[];
}

export interface ShareSlice {
  sharePreview: SharePreview | null;
  /** The settings before the last Apply, for Undo. */
  shareUndo: { config: ExperimentConfig; presetId: string } | null;
  /** The outcome of the last share action, in words. */
  shareMessage: string | null;
  /** The link, when the browser refused to copy it: shown for copying by hand. */
  shareLinkFallback: string | null;
  setShareMessage(message: string | null): void;
  setShareLinkFallback(link: string | null): void;
  /** Clears the message, the link shown and Undo. */
  dismissShare(): void;
  /** The current settings as a document (file or link). */
  experimentDocument(): ExperimentDocument;
  /** A link to the current settings: `base` (the app's address) with `?exp=`. */
  experimentLink(base: string): string;
  /** `experiment.json` for the current settings. */
  experimentFile(): DownloadFile;
  /** The current experiment as a standalone PyTorch script, or why it cannot be one. */
  pytorchScriptFile(): { ok: true; file: DownloadFile } | { ok: false; problem: string };
  /** Reads a file's text into the preview (nothing is applied yet). */
  openExperimentFile(text: string, fileName: string): Promise<void>;
  /** Reads a link's `?exp=` value into the preview. */
  openExperimentLink(encoded: string): Promise<void>;
  applyExperiment(): void;
  cancelExperiment(): void;
  undoExperiment(): void;
}

/** The facts of the app's dataset `id`: what the worker said, else what the app knows. */
function factsOf(s: AppState, id: string): DatasetFacts | null {
  const info = s.datasets[id];
  if (info) return { id, name: info.name, shape: [...info.shape], numClasses: info.classNames.length, trainCount: info.trainCount };
  const imported = s.importedDatasets.find((d) => d.id === id);
  if (imported) {
    return { id, name: imported.name, shape: [...imported.shape], numClasses: imported.classNames.length, trainCount: imported.trainCount };
  }
  return builtinFacts(id);
}

/** What the PyTorch script needs to know about dataset `id`: its name, shape and class names. */
function exportFacts(s: AppState, id: string): ExportDataset | null {
  const d = s.datasets[id] ?? s.importedDatasets.find((x) => x.id === id) ?? (isBuiltinDatasetId(id) ? BUILTIN_DATASETS[id] : null);
  return d ? { name: d.name, shape: [...d.shape], classNames: [...d.classNames] } : null;
}

/** The preset `model` is for `numClasses` classes, or 'custom'. */
function presetOf(model: ExperimentConfig['model'], numClasses: number): string {
  const text = JSON.stringify(model);
  return MODEL_PRESETS.find((p) => JSON.stringify(presetSpec(p.id, numClasses)) === text)?.id ?? 'custom';
}

const failed = (from: string, error: string, errorDetails: string[] = []): SharePreview => ({
  from,
  next: null,
  presetId: 'custom',
  changes: [],
  error,
  errorDetails,
  problems: [],
  ignored: [],
  notes: [],
});

export const createShareSlice: SliceCreator<ShareSlice> = (set, get) => {
  const nameOf = (id: string) => factsOf(get(), id)?.name ?? id;

  async function preview(read: ReadExperiment, from: string): Promise<SharePreview> {
    if (!read.ok) return failed(from, read.problem, read.details);
    const { doc } = read;
    if (doc.dataset.kind === 'imported' && !resolveDataset(doc.dataset, get().importedDatasets).ok) {
      await get().refreshImported().catch(() => {}); // the list may not have loaded yet
    }
    const s = get();
    const resolved = resolveDataset(doc.dataset, s.importedDatasets);
    const notes = [...read.notes];
    const problems: string[] = [];
    let datasetId = s.config.datasetId;
    if (resolved.ok) {
      datasetId = resolved.facts.id;
      if (resolved.note) notes.push(resolved.note);
    } else problems.push(resolved.problem);
    const next = configOf(doc, datasetId);
    const facts = factsOf(s, datasetId);
    if (facts) problems.push(...experimentProblems(next, facts));
    return {
      from,
      next,
      presetId: presetOf(next.model, facts?.numClasses ?? 10),
      changes: settingChanges(s.config, next, nameOf),
      error: null,
      errorDetails: [],
      problems,
      ignored: read.ignored,
      notes,
    };
  }

  const restore = (config: ExperimentConfig, presetId: string) => {
    const before = get().config.datasetId;
    set({ config, presetId });
    // Loads the dataset's facts (sizes, samples); keeps the config's own count and stack.
    if (before !== config.datasetId || !get().datasets[config.datasetId]) void get().selectDataset(config.datasetId);
  };

  return {
    sharePreview: null,
    shareUndo: null,
    shareMessage: null,
    shareLinkFallback: null,
    setShareMessage: (shareMessage) => set({ shareMessage }),
    setShareLinkFallback: (shareLinkFallback) => set({ shareLinkFallback }),
    dismissShare: () => set({ shareMessage: null, shareLinkFallback: null, shareUndo: null }),
    experimentDocument: () => {
      const s = get();
      return toDocument(s.config, datasetRefFor(s.config.datasetId, s.importedDatasets));
    },
    experimentLink: (base) => experimentUrl(base, get().experimentDocument()),
    experimentFile: () => ({ name: 'experiment.json', type: 'application/json', data: serializeExperiment(get().experimentDocument()) }),
    pytorchScriptFile() {
      const s = get();
      const doc = s.experimentDocument();
      const problem = exportProblem(doc);
      if (problem) return { ok: false, problem };
      const facts = exportFacts(s, s.config.datasetId);
      if (!facts) return { ok: false, problem: 'The dataset is not loaded yet, so the script would not know its image size and classes. Wait until it is shown, then export again.' };
      const r = pytorchScript(doc, facts);
      return r.ok ? { ok: true, file: { name: r.name, type: 'text/x-python', data: r.text } } : r;
    },
    async openExperimentFile(text, fileName) {
      const p = await preview(parseExperimentFile(text, fileName), fileName);
      set({ sharePreview: p, shareMessage: null, shareLinkFallback: null });
    },
    async openExperimentLink(encoded) {
      const raw = decodeLink(encoded);
      const p = await preview(raw.ok ? readExperiment(raw.value, 'The link') : raw, 'the link');
      set({ sharePreview: p, shareMessage: null });
    },
    applyExperiment() {
      const s = get();
      const p = s.sharePreview;
      if (!p?.next) return;
      if (isBusy(s.status)) {
        set({ shareMessage: 'A run is in progress: stop it before opening an experiment.' });
        return;
      }
      const undo = { config: s.config, presetId: s.presetId };
      set({
        sharePreview: null,
        shareUndo: undo,
        shareMessage:
          p.changes.length === 0
            ? `The experiment from ${p.from} has the same settings as before.`
            : `Opened the experiment from ${p.from}: ${p.changes.length} setting${p.changes.length === 1 ? '' : 's'} changed. Undo puts the previous ones back.`,
      });
      restore(p.next, p.presetId);
    },
    cancelExperiment: () => set({ sharePreview: null, shareMessage: 'Nothing was changed.' }),
    undoExperiment() {
      const u = get().shareUndo;
      if (!u) return;
      if (isBusy(get().status)) {
        set({ shareMessage: 'A run is in progress: stop it before undoing.' });
        return;
      }
      set({ shareUndo: null, shareMessage: 'The previous settings are back.' });
      restore(u.config, u.presetId);
    },
  };
};
