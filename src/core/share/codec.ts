/**
 * Writing an experiment (a file's JSON, a link's `?exp=` value) and reading one back (JSON or
 * link -> migrated -> checked against the schema), with no side effects: bad input gives a
 * sentence naming the problem, never a throw.
 *
 * A link holds only what differs from the chapter's defaults (`defaultConfig()`), as JSON,
 * deflated (fflate) and base64url-encoded: `{ v, d?, c }` (version, dataset when not MNIST,
 * the changed settings). Deflate folds a 40-layer stack of equal layers into a few bytes.
 */
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import type { ExperimentConfig } from '../training/config';
import { defaultConfig } from '../training/defaults';
import { resolveCheckpointSettings } from '../checkpoint/settings';
import { defaultSchedule } from '../schedules/schedules';
import { DEFAULT_AUGMENTATION } from '../augment/settings';
import { checkAll } from '../schema/check';
import {
  EXPERIMENT_FORMAT,
  EXPERIMENT_VERSION,
  FIELD_LABELS,
  experimentSchema,
  type DatasetRef,
  type ExperimentDocument,
  type SharedConfig,
} from './experimentSchema';
import { migrate, unknownFields, fillMissing, isPlain } from './migrate';

/** The query parameter that carries an experiment. */
export const EXPERIMENT_PARAM = 'exp';

/** The default dataset of a link that names none. */
const DEFAULT_DATASET: DatasetRef = { kind: 'builtin', id: 'mnist' };

/**
 * `c` with its optional parts spelled out as the app reads them (no checkpoints = checkpoints
 * off, no schedule = constant, no augmentation = all off), so two configs that mean the same
 * run look the same.
 */
export function normalizeConfig(c: ExperimentConfig): ExperimentConfig {
  return {
    ...c,
    checkpoints: resolveCheckpointSettings(c),
    schedule: c.schedule ?? defaultSchedule(),
    augmentation: c.augmentation ?? { ...DEFAULT_AUGMENTATION },
  };
}

function withoutDataset(c: ExperimentConfig): SharedConfig {
  const { datasetId: _d, ...rest } = normalizeConfig(c);
  return rest;
}

/** The experiment file's contents for `config` on `dataset`. */
export function toDocument(config: ExperimentConfig, dataset: DatasetRef): ExperimentDocument {
  return { format: EXPERIMENT_FORMAT, version: EXPERIMENT_VERSION, dataset, config: withoutDataset(config) };
}

/** The config a document describes, on the dataset with local id `datasetId`. */
export function configOf(doc: ExperimentDocument, datasetId: string): ExperimentConfig {
  return { datasetId, ...structuredClone(doc.config) };
}

