/**
 * "Import run": a run file read into the Runs list, so that a run trained elsewhere can be
 * compared with the browser's. Two kinds of file are read:
 *  - `run.json`, written by the exported PyTorch script (`--out DIR`): one run record;
 *  - the Runs panel's own JSON export (`{kind: "runs", runs: [...]}`): one record per run.
 * Every record is checked with the app's run-record schema (a rejection names the file and the
 * field), gets a fresh id (an import never replaces a run already in the list) and says where
 * it came from (`imported`). A file with any problem imports nothing. Pure.
 */
import { readRunRecord, RUN_RECORD_SCHEMA, type RunRecord, type RunSource } from './record';
import { uniqueName } from './settings';
import { EXPERIMENT_FORMAT } from '../share/experimentSchema';
import { formatBytesCompared } from '../format';
import type { Checked } from '../schema/check';

/** The largest run file read (a 100-epoch run with its per-batch curve is about 100 kB). */
export const MAX_RUN_FILE_BYTES = 20_000_000;
/** The most runs one file may add. */
export const MAX_RUNS_PER_FILE = 200;

const WHAT_IT_READS = 'Import run reads the run.json that the exported PyTorch script writes (with --out), or a JSON export of the Runs list.';

/** Python's json.dump writes NaN and ±Infinity bare (not JSON); this marks them so JSON.parse can read them. */
const MARK = '\u0000py:';

/**
 * `text` as JSON, also when it holds Python's bare `NaN`, `Infinity` and `-Infinity` (the
 * script's json.dump writes a diverged run's loss so): they are read as those numbers.
 */
export function parseJsonAllowingNaN(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    if (!/NaN|Infinity/.test(text) || text.includes('\\u0000')) throw err;
  }
  // Outside strings only: a run's name may well say "NaN".
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      continue;
    }
    const token = /^(?:NaN|-?Infinity)/.exec(text.slice(i, i + 9))?.[0];
    if (token) {
      out += JSON.stringify(MARK + token);
      i += token.length - 1;
    } else out += c;
  }
  return JSON.parse(out, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(MARK) ? Number(value.slice(MARK.length)) : value,
  );
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field's value in a few words, for messages. */
function shown(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return String(v);
}

/**
 * JSON writes NaN as null (`JSON.stringify`), so an exported diverged run comes back with null
 * losses: the metrics the record keeps as numbers are read back as NaN (a null event value is
 * left out). Anything else is left for the schema to judge.
 */
function nullMetricsAsNaN(value: Record<string, unknown>): Record<string, unknown> {
  const nan = (o: Record<string, unknown>, keys: readonly string[]) => {
    const out = { ...o };
    for (const k of keys) if (out[k] === null) out[k] = NaN;
    return out;
  };
  const next = { ...value };
  if (Array.isArray(value.epochs)) next.epochs = value.epochs.map((e) => (isObject(e) ? nan(e, ['loss', 'acc', 'val_loss', 'val_acc', 'lr']) : e));
  if (isObject(value.test)) next.test = nan(value.test, ['loss', 'acc']);
  if (Array.isArray(value.events)) {
    next.events = value.events.map((e) => {
      if (!isObject(e) || e.value !== null) return e;
      const { value: _dropped, ...rest } = e;
      return rest;
    });
  }
  return next;
}

/** What the file is, when it is a file of this app that is not a run file: where to open it instead. */
function otherAppFile(value: Record<string, unknown>, fileName: string): string | null {
  if (value.format === EXPERIMENT_FORMAT) return `${fileName} is an experiment file, not a run: open it with Open experiment in the header.`;
  if ('modelTopology' in value || value.format === 'layers-model') return `${fileName} is a model file, not a run: open it with Load model in the Models panel.`;
  return null;
}

/** One record of the file checked, or why not (naming the file, the run and the field). */
function readOne(value: unknown, what: string): Checked<RunRecord> {
  if (!isObject(value)) return { ok: false, problem: `${what} is not a run record (it is ${shown(value)}).` };
  if (value.kind !== 'run') return { ok: false, problem: `${what}: the field "kind" is ${shown(value.kind)}, not "run".` };
  if (value.schema !== RUN_RECORD_SCHEMA) {
    return {
      ok: false,
      problem:
        typeof value.schema === 'number' && value.schema > RUN_RECORD_SCHEMA
          ? `${what} was written in run format ${value.schema} (the field "schema"), by a newer version of the app; this version reads format ${RUN_RECORD_SCHEMA}.`
          : `${what}: the field "schema" is ${shown(value.schema)}; this version reads run format ${RUN_RECORD_SCHEMA}.`,
    };
  }
  return readRunRecord(nullMetricsAsNaN(value), what);
}

