/**
 * Messages between the page and the import worker (src/worker/import.worker.ts), which reads
 * the user's files, decodes and resizes the images, and stores the dataset in IndexedDB.
 * Every reply echoes the request id.
 */
import type { ImageShape } from '../core/data/types';
import type { Channels } from '../core/data/import/resize';
import type { LabelDepth } from '../core/data/import/paths';
import type { UrlHost } from '../core/data/import/hosts';

export interface ImportOptions {
  /** Output images are size × size. */
  size: number;
  channels: Channels;
  /** For nested class folders (species/breed): the top folder or the leaf folder is the label. */
  labelDepth: LabelDepth;
  /** Share held out for test when the source has no split. */
  testFraction: number;
}

/** A file picked by the user; `path` is its path inside the picked folder (or its name). */
export interface ImportFile {
  path: string;
  file: Blob;
}

/** An imported dataset as listed beside the built-in ones. */
export interface ImportedDatasetInfo {
  id: string;
  name: string;
  createdAt: number;
  shape: ImageShape;
  classNames: string[];
  trainCount: number;
  testCount: number;
  classCounts: { train: number[]; test: number[] };
  source: string;
}

export interface ImportRequest {
  type: 'import';
  requestId: number;
  /** Display name of what was picked (folder or file name). */
  name: string;
  files: ImportFile[];
  options: ImportOptions;
}

/** The learner's answer to `confirmHosts`. */
export interface HostsAnswer {
  type: 'hostsAnswer';
  requestId: number;
  ok: boolean;
}

export type ToImporter = ImportRequest | HostsAnswer;

export type FromImporter =
  | { type: 'importProgress'; requestId: number; stage: string; done: number; total: number }
  /** The index lists image URLs: may these hosts be contacted? (Answered by `hostsAnswer`.) */
  | { type: 'confirmHosts'; requestId: number; hosts: UrlHost[]; urls: number }
  | { type: 'imported'; requestId: number; dataset: ImportedDatasetInfo; skipped: string[]; problems: string[] }
  | { type: 'importError'; requestId: number; message: string; skipped: string[]; problems: string[] };
