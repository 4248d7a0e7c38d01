import type { ImportClient } from '../client/importClient';
import type { ImportedDatasetInfo, ImportFile, ImportOptions } from '../protocol/importMessages';
import type { SliceCreator } from './store';
import type { DamagedDataset } from '../storage/datasets';
import { isBusy } from './selectors';
import { HOSTS_DECLINED, type UrlHost } from '../core/data/import/hosts';
import { formatCount } from '../core/format';

export type Importer = Pick<ImportClient, 'import' | 'cancel' | 'list' | 'delete'> & Partial<Pick<ImportClient, 'listDamaged'>>;

export interface ImportStatus {
  phase: 'idle' | 'running' | 'done' | 'error';
  stage: string;
  done: number;
  total: number;
  /** The outcome in words (success summary or the error). */
  message: string | null;
  skipped: string[];
  problems: string[];
  /** While set, the import waits for the learner to agree to contact these hosts (an index lists image URLs). */
  confirm: { hosts: UrlHost[]; urls: number } | null;
}

/** Datasets imported from disk (kept in IndexedDB) and the import in progress. */
export interface ImportSlice {
  importedDatasets: ImportedDatasetInfo[];
  /** Stored dataset records that cannot be read (damaged or from another version), with why. */
  damagedDatasets: DamagedDataset[];
  importOptions: ImportOptions;
  importStatus: ImportStatus;
  setImportOptions(patch: Partial<ImportOptions>): void;
  refreshImported(): Promise<void>;
  importFiles(name: string, files: ImportFile[]): Promise<void>;
  cancelImport(): void;
  /** The answer to `importStatus.confirm`: download from those hosts, or stop (nothing is fetched). */
  answerHosts(ok: boolean): void;
  deleteImported(id: string): Promise<void>;
}

const IDLE: ImportStatus = { phase: 'idle', stage: '', done: 0, total: 0, message: null, skipped: [], problems: [], confirm: null };

/** Works without an importer (tests, the bench): imports then explain they are unavailable. */
const NO_IMPORTER: Importer = {
  import: () => Promise.reject(new Error('Importing is not available here.')),
  cancel: () => {},
  list: () => Promise.resolve([]),
  delete: () => Promise.resolve(),
};

export const createImportSlice =
  (importer: Importer = NO_IMPORTER): SliceCreator<ImportSlice> =>
  (set, get) => {
    /** Settles the question the import waits on (see `answerHosts`). */
    let answer: ((ok: boolean) => void) | null = null;
    const settle = (ok: boolean) => {
      const a = answer;
      answer = null;
      a?.(ok);
    };
    const ask = (hosts: UrlHost[], urls: number) =>
      new Promise<boolean>((resolve) => {
        settle(false); // a question left from an earlier import is answered no
        answer = resolve;
        set((s) => (s.importStatus.phase === 'running' ? { importStatus: { ...s.importStatus, stage: 'Waiting for your answer', confirm: { hosts, urls } } } : {}));
      });
    return {
    importedDatasets: [],
    damagedDatasets: [],
    importOptions: { size: 28, channels: 1, labelDepth: 'leaf', testFraction: 0.2 },
    importStatus: IDLE,
    setImportOptions: (patch) => set((s) => ({ importOptions: { ...s.importOptions, ...patch } })),
    async refreshImported() {
      try {
        set({ importedDatasets: await importer.list(), damagedDatasets: (await importer.listDamaged?.()) ?? [] });
      } catch (err) {
        set({ importStatus: { ...IDLE, phase: 'error', message: (err as Error).message } });
      }
    },
    async importFiles(name, files) {
      if (files.length === 0) return;
      // Two imports of the same folder get distinct names in the Dataset list.
      const taken = new Set(get().importedDatasets.map((d) => d.name));
      let unique = name;
      for (let k = 2; taken.has(unique); k++) unique = `${name} (${k})`;
      name = unique;
      set({ importStatus: { ...IDLE, phase: 'running', stage: 'Reading the files' } });
      try {
        const out = await importer.import(
          name,
          files,
          get().importOptions,
          (stage, done, total) => set((s) => (s.importStatus.phase === 'running' ? { importStatus: { ...s.importStatus, stage, done, total } } : {})),
          ask,
        );
        const d = out.dataset;
        set((s) => ({
          importedDatasets: [...s.importedDatasets.filter((x) => x.id !== d.id), d],
          importStatus: {
            ...IDLE,
            phase: 'done',
            message:
              `Imported "${d.name}": ${formatCount(d.trainCount)} training and ${formatCount(d.testCount)} test images, ` +
              `${d.classNames.length} classes, ${d.shape.join('×')}.` +
              (out.skipped.length ? ` ${out.skipped.length} file${out.skipped.length === 1 ? ' was' : 's were'} skipped (listed below).` : ''),
            skipped: out.skipped,
            problems: out.problems,
          },
        }));
        if (!isBusy(get().status)) {
          await get().selectDataset(d.id);
          const preset = get().presetId;
          if (preset !== 'custom') get().applyPreset(preset); // output layer to the new number of classes
        }
      } catch (err) {
        const e = err as Error & { skipped?: string[]; problems?: string[] };
        // Declining to download is not an error: nothing happened, as asked.
        const phase = e.message === HOSTS_DECLINED ? 'idle' : 'error';
        set({ importStatus: { ...IDLE, phase, message: e.message, skipped: e.skipped ?? [], problems: e.problems ?? [] } });
      }
    },
    cancelImport() {
      settle(false);
      importer.cancel();
    },
    answerHosts(ok) {
      set((s) => ({ importStatus: { ...s.importStatus, confirm: null, stage: ok ? 'Downloading images' : 'Cancelling' } }));
      settle(ok);
    },
    async deleteImported(id) {
      await importer.delete(id);
      set((s) => {
        const { [id]: _gone, ...datasets } = s.datasets;
        return { importedDatasets: s.importedDatasets.filter((d) => d.id !== id), damagedDatasets: s.damagedDatasets.filter((d) => d.key !== id), datasets };
      });
      if (get().config.datasetId === id) await get().selectDataset('mnist');
    },
    };
  };
