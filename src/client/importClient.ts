/**
 * Owns the import worker: sends one import at a time, reports progress, cancels by
 * terminating the worker (then starts a fresh one). Listing and deleting imported datasets
 * read IndexedDB directly. Never imports state or React.
 */
import type { FromImporter, ImportedDatasetInfo, ImportFile, ImportOptions } from '../protocol/importMessages';
import type { UrlHost } from '../core/data/import/hosts';
import { deleteImportedDataset, readImportedDatasets, type DamagedDataset } from '../storage/datasets';

export interface ImportOutcome {
  dataset: ImportedDatasetInfo;
  skipped: string[];
  problems: string[];
}

export class ImportCancelledError extends Error {
  constructor() {
    super('Import cancelled. Nothing was saved; your model and settings are unchanged.');
  }
}

export class ImportClient {
  private worker: Worker | null = null;
  private nextRequest = 1;
  private pending: {
    id: number;
    resolve(o: ImportOutcome): void;
    reject(e: Error): void;
    progress(stage: string, done: number, total: number): void;
    confirmHosts(hosts: UrlHost[], urls: number): Promise<boolean>;
  } | null = null;

  constructor(private readonly createWorker: () => Worker) {}

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = this.createWorker();
    w.onmessage = (e: MessageEvent<FromImporter>) => this.receive(e.data);
    w.onerror = (e) => {
      e.preventDefault?.();
      this.fail(
        new Error(
          `The import stopped with an error (${e.message || 'the worker crashed, perhaps out of memory'}). ` +
            'Your model and settings are unchanged; try fewer or smaller images.',
        ),
      );
    };
    this.worker = w;
    return w;
  }

  private fail(err: Error) {
    this.worker?.terminate();
    this.worker = null;
    const p = this.pending;
    this.pending = null;
    p?.reject(err);
  }

  private receive(m: FromImporter) {
    const p = this.pending;
    if (!p || m.requestId !== p.id) return;
    if (m.type === 'importProgress') return p.progress(m.stage, m.done, m.total);
    if (m.type === 'confirmHosts') {
      void p.confirmHosts(m.hosts, m.urls).then(
        (ok) => this.pending === p && this.worker?.postMessage({ type: 'hostsAnswer', requestId: p.id, ok }),
      );
      return;
    }
    this.pending = null;
    if (m.type === 'imported') p.resolve({ dataset: m.dataset, skipped: m.skipped, problems: m.problems });
    else p.reject(Object.assign(new Error(m.message), { skipped: m.skipped, problems: m.problems }));
  }

  /**
   * Imports `files` as one dataset; rejects with a learner-facing message. `confirmHosts` is
   * asked before any URL an index lists is fetched (no answer: nothing is fetched).
   */
  import(
    name: string,
    files: ImportFile[],
    options: ImportOptions,
    progress: (stage: string, done: number, total: number) => void,
    confirmHosts: (hosts: UrlHost[], urls: number) => Promise<boolean> = () => Promise.resolve(false),
  ): Promise<ImportOutcome> {
    if (this.pending) this.cancel();
    const id = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.pending = { id, resolve, reject, progress, confirmHosts };
      this.ensure().postMessage({ type: 'import', requestId: id, name, files, options });
    });
  }

  cancel() {
    if (this.pending) this.fail(new ImportCancelledError());
  }

  list(): Promise<ImportedDatasetInfo[]> {
    return readImportedDatasets().then(({ datasets }) => datasets.map(({ schema: _s, ...info }) => info));
  }

  /** Stored dataset records that cannot be used, with why (shown with a Delete button). */
  listDamaged(): Promise<DamagedDataset[]> {
    return readImportedDatasets().then(({ damaged }) => damaged);
  }

  delete(id: string): Promise<void> {
    return deleteImportedDataset(id);
  }
}
