/**
 * A finished run as the Runs panel keeps it (IndexedDB, one record per run): its settings,
 * its curves (per epoch, and per batch downsampled), its events and results. Pure: building
 * the summary shown in the table, checking a stored record, and exporting runs as CSV/JSON.
 */
import * as v from 'valibot';
import type { ExperimentConfig } from '../training/config';
import { defaultConfig } from '../training/defaults';
import { TRAIN_EVENT_KINDS, type TrainEvent } from '../callbacks/types';
import { configSchema } from '../share/experimentSchema';
import { check, type Checked } from '../schema/check';
import { differingSettings } from './settings';

/** One epoch of a recorded run (1-based `epoch`; accuracies as fractions, as Keras logs them). */
export interface RunEpoch {
  epoch: number;
  loss: number;
  acc: number;
  val_loss?: number;
  val_acc?: number;
  lr?: number;
}

/** One point of a recorded run's per-batch curve (a bucket mean; accuracy in percent). */
export interface RunBatchPoint {
  step: number;
  epochFraction: number;
  loss: number | null;
  acc: number | null;
}

export type RunOutcome = 'completed' | 'early stop' | 'stopped' | 'diverged' | 'error';

/** What trained an imported run, as far as its file says (see ./importRun.ts). */
export type RunSource = 'pytorch' | 'playground';

/** Where a run came from when it was not trained in this browser: a file imported into the Runs list. */
export interface RunImport {
  /** The file it was read from ("run.json"). */
  fileName: string;
  /** The exported PyTorch script (its backend says "PyTorch …"), or this app (a JSON export of the Runs list). */
  source: RunSource;
  /** When it was imported, ms since 1970. */
  importedAt: number;
}

export interface RunRecord {
  id: string;
  kind: 'run';
  schema: number;
  name: string;
  /** True once the learner renamed it: automatic renaming leaves it alone. */
  nameEdited: boolean;
  createdAt: number;
  endedAt: number;
  /** Time spent training (pauses excluded where known), ms. */
  durationMs: number;
  datasetName: string;
  config: ExperimentConfig;
  epochs: RunEpoch[];
  batches: RunBatchPoint[];
  events: TrainEvent[];
  test: { loss: number; acc: number; count: number } | null;
  /** The backend it trained on, as the status line names it ("wasm, 2 threads"). */
  backend: string | null;
  outcome: RunOutcome;
  /** Drawn over the live curves (the Runs table's "Compare" box). */
  compared: boolean;
  /** The run the others are measured against. */
  baseline: boolean;
  /** The lesson (and its step) that made this run, if any. */
  lesson?: { id: string; step: number };
  /** Set when the run was imported from a file rather than trained in this browser. */
  imported?: RunImport;
}

/** The format of a stored run; bump when the shape changes (older ones are then explained). */
export const RUN_RECORD_SCHEMA = 1;

/** A run's results for the table. Accuracies as fractions; null where the run has none. */
export interface RunSummary {
  bestValAcc: number | null;
  /** 1-based epoch of the best validation accuracy. */
  bestValEpoch: number | null;
  finalAcc: number | null;
  testAcc: number | null;
  epochs: number;
}

export function summarize(r: Pick<RunRecord, 'epochs' | 'test'>): RunSummary {
  let bestValAcc: number | null = null;
  let bestValEpoch: number | null = null;
  for (const e of r.epochs) {
    if (e.val_acc !== undefined && Number.isFinite(e.val_acc) && (bestValAcc === null || e.val_acc > bestValAcc)) {
      bestValAcc = e.val_acc;
      bestValEpoch = e.epoch;
    }
  }
  const last = r.epochs.at(-1);
  return {
    bestValAcc,
    bestValEpoch,
    finalAcc: last && Number.isFinite(last.acc) ? last.acc : null,
    testAcc: r.test?.acc ?? null,
    epochs: r.epochs.length,
  };
}

