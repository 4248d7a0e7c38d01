/**
 * Messages between the page and the import worker (src/worker/import.worker.ts), which reads
 * the user's files, decodes and resizes the images, and stores the dataset in IndexedDB.
 * Every reply echoes the request id.
 */
import type { ImageShape } from '../core/data/types';
import type { Channels } from '../core/data/import/resize';
import type { LabelDepth } from '../core/data/import/paths';

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

export type ToImporter = ImportRequest;

export type FromImporter =
  | { type: 'importProgress'; requestId: number; stage: string; done: number; total: number }
  | { type: 'imported'; requestId: number; dataset: ImportedDatasetInfo; skipped: string[]; problems: string[] }
  | { type: 'importError'; requestId: number; message: string; skipped: string[]; problems: string[] };
