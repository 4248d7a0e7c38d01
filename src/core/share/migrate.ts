/**
 * Bringing an experiment of any version this app knows up to the current one, and the two
 * walks the reader needs besides valibot's check: the fields a file has that the schema does
 * not know (ignored, but listed), and the fields it lacks (set to the defaults, and listed).
 */
import type * as v from 'valibot';
import { EXPERIMENT_FORMAT, EXPERIMENT_VERSION } from './experimentSchema';

export const isPlain = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

export type Migrated = { ok: true; value: Record<string, unknown>; notes: string[] } | { ok: false; problem: string };

const NOT_AN_EXPERIMENT =
  'This is not an experiment of Training Playground: an experiment file is a JSON object with "version", "dataset" and "config" (use Download experiment to make one).';

/** Keys only a bare ExperimentConfig has: how a version-0 file (the settings alone) is told apart. */
const CONFIG_KEYS = ['model', 'optimizer', 'learningRate', 'epochs', 'batchSize'];

/**
 * Each step turns a document of version k into one of version k + 1. Version 0 is an
 * experiment written before there was a format: the settings alone (`ExperimentConfig` with
 * its `datasetId`), or `{ config }` without a version.
 */
const MIGRATIONS: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {
  0: (doc) => {
    const config = isPlain(doc.config) ? { ...doc.config } : {};
    const datasetId = typeof config.datasetId === 'string' ? config.datasetId : 'mnist';
    delete config.datasetId;
    return { ...doc, format: EXPERIMENT_FORMAT, version: 1, dataset: doc.dataset ?? { kind: 'builtin', id: datasetId }, config };
  },
};

/** `raw` as a document of the current version, or why it cannot be one. */
export function migrate(raw: unknown): Migrated {
  if (!isPlain(raw)) return { ok: false, problem: NOT_AN_EXPERIMENT };
  if (raw.format !== undefined && raw.format !== EXPERIMENT_FORMAT) {
    return { ok: false, problem: `${NOT_AN_EXPERIMENT} This one's "format" is ${JSON.stringify(raw.format)?.slice(0, 60)}.` };
  }
  let doc: Record<string, unknown> = raw;
  const notes: string[] = [];
  let version = raw.version;
  if (version === undefined || version === 0) {
    if (!isPlain(raw.config)) {
      if (!CONFIG_KEYS.some((k) => k in raw)) return { ok: false, problem: NOT_AN_EXPERIMENT };
      doc = { config: raw }; // the settings alone
    }
    version = 0;
    notes.push(`This experiment has no format version (an older one): it was read as version ${EXPERIMENT_VERSION}.`);
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return { ok: false, problem: `The field "version" is ${JSON.stringify(version)?.slice(0, 40)}, which is not a format version (a whole number).` };
  }
  if (version > EXPERIMENT_VERSION) {
    return {
      ok: false,
      problem:
        `This experiment was saved by a newer version of Training Playground (format version ${version}); ` +
        `this app reads format versions up to ${EXPERIMENT_VERSION}. Open it in the newer app, or update this one.`,
    };
  }
  for (let k = version; k < EXPERIMENT_VERSION; k++) doc = MIGRATIONS[k]!(doc);
  return { ok: true, value: doc, notes };
}

/**
 * `value` with every key of `defaults` it lacks taken from `defaults` (plain objects key by
 * key), and the dot paths of those keys relative to `path`'s parent ("folds", "earlyStopping.patience").
 */
export function fillMissing(defaults: unknown, value: unknown, path: string): { value: unknown; missing: string[] } {
  const missing: string[] = [];
  const walk = (d: unknown, x: unknown, at: string): unknown => {
    if (!isPlain(d) || !isPlain(x)) return x;
    const out: Record<string, unknown> = { ...x };
    for (const [k, dv] of Object.entries(d)) {
      const p = at ? `${at}.${k}` : k;
      if (!(k in x) || x[k] === undefined) {
        out[k] = structuredClone(dv);
        missing.push(p);
      } else out[k] = walk(dv, x[k], p);
    }
    return out;
  };
  if (value === undefined) return { value: structuredClone(defaults), missing: [`${path} (all of it)`] };
  return { value: walk(defaults, value, ''), missing };
}

type AnySchema = v.GenericSchema & {
  type: string;
  entries?: Record<string, AnySchema>;
  wrapped?: AnySchema;
  item?: AnySchema;
  value?: AnySchema;
  key?: string;
  options?: AnySchema[];
};

/** The dot paths of the fields in `value` that `schema` does not know (valibot drops them quietly). */
export function unknownFields(schema: v.GenericSchema, value: unknown): string[] {
  const out: string[] = [];
  const join = (at: string, k: string | number) => (at ? `${at}.${k}` : String(k));
  const walk = (s: AnySchema, x: unknown, at: string) => {
    switch (s.type) {
      case 'object':
        if (!isPlain(x) || !s.entries) return;
        for (const [k, xv] of Object.entries(x)) {
          const entry = s.entries[k];
          if (entry) walk(entry, xv, join(at, k));
          else out.push(join(at, k));
        }
        return;
      case 'optional':
      case 'nullable':
      case 'nullish':
      case 'exact_optional':
        if (s.wrapped) walk(s.wrapped, x, at);
        return;
      case 'array':
        if (Array.isArray(x) && s.item) x.forEach((xv, i) => walk(s.item!, xv, join(at, i)));
        return;
      case 'record':
        if (isPlain(x) && s.value) for (const [k, xv] of Object.entries(x)) walk(s.value, xv, join(at, k));
        return;
      case 'variant': {
        if (!isPlain(x) || !s.key || !s.options) return;
        const option = s.options.find((o) => {
          const tag = o.entries?.[s.key!] as (AnySchema & { literal?: unknown }) | undefined;
          return tag?.literal === x[s.key!];
        });
        if (option) walk(option, x, at);
        return;
      }
      default:
        return;
    }
  };
  walk(schema as AnySchema, value, '');
  return out;
}