// NaN kept: a diverged run's last epoch (valibot's number() refuses NaN, which made such a run unreadable).
const metric = v.custom<number>((x) => typeof x === 'number', 'a number');
const runConfigSchema = v.object({ ...configSchema.entries, datasetId: v.pipe(v.string(), v.maxLength(200)) });
/** A stored run, checked field by field (the Runs panel shows it, compares it, applies its settings). */
const runRecordSchema = v.object({
  id: v.pipe(v.string(), v.maxLength(200)),
  kind: v.literal('run'),
  schema: v.literal(RUN_RECORD_SCHEMA),
  name: v.pipe(v.string(), v.maxLength(500)),
  nameEdited: v.boolean(),
  createdAt: v.number(),
  endedAt: v.number(),
  durationMs: v.number(),
  datasetName: v.pipe(v.string(), v.maxLength(500)),
  config: runConfigSchema,
  epochs: v.array(
    v.object({ epoch: v.number(), loss: metric, acc: metric, val_loss: v.optional(metric), val_acc: v.optional(metric), lr: v.optional(metric) }),
  ),
  batches: v.array(v.object({ step: v.number(), epochFraction: v.number(), loss: v.nullable(metric), acc: v.nullable(metric) })),
  events: v.array(
    v.object({ kind: v.picklist(TRAIN_EVENT_KINDS), epoch: v.number(), step: v.optional(v.number()), message: v.pipe(v.string(), v.maxLength(2000)), value: v.optional(v.number()) }),
  ),
  test: v.nullable(v.object({ loss: metric, acc: metric, count: v.number() })),
  backend: v.nullable(v.string()),
  outcome: v.picklist(['completed', 'early stop', 'stopped', 'diverged', 'error'] as const),
  compared: v.boolean(),
  baseline: v.boolean(),
  lesson: v.optional(v.object({ id: v.string(), step: v.number() })),
  imported: v.optional(
    v.object({ fileName: v.pipe(v.string(), v.maxLength(500)), source: v.picklist(['pytorch', 'playground'] as const), importedAt: v.number() }),
  ),
});

/**
 * A stored value as a run record this app version can show, or why not (naming the field;
 * `what` names the thing in the message). A config saved before a setting existed gets that
 * setting's default.
 */
export function readRunRecord(value: unknown, what = 'The stored run'): Checked<RunRecord> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, problem: 'it is not an object' };
  const o = value as Record<string, unknown>;
  if (o.kind !== 'run') return { ok: false, problem: 'its kind is not "run"' };
  if (o.schema !== RUN_RECORD_SCHEMA) return { ok: false, problem: `it was written in format ${String(o.schema)}, this app reads format ${RUN_RECORD_SCHEMA}` };
  const filled = typeof o.config === 'object' && o.config !== null ? { ...o, config: { ...defaultConfig(), ...o.config } } : o;
  return check(runRecordSchema, filled, what);
}

// The schema and RunRecord must describe the same thing (the schema pins `schema` to 1).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: Same<Omit<v.InferOutput<typeof runRecordSchema>, 'schema'>, Omit<RunRecord, 'schema'>> = true;
void sameShape;

const csvCell = (v: string | number | null | undefined): string => {
  if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * The runs' per-epoch curves as CSV: one row per run and epoch, with the settings that differ
 * among these runs as columns, then the epoch's metrics and the run's test accuracy.
 */
export function runsToCsv(runs: readonly RunRecord[]): string {
  const settings = differingSettings(runs.map((r) => r.config));
  const header = ['run', ...settings.map((s) => s.label), 'epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'learning_rate', 'test_accuracy'];
  const lines = [header.map(csvCell).join(',')];
  for (const r of runs) {
    const fixed = [r.name, ...settings.map((s) => s.text(r.config))];
    for (const e of r.epochs) {
      lines.push([...fixed, e.epoch, e.loss, e.acc, e.val_loss, e.val_acc, e.lr, r.test?.acc].map(csvCell).join(','));
    }
  }
  return lines.join('\n') + '\n';
}

/** The runs as one JSON document (records as stored, with the format named). */
export function runsToJson(runs: readonly RunRecord[]): string {
  return JSON.stringify({ app: 'training-playground', kind: 'runs', schema: RUN_RECORD_SCHEMA, runs }, null, 2);
}
