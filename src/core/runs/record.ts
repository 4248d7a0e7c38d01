/**
 * A finished run as the Runs panel keeps it (IndexedDB, one record per run): its settings,
 * its curves (per epoch, and per batch downsampled), its events and results. Pure: building
 * the summary shown in the table, checking a stored record, and exporting runs as CSV/JSON.
 */
import type { ExperimentConfig } from '../training/config';
import type { TrainEvent } from '../callbacks/types';
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

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number';

/**
 * Why `value` is not a run record this app version can show, naming the field; null when it
 * is one. (Only what the Runs panel reads is checked in depth; the config is checked for the
 * fields the table and naming read.)
 */
export function runRecordProblem(value: unknown): string | null {
  if (!isObject(value)) return 'it is not an object';
  if (value.kind !== 'run') return 'its kind is not "run"';
  if (value.schema !== RUN_RECORD_SCHEMA) return `it was written in format ${String(value.schema)}, this app reads format ${RUN_RECORD_SCHEMA}`;
  for (const key of ['id', 'name', 'datasetName'] as const) if (typeof value[key] !== 'string') return `"${key}" is not text`;
  for (const key of ['createdAt', 'endedAt', 'durationMs'] as const) if (!isNum(value[key])) return `"${key}" is not a number`;
  for (const key of ['nameEdited', 'compared', 'baseline'] as const) if (typeof value[key] !== 'boolean') return `"${key}" is not true or false`;
  const c = value.config;
  if (!isObject(c)) return '"config" is missing';
  if (typeof c.datasetId !== 'string' || !isObject(c.model) || !Array.isArray((c.model as { layers?: unknown }).layers)) {
    return '"config" has no dataset or model';
  }
  for (const key of ['trainingExamples', 'learningRate', 'batchSize', 'epochs', 'seed', 'validationSplit'] as const) {
    if (!isNum(c[key])) return `"config.${key}" is not a number`;
  }
  if (!Array.isArray(value.epochs) || !value.epochs.every((e) => isObject(e) && isNum(e.epoch) && isNum(e.loss) && isNum(e.acc))) {
    return '"epochs" is not a list of epochs with loss and accuracy';
  }
  if (!Array.isArray(value.batches) || !value.batches.every((b) => isObject(b) && isNum(b.step))) return '"batches" is not a list of points';
  if (!Array.isArray(value.events) || !value.events.every((e) => isObject(e) && typeof e.kind === 'string' && typeof e.message === 'string')) {
    return '"events" is not a list of events';
  }
  if (value.test !== null && !(isObject(value.test) && isNum(value.test.acc) && isNum(value.test.loss))) return '"test" is not a result';
  return null;
}

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
