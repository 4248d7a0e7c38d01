/**
 * Imported datasets in IndexedDB: one metadata record in `datasets` (small, listed at start)
 * and the pixel and label arrays in `datasetChunks`, cut into pieces of at most CHUNK_BYTES so
 * no single record is huge. Saving is one transaction: a cancelled or failed import leaves
 * nothing half-written. Works in the page and in workers.
 */
import * as v from 'valibot';
import type { Dataset, ImageSet } from '../core/data/types';
import { check } from '../core/schema/check';
import { openAppDb, RECORD_SCHEMA, isQuotaError, storageEstimate } from './db';
import { formatBytes } from '../core/format';

/** Ids of imported datasets start with this, so they never collide with built-in ones. */
export const IMPORT_PREFIX = 'import:';
export const isImportedDatasetId = (id: string): boolean => id.startsWith(IMPORT_PREFIX);

export const CHUNK_BYTES = 8 * 1024 * 1024;

const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
const Side = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(4096));

/**
 * What the dataset list shows without loading the pixels: the stored record, checked field by
 * field on every read (a record damaged by hand or by another program must not blank the app).
 */
export const ImportedDatasetMetaSchema = v.pipe(
  v.object({
    id: v.pipe(v.string(), v.startsWith(IMPORT_PREFIX)),
    schema: v.literal(RECORD_SCHEMA),
    name: v.pipe(v.string(), v.minLength(1), v.maxLength(500)),
    createdAt: v.number(),
    shape: v.tuple([Side, Side, v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(4))]),
    classNames: v.pipe(v.array(v.pipe(v.string(), v.maxLength(500))), v.minLength(1)),
    trainCount: Count,
    testCount: Count,
    /** Images per class, per split. */
    classCounts: v.object({ train: v.array(Count), test: v.array(Count) }),
    /** Where it came from, in words ("folder pets", "cifar-10-binary.tar.gz"). */
    source: v.string(),
  }),
  v.check((m) => m.classCounts.train.length === m.classNames.length && m.classCounts.test.length === m.classNames.length, 'the counts per class do not match the classes'),
);
export type ImportedDatasetMeta = v.InferOutput<typeof ImportedDatasetMetaSchema>;

/** A stored dataset record that cannot be used: its key (to delete it), a name if it has one, and why. */
export interface DamagedDataset {
  key: string;
  name: string;
  problem: string;
}

/** A stored record, checked: the metadata, or why it cannot be used. */
function checkMeta(raw: unknown): { ok: true; value: ImportedDatasetMeta } | { ok: false; problem: string } {
  const name = typeof (raw as { name?: unknown })?.name === 'string' ? `"${(raw as { name: string }).name.slice(0, 80)}"` : 'without a name';
  if ((raw as { schema?: unknown })?.schema !== RECORD_SCHEMA && typeof (raw as { schema?: unknown })?.schema === 'number') {
    return { ok: false, problem: `The dataset ${name} was stored by another version of the app and cannot be read. Delete it and import it again.` };
  }
  return check(ImportedDatasetMetaSchema, raw, `The stored dataset ${name} is damaged`);
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
      throw new Error(
        `The browser has no room left to store this dataset${est ? ` (${formatBytes(est.usage)} of ${formatBytes(est.quota)} used)` : ''}. ` +
          'Delete imported datasets you no longer need, or import fewer or smaller images.',
      );
    }
    throw err;
  }
  return record;
}

/** All imported datasets, oldest first, and the stored records that cannot be used (with why). */
export async function readImportedDatasets(): Promise<{ datasets: ImportedDatasetMeta[]; damaged: DamagedDataset[] }> {
  const db = await openAppDb();
  const keys = (await db.getAllKeys('datasets')) as IDBValidKey[];
  const all = (await db.getAll('datasets')) as unknown[];
  const datasets: ImportedDatasetMeta[] = [];
  const damaged: DamagedDataset[] = [];
  all.forEach((raw, i) => {
    const r = checkMeta(raw);
    if (r.ok) datasets.push(r.value);
    else damaged.push({ key: String(keys[i]), name: typeof (raw as { name?: unknown })?.name === 'string' ? (raw as { name: string }).name : String(keys[i]), problem: r.problem });
  });
  datasets.sort((a, b) => a.createdAt - b.createdAt);
  return { datasets, damaged };
}

/** Loads an imported dataset's arrays; explains a missing or outdated record. */
export async function loadImportedDataset(id: string): Promise<Dataset> {
  const db = await openAppDb();
  const raw: unknown = await db.get('datasets', id);
  if (!raw) {
    throw new Error(
      'This imported dataset is no longer in the browser\'s storage (it was deleted, or the site data was cleared). ' +
        'Import it again, or pick another dataset.',
    );
  }
  const checked = checkMeta(raw);
  if (!checked.ok) throw new Error(`${checked.problem.replace(/\.$/, '')}. Delete it and import it again.`.replace('again. Delete it and import it again.', 'again.'));
  const meta = checked.value;
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