/** `experiment.json`'s text. */
export function serializeExperiment(doc: ExperimentDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

// ---- links -----------------------------------------------------------------------------

/** What differs in `value` from `base`: plain objects key by key, anything else whole; undefined = same. */
function diff(base: unknown, value: unknown): unknown {
  if (isPlain(base) && isPlain(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(value)) {
      const d = diff(base[k], x);
      if (d !== undefined) out[k] = d;
    }
    // A key of base that value lacks cannot be said by a patch: send the object whole.
    if (Object.keys(base).some((k) => !(k in value))) return { ...value, $replace: true };
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return JSON.stringify(base) === JSON.stringify(value) ? undefined : value;
}

/** `patch` applied on `base` (the inverse of `diff`). */
function merge(base: unknown, patch: unknown): unknown {
  if (!isPlain(patch)) return patch;
  if (patch.$replace === true) {
    const { $replace: _r, ...rest } = patch;
    return rest;
  }
  if (!isPlain(base)) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [k, x] of Object.entries(patch)) out[k] = merge(base[k], x);
  return out;
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

/** The `?exp=` value for a document: only what differs from the defaults, deflated. */
export function encodeLink(doc: ExperimentDocument): string {
  const base = withoutDataset(defaultConfig());
  const payload: Record<string, unknown> = { v: doc.version, c: diff(base, doc.config) ?? {} };
  if (JSON.stringify(doc.dataset) !== JSON.stringify(DEFAULT_DATASET)) payload.d = doc.dataset;
  return toBase64Url(deflateSync(strToU8(JSON.stringify(payload)), { level: 9 }));
}

/** A whole link to `doc`: `base` (the app's address) with `?exp=` and nothing else. */
export function experimentUrl(base: string, doc: ExperimentDocument): string {
  const url = new URL(base);
  url.search = `?${EXPERIMENT_PARAM}=${encodeLink(doc)}`;
  url.hash = '';
  return url.toString();
}

const LINK_DAMAGED =
  'The experiment in the link could not be read: the link is cut off or damaged. Ask for it again, or copy the whole link.';

/** A link's `?exp=` value as the raw document it stands for (checked later by `readExperiment`). */
export function decodeLink(text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  const bytes = fromBase64Url(text.trim());
  if (!bytes || bytes.length === 0) return { ok: false, problem: LINK_DAMAGED };
  let payload: unknown;
  try {
    payload = JSON.parse(strFromU8(inflateSync(bytes)));
  } catch {
    return { ok: false, problem: LINK_DAMAGED };
  }
  if (!isPlain(payload) || !('c' in payload)) return { ok: false, problem: LINK_DAMAGED };
  const { v, d, c, ...extra } = payload;
  return {
    ok: true,
    value: {
      format: EXPERIMENT_FORMAT,
      version: v,
      dataset: d ?? DEFAULT_DATASET,
      config: merge(withoutDataset(defaultConfig()), c),
      ...extra,
    },
  };
}

// ---- reading -------------------------------------------------------------------------

export type ReadExperiment =
  | {
      ok: true;
      doc: ExperimentDocument;
      /** Fields the file has that this app does not know, ignored ("config.colour"). */
      ignored: string[];
      /** What reading it changed: an older version migrated, missing fields set to defaults. */
      notes: string[];
    }
  | { ok: false; problem: string; /** Each field's problem, when there are several. */ details?: string[] };

/** A raw experiment (parsed JSON, or a decoded link) migrated, filled in and checked. */
export function readExperiment(raw: unknown, what = 'The experiment'): ReadExperiment {
  const migrated = migrate(raw);
  if (!migrated.ok) return migrated;
  const notes = [...migrated.notes];
  const value = migrated.value as Record<string, unknown>;
  const filled = fillMissing(withoutDataset(defaultConfig()), value.config, 'config');
  if (filled.missing.length > 0) {
    const named = filled.missing.map((path) => {
      const [top, ...rest] = path.split('.');
      const label = FIELD_LABELS[top as keyof typeof FIELD_LABELS] ?? top;
      return rest.length > 0 ? `${label} › ${rest.join('.')}` : label;
    });
    const where = what === 'The experiment' ? 'the experiment' : what;
    notes.push(`Not set in ${where}, so these take the chapter's defaults: ${named.join(', ')}.`);
  }
  if (value.dataset === undefined) notes.push('No dataset named, so it uses MNIST.');
  // "format" only tells other apps' JSON apart: a hand-written experiment may leave it out.
  const candidate = { ...value, format: EXPERIMENT_FORMAT, dataset: value.dataset ?? DEFAULT_DATASET, config: filled.value };
  const checked = checkAll(experimentSchema, candidate, what);
  if (!checked.ok) {
    const n = checked.problems.length;
    return n === 1
      ? { ok: false, problem: checked.problems[0]! }
      : { ok: false, problem: `${what} has ${n >= 10 ? '10 or more' : n} fields that are not valid:`, details: checked.problems };
  }
  return { ok: true, doc: checked.value, ignored: unknownFields(experimentSchema, candidate), notes };
}

/** The text of a file that should be an experiment, read. */
export function parseExperimentFile(text: string, fileName = 'The file'): ReadExperiment {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, problem: `${fileName} is not JSON, so it is not an experiment file (experiment.json, from Download experiment).` };
  }
  return readExperiment(raw, fileName);
}
