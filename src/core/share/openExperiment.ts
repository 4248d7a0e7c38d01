/**
 * What opening an experiment will do, before it does it: which local dataset its dataset
 * reference means, which settings change (in words, as the Runs table names them), and the
 * semantic problems of the result (`validateSettings`, `analyzeModel`). Pure.
 */
import type { ExperimentConfig } from '../training/config';
import { validateSettings } from '../training/config';
import { analyzeModel } from '../model/analyze';
import { BUILTIN_DATASETS, SYNTHETIC_DATASETS, isBuiltinDatasetId, isSyntheticDatasetId } from '../data/builtin';
import { SETTING_VIEWS } from '../runs/settings';
import type { DatasetRef } from './experimentSchema';
import { normalizeConfig } from './codec';
import { isPlain } from './migrate';

/** What the app knows of an imported dataset (the store's `importedDatasets`). */
export interface LocalDataset {
  id: string;
  name: string;
  shape: readonly number[];
  classNames: readonly string[];
  trainCount: number;
  testCount: number;
}

/** A dataset as the checks need it. */
export interface DatasetFacts {
  id: string;
  name: string;
  shape: number[];
  numClasses: number;
  trainCount: number;
}

/**
 * A short id for an imported dataset from what defines it: image shape, class names and
 * counts (FNV-1a, hex). The same import on another machine gives the same fingerprint.
 */
export function datasetFingerprint(d: Omit<LocalDataset, 'id' | 'name'>): string {
  const text = `${d.shape.join('x')}|${d.classNames.join('\u0001')}|${d.trainCount}|${d.testCount}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${d.shape.join('x')}-${d.classNames.length}c-${d.trainCount}-${h.toString(16).padStart(8, '0')}`;
}

/** The facts of a built-in or generated dataset, or null for another id. */
export function builtinFacts(id: string): DatasetFacts | null {
  if (isBuiltinDatasetId(id)) {
    const d = BUILTIN_DATASETS[id];
    return { id, name: d.name, shape: [...d.shape], numClasses: d.classNames.length, trainCount: 60000 };
  }
  if (isSyntheticDatasetId(id)) {
    const d = SYNTHETIC_DATASETS[id]!;
    return { id, name: d.name, shape: [...d.shape], numClasses: d.classNames.length, trainCount: d.options.trainCount };
  }
  return null;
}

/** How the app's dataset `id` is named in a file or link. */
export function datasetRefFor(id: string, imported: readonly LocalDataset[]): DatasetRef {
  const d = imported.find((x) => x.id === id);
  return d ? { kind: 'imported', name: d.name, fingerprint: datasetFingerprint(d) } : { kind: 'builtin', id };
}

export type ResolvedDataset = { ok: true; facts: DatasetFacts; note?: string } | { ok: false; problem: string };

/** The local dataset a reference means: a built-in by id, an imported one by fingerprint (or name). */
export function resolveDataset(ref: DatasetRef, imported: readonly LocalDataset[]): ResolvedDataset {
  if (ref.kind === 'builtin') {
    const facts = builtinFacts(ref.id);
    if (facts) return { ok: true, facts };
    return { ok: false, problem: `The experiment's dataset "${ref.id.slice(0, 60)}" is not one this app has, so the dataset stays as it is.` };
  }
  const facts = (d: LocalDataset): DatasetFacts => ({
    id: d.id,
    name: d.name,
    shape: [...d.shape],
    numClasses: d.classNames.length,
    trainCount: d.trainCount,
  });
  const same = imported.find((d) => datasetFingerprint(d) === ref.fingerprint);
  if (same) return { ok: true, facts: facts(same), ...(same.name !== ref.name ? { note: `The dataset "${ref.name}" is the imported "${same.name}" here (same images' shape, classes and counts).` } : {}) };
  const named = imported.find((d) => d.name === ref.name);
  if (named) {
    return {
      ok: true,
      facts: facts(named),
      note: `The imported dataset "${named.name}" here differs from the experiment's (its shape, classes or counts are not the same): check that it is the same data.`,
    };
  }
  return {
    ok: false,
    problem: `The experiment uses the imported dataset "${ref.name.slice(0, 80)}", which is not in this browser: import it first (Data › Import), then open the experiment again. The dataset stays as it is.`,
  };
}

