/**
 * Models saved by name in the browser (object store `models` of ./db.ts): model.json as
 * text and weights.bin as bytes, plus what the list shows. Records written by another app
 * version are listed as such and can be deleted, never misread.
 */
import * as v from 'valibot';
import { check } from '../core/schema/check';
import { isQuotaError, openAppDb, RECORD_SCHEMA } from './db';

/** One saved model as stored. */
export interface ModelRecord {
  /** The name, trimmed: saving under an existing name replaces it (after asking). */
  id: string;
  schema: number;
  name: string;
  /** ms since 1970. */
  savedAt: number;
  params: number;
  /** Bytes of weights.bin. */
  sizeBytes: number;
  datasetName: string;
  modelJson: string;
  weights: ArrayBuffer;
}

/** What the list shows; `stale` explains a record that cannot be loaded. */
export interface SavedModelInfo {
  id: string;
  name: string;
  savedAt: number | null;
  params: number | null;
  sizeBytes: number | null;
  datasetName: string | null;
  stale?: string;
}

/** What saving needs besides the name. */
export type NewModel = Pick<ModelRecord, 'params' | 'datasetName' | 'modelJson' | 'weights'>;

export const MAX_NAME_LENGTH = 80;
const STALE = "saved by an older version of the app; it can't be loaded — delete it";

const isBuffer = (x: unknown): x is ArrayBuffer => Object.prototype.toString.call(x) === '[object ArrayBuffer]';

/** A stored model record, checked field by field before it is listed as loadable or loaded. */
const modelRecordSchema = v.object({
  id: v.pipe(v.string(), v.maxLength(500)),
  schema: v.literal(RECORD_SCHEMA),
  name: v.pipe(v.string(), v.maxLength(500)),
  savedAt: v.number(),
  params: v.pipe(v.number(), v.minValue(0)),
  sizeBytes: v.pipe(v.number(), v.minValue(0)),
  datasetName: v.string(),
  modelJson: v.string(),
  weights: v.custom<ArrayBuffer>(isBuffer, 'weights.bin as bytes'),
});

/** Why a stored value is not a record this version can load, or null when it is one. */
function staleReason(r: Record<string, unknown>): string | null {
  if (r.schema !== RECORD_SCHEMA) return STALE;
  const checked = check(modelRecordSchema, r, 'is damaged');
  // "is damaged: the field "weights" is …, which is not valid (…); it can't be loaded — delete it"
  return checked.ok ? null : `${checked.problem.replace(/\.$/, '')}; it can't be loaded — delete it`;
}

/** The name as stored, or a message saying what is wrong with it. */
export function checkName(raw: string): { name: string } | { error: string } {
  const name = raw.trim();
  if (name === '') return { error: 'Give the model a name first, for example "mnist-mlp-3-epochs".' };
  if (name.length > MAX_NAME_LENGTH) return { error: `Use a name of at most ${MAX_NAME_LENGTH} characters (this one has ${name.length}).` };
  return { name };
}

/** Every saved model, newest first; unreadable records are listed with the reason. */
export async function listModels(): Promise<SavedModelInfo[]> {
  const db = await openAppDb();
  const all = (await db.getAll('models')) as Record<string, unknown>[];
  const infos = all.map((r): SavedModelInfo => {
    const num = (k: string) => (typeof r[k] === 'number' ? (r[k] as number) : null);
    const stale = staleReason(r);
    return {
      id: String(r.id),
      name: typeof r.name === 'string' ? r.name : String(r.id),
      savedAt: num('savedAt'),
      params: num('params'),
      sizeBytes: num('sizeBytes'),
      datasetName: typeof r.datasetName === 'string' ? r.datasetName : null,
      ...(stale ? { stale } : {}),
    };
  });
  return infos.sort((a, b) => (b.savedAt ?? 0) - (a.savedAt ?? 0));
}

/**
 * Saves under `name`. Returns 'exists' (and writes nothing) when that name is taken and
 * `overwrite` is not set, so the UI can ask first. Throws a learner-facing Error otherwise.
 */
export async function saveModel(
  rawName: string,
  model: NewModel,
  options: { overwrite?: boolean; now?: number } = {},
): Promise<'saved' | 'exists'> {
  const checked = checkName(rawName);
  if ('error' in checked) throw new Error(checked.error);
  const db = await openAppDb();
  const record: ModelRecord = {
    id: checked.name,
    schema: RECORD_SCHEMA,
    name: checked.name,
    savedAt: options.now ?? Date.now(),
    params: model.params,
    sizeBytes: model.weights.byteLength,
    datasetName: model.datasetName,
    modelJson: model.modelJson,
    weights: model.weights,
  };
  try {
    const tx = db.transaction('models', 'readwrite');
    if (!options.overwrite && (await tx.store.getKey(record.id)) !== undefined) {
      tx.abort();
      await tx.done.catch(() => {});
      return 'exists';
    }
    await tx.store.put(record);
    await tx.done;
    return 'saved';
  } catch (err) {
    if (isQuotaError(err)) {
      throw new Error(
        `The browser's storage is full, so "${checked.name}" was not saved. Delete saved models you no longer need, ` +
          'or use "Download model" to keep it as files.',
      );
    }
    throw new Error(`"${checked.name}" could not be saved in the browser: ${(err as Error).message}.`);
  }
}

/** The stored files of a model; a learner-facing Error for a missing or stale record. */
export async function loadModelRecord(id: string): Promise<ModelRecord> {
  const db = await openAppDb();
  const r = (await db.get('models', id)) as Record<string, unknown> | undefined;
  if (!r) throw new Error(`There is no saved model named "${id}" any more (deleted in another tab?).`);
  const stale = staleReason(r);
  if (stale) throw new Error(`"${String(r.name ?? id)}" ${stale}.`);
  const checked = check(modelRecordSchema, r, 'The saved model');
  if (!checked.ok) throw new Error(checked.problem); // not reached: staleReason ran the same check
  return checked.value;
}

export async function deleteModel(id: string): Promise<void> {
  const db = await openAppDb();
  await db.delete('models', id);
}