/** The run records a file holds, checked, or the first problem. */
export function readRunFile(text: string, fileName: string): Checked<RunRecord[]> {
  if (text.length > MAX_RUN_FILE_BYTES) {
    const sizes = formatBytesCompared(text.length, MAX_RUN_FILE_BYTES);
    return { ok: false, problem: `${fileName} is ${sizes.a}: too large to be a run file (at most ${sizes.b}).` };
  }
  let raw: unknown;
  try {
    raw = parseJsonAllowingNaN(text);
  } catch {
    return { ok: false, problem: `${fileName} is not JSON, so it is not a run file. ${WHAT_IT_READS}` };
  }
  if (!isObject(raw)) {
    return { ok: false, problem: `${fileName} is not a run file: it holds ${Array.isArray(raw) ? 'a list' : 'a single value'}, not a run. ${WHAT_IT_READS}` };
  }
  const other = otherAppFile(raw, fileName);
  if (other) return { ok: false, problem: other };
  if (raw.kind === 'runs') {
    if (raw.schema !== RUN_RECORD_SCHEMA) {
      return { ok: false, problem: `${fileName}: the field "schema" is ${shown(raw.schema)}; this version reads runs in format ${RUN_RECORD_SCHEMA}.` };
    }
    if (!Array.isArray(raw.runs)) return { ok: false, problem: `${fileName}: the field "runs" is not a list of runs.` };
    if (raw.runs.length === 0) return { ok: false, problem: `${fileName} holds no runs (its "runs" list is empty).` };
    if (raw.runs.length > MAX_RUNS_PER_FILE) {
      return { ok: false, problem: `${fileName} holds ${raw.runs.length} runs; at most ${MAX_RUNS_PER_FILE} are imported from one file. Export fewer runs at a time.` };
    }
    const runs: RunRecord[] = [];
    for (const [k, value] of raw.runs.entries()) {
      const r = readOne(value, `${fileName}, run ${k + 1} of ${raw.runs.length}`);
      if (!r.ok) return r;
      runs.push(r.value);
    }
    return { ok: true, value: runs };
  }
  if (raw.kind !== 'run') {
    return {
      ok: false,
      problem:
        raw.kind === undefined
          ? `${fileName} is not a run file of Training Playground: it has no field "kind" (a run file says "kind": "run", a JSON export of the Runs list "kind": "runs").`
          : `${fileName} is not a run file of Training Playground: the field "kind" is ${shown(raw.kind)}, not "run" or "runs".`,
    };
  }
  const r = readOne(raw, fileName);
  return r.ok ? { ok: true, value: [r.value] } : r;
}

/** Who trained a run: the PyTorch script names PyTorch as its backend ("PyTorch 2.1.0, cuda"). */
export function runSource(r: Pick<RunRecord, 'backend' | 'imported'>): RunSource {
  if (r.imported) return r.imported.source;
  return r.backend?.startsWith('PyTorch') ? 'pytorch' : 'playground';
}

export interface ImportOptions {
  /** The time of the import, ms since 1970. */
  now: number;
  /** Random numbers in [0, 1) for the new ids. */
  random?: () => number;
}

/**
 * The runs of a run file as new records for the list `existing`: each with a fresh id (never
 * one in use), a name not taken yet, marked as imported from `fileName`, not drawn and not the
 * baseline (the learner ticks it), and without a lesson step (it is none of this browser's).
 */
export function importRunFile(text: string, fileName: string, existing: readonly RunRecord[], options: ImportOptions): Checked<RunRecord[]> {
  const read = readRunFile(text, fileName);
  if (!read.ok) return read;
  const random = options.random ?? Math.random;
  const ids = new Set(existing.map((r) => r.id));
  const names = existing.map((r) => r.name);
  const runs = read.value.map((r) => {
    const base = `imported-${options.now.toString(36)}-${Math.floor(random() * 36 ** 6).toString(36)}`;
    let id = base;
    for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
    ids.add(id);
    // Room for " (2)" within the record's 500 characters.
    const name = uniqueName(r.name.slice(0, 480), names);
    names.push(name);
    const { lesson: _lesson, ...rest } = r;
    const run: RunRecord = {
      ...rest,
      id,
      name,
      compared: false,
      baseline: false,
      imported: { fileName: fileName.slice(0, 200), source: runSource(r), importedAt: options.now },
    };
    return run;
  });
  return { ok: true, value: runs };
}

/** How the Runs table tags an imported run: "imported from run.json (PyTorch)". */
export function importedLabel(r: RunRecord): string | null {
  if (!r.imported) return null;
  return `imported from ${r.imported.fileName}${r.imported.source === 'pytorch' ? ' (PyTorch)' : ''}`;
}

/** `runs` with `added` placed by start time, as the list comes back from storage after a reload. */
export function insertByCreation(runs: readonly RunRecord[], added: readonly RunRecord[]): RunRecord[] {
  const out = [...runs];
  for (const r of added) {
    let at = out.length;
    while (at > 0 && out[at - 1]!.createdAt > r.createdAt) at--;
    out.splice(at, 0, r);
  }
  return out;
}
