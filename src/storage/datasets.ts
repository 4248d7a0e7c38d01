/**
 * Imported datasets in IndexedDB: one metadata record in `datasets` (small, listed at start)
 * and the pixel and label arrays in `datasetChunks`, cut into pieces of at most CHUNK_BYTES so
 * no single record is huge. Saving is one transaction: a cancelled or failed import leaves
 * nothing half-written. Works in the page and in workers.
 */
import type { Dataset, ImageSet, ImageShape } from '../core/data/types';
import { openAppDb, RECORD_SCHEMA, isQuotaError, storageEstimate } from './db';

/** Ids of imported datasets start with this, so they never collide with built-in ones. */
export const IMPORT_PREFIX = 'import:';
export const isImportedDatasetId = (id: string): boolean => id.startsWith(IMPORT_PREFIX);

export const CHUNK_BYTES = 8 * 1024 * 1024;

/** What the dataset list shows without loading the pixels. */
export interface ImportedDatasetMeta {
  id: string;
  schema: number;
  name: string;
  createdAt: number;
  shape: ImageShape;
  classNames: string[];
  trainCount: number;
  testCount: number;
  /** Images per class, per split. */
  classCounts: { train: number[]; test: number[] };
  /** Where it came from, in words ("folder pets", "cifar-10-binary.tar.gz"). */
  source: string;
}

type Part = 'images' | 'labels';
interface ChunkRecord {
  id: string;
  schema: number;
  datasetId: string;
  split: 'train' | 'test';
  part: Part;
  index: number;
  bytes: ArrayBuffer;
}

function chunksOf(datasetId: string, split: 'train' | 'test', part: Part, bytes: Uint8Array, size: number): ChunkRecord[] {
  const out: ChunkRecord[] = [];
  for (let o = 0, index = 0; o < bytes.length || index === 0; o += size, index++) {
    out.push({
      id: `${datasetId}/${split}/${part}/${index}`,
      schema: RECORD_SCHEMA,
      datasetId,
      split,
      part,
      index,
      bytes: bytes.slice(o, o + size).buffer,
    });
  }
  return out;
}

/** Stores a dataset and its metadata in one transaction. */
export async function saveImportedDataset(
  d: Dataset,
  meta: Omit<ImportedDatasetMeta, 'schema' | 'id' | 'name' | 'shape' | 'classNames' | 'trainCount' | 'testCount'>,
  chunkBytes = CHUNK_BYTES,
): Promise<ImportedDatasetMeta> {
  const record: ImportedDatasetMeta = {
    id: d.id,
    schema: RECORD_SCHEMA,
    name: d.name,
    shape: d.shape,
    classNames: d.classNames,
    trainCount: d.train.count,
    testCount: d.test.count,
    ...meta,
  };
  const db = await openAppDb();
  const chunks = (['train', 'test'] as const).flatMap((split) => [
    ...chunksOf(d.id, split, 'images', d[split].images, chunkBytes),
    ...chunksOf(d.id, split, 'labels', new Uint8Array(d[split].labels.buffer, d[split].labels.byteOffset, d[split].labels.byteLength), chunkBytes),
  ]);
  try {
    const tx = db.transaction(['datasets', 'datasetChunks'], 'readwrite');
    for (const c of chunks) void tx.objectStore('datasetChunks').put(c);
    void tx.objectStore('datasets').put(record);
    await tx.done;
  } catch (err) {
    if (isQuotaError(err)) {
      const est = await storageEstimate().catch(() => null);
      const mb = (n: number) => `${Math.round(n / 1e6)} MB`;
      throw new Error(
        `The browser has no room left to store this dataset${est ? ` (${mb(est.usage)} of ${mb(est.quota)} used)` : ''}. ` +
          'Delete imported datasets you no longer need, or import fewer or smaller images.',
      );
    }
    throw err;
  }
  return record;
}

/** All imported datasets, oldest first. */
export async function listImportedDatasets(): Promise<ImportedDatasetMeta[]> {
  const db = await openAppDb();
  const all = (await db.getAllFromIndex('datasets', 'createdAt')) as ImportedDatasetMeta[];
  return all.filter((m) => m.schema === RECORD_SCHEMA && isImportedDatasetId(m.id));
}

/** Loads an imported dataset's arrays; explains a missing or outdated record. */
export async function loadImportedDataset(id: string): Promise<Dataset> {
  const db = await openAppDb();
  const meta = (await db.get('datasets', id)) as ImportedDatasetMeta | undefined;
  if (!meta) {
    throw new Error(
      'This imported dataset is no longer in the browser\'s storage (it was deleted, or the site data was cleared). ' +
        'Import it again, or pick another dataset.',
    );
  }
  if (meta.schema !== RECORD_SCHEMA) {
    throw new Error(`The dataset "${meta.name}" was stored by another version of the app and cannot be read. Delete it and import it again.`);
  }
  const chunks = (await db.getAllFromIndex('datasetChunks', 'datasetId', id)) as ChunkRecord[];
  const join = (split: 'train' | 'test', part: Part): Uint8Array => {
    const parts = chunks.filter((c) => c.split === split && c.part === part).sort((a, b) => a.index - b.index);
    const out = new Uint8Array(parts.reduce((s, c) => s + c.bytes.byteLength, 0));
    let o = 0;
    for (const c of parts) {
      out.set(new Uint8Array(c.bytes), o);
      o += c.bytes.byteLength;
    }
    return out;
  };
  const [h, w, c] = meta.shape;
  const set = (split: 'train' | 'test', count: number): ImageSet => {
    const images = join(split, 'images');
    const labelBytes = join(split, 'labels');
    if (images.length !== count * h * w * c || labelBytes.length !== count * 4) {
      throw new Error(`The stored dataset "${meta.name}" is incomplete (its ${split} split is damaged). Delete it and import it again.`);
    }
    return { images, labels: new Int32Array(labelBytes.buffer, 0, count), count };
  };
  return { id, name: meta.name, shape: meta.shape, classNames: meta.classNames, train: set('train', meta.trainCount), test: set('test', meta.testCount) };
}

const CHANNEL = 'training-playground-datasets';

/** Deletes a dataset and all its chunks, and tells other contexts (the training worker, other tabs). */
export async function deleteImportedDataset(id: string): Promise<void> {
  const db = await openAppDb();
  const tx = db.transaction(['datasets', 'datasetChunks'], 'readwrite');
  const keys = await tx.objectStore('datasetChunks').index('datasetId').getAllKeys(id);
  for (const k of keys) void tx.objectStore('datasetChunks').delete(k);
  void tx.objectStore('datasets').delete(id);
  await tx.done;
  if (typeof BroadcastChannel === 'function') {
    const ch = new BroadcastChannel(CHANNEL);
    ch.postMessage({ type: 'deleted', id });
    ch.close();
  }
}

/** Calls `cb` with the id of each imported dataset deleted in another context; returns an unsubscribe. */
export function onImportedDatasetDeleted(cb: (id: string) => void): () => void {
  if (typeof BroadcastChannel !== 'function') return () => {};
  const ch = new BroadcastChannel(CHANNEL);
  ch.onmessage = (e: MessageEvent<{ type?: string; id?: unknown }>) => {
    if (e.data?.type === 'deleted' && typeof e.data.id === 'string') cb(e.data.id);
  };
  return () => ch.close();
}