/** Every semantic problem of `c` on `facts`: the training settings' and the layer stack's. */
export function experimentProblems(c: ExperimentConfig, facts: DatasetFacts): string[] {
  const settings = validateSettings(c, { name: facts.name, trainCount: facts.trainCount, numClasses: facts.numClasses }).map(
    (i) => i.message,
  );
  const model = analyzeModel(c.model, facts.shape, facts.numClasses).errors.map((e) => `Model: ${e}`);
  return [...settings, ...model];
}

/** One setting that changes, in words. */
export interface SettingChange {
  label: string;
  from: string;
  to: string;
}

/** The config fields each view of SETTING_VIEWS shows. */
const VIEW_FIELDS: Record<string, (keyof ExperimentConfig)[]> = {
  dataset: ['datasetId'],
  examples: ['trainingExamples'],
  preprocessing: ['preprocessing'],
  model: ['model'],
  optimizer: ['optimizer'],
  optimizerParams: ['optimizerParams'],
  learningRate: ['learningRate'],
  schedule: ['schedule'],
  batchSize: ['batchSize'],
  epochs: ['epochs'],
  stepsPerEpoch: ['stepsPerEpoch'],
  labels: ['loss', 'oneHotLabels'],
  validation: ['validationSplit', 'crossValidation', 'folds'],
  augmentation: ['augmentation'],
  earlyStopping: ['earlyStopping'],
  seed: ['seed'],
  backend: ['backend'],
};

/** Labels of the fields no view shows. */
const OTHER_LABELS: Partial<Record<keyof ExperimentConfig, string>> = {
  checkpoints: 'Checkpoints',
  inspectEvery: 'Layer measurements',
};

const leaf = (x: unknown): string => (x === undefined ? 'default' : x === null ? 'none' : typeof x === 'object' ? JSON.stringify(x) : String(x));

/** The leaves that differ between two values, as "key old → new" ("patience 3 → 5"). */
function leafChanges(a: unknown, b: unknown, at = ''): string[] {
  if (isPlain(a) && isPlain(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => leafChanges(a[k], b[k], at ? `${at}.${k}` : k));
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  return [`${at || 'value'} ${leaf(a)} → ${leaf(b)}`];
}

/**
 * Every setting that differs between `current` and `next`, in words: the Runs table's texts
 * where they differ, and for a field whose text stays the same (a hidden detail), its values.
 * `datasetName` turns a dataset id into its name.
 */
export function settingChanges(
  current: ExperimentConfig,
  next: ExperimentConfig,
  datasetName: (id: string) => string = (id) => id,
): SettingChange[] {
  const a = normalizeConfig(current);
  const b = normalizeConfig(next);
  const out: SettingChange[] = [];
  for (const view of SETTING_VIEWS) {
    const fields = VIEW_FIELDS[view.key] ?? [];
    const differs = fields.some((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]));
    if (!differs) continue;
    if (view.key === 'dataset') {
      out.push({ label: view.label, from: datasetName(a.datasetId), to: datasetName(b.datasetId) });
      continue;
    }
    const from = view.text(a);
    const to = view.text(b);
    if (from !== to) out.push({ label: view.label, from, to });
    else {
      const details = fields.flatMap((f) => leafChanges(a[f], b[f], fields.length > 1 ? f : ''));
      out.push({ label: view.label, from, to: `${to} (${details.join(', ')})` });
    }
  }
  for (const [field, label] of Object.entries(OTHER_LABELS) as [keyof ExperimentConfig, string][]) {
    const details = leafChanges(a[field], b[field]);
    if (details.length === 0) continue;
    if (field === 'checkpoints') {
      const on = (c: ExperimentConfig) => (c.checkpoints?.enabled ? 'on' : 'off');
      out.push({ label, from: on(a), to: on(a) === on(b) ? `${on(b)} (${details.join(', ')})` : on(b) });
    } else out.push({ label, from: leaf(a[field]), to: leaf(b[field]) });
  }
  return out;
}
