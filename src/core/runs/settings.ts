/**
 * Runs compared by their settings, in a learner's words: each setting that can differ between
 * two runs as a short text ("raw pixels", "lr 0.0001", "+ Dropout 0.5"), the settings that
 * differ among a list of runs (the Runs table's columns), and a run's name from what differs
 * from the run before it. Pure: the store and the Runs panel use it.
 */
import type { ExperimentConfig } from '../training/config';
import type { LayerSpec, ModelSpec } from '../model/types';
import { OPTIMIZER_CATALOG } from '../optimizers/catalog';
import { SCHEDULES } from '../schedules/schedules';
import { isAugmenting } from '../augment/settings';
import { MODEL_PRESETS } from '../model/presets';
import { formatCount } from '../format';

/** One setting as the comparison shows it. */
export interface SettingView {
  key: string;
  /** Column header in the Runs table. */
  label: string;
  /** The value for `c`, short; the same text means the same setting. */
  text(c: ExperimentConfig): string;
  /** Part of a run's name when it is what differs (default: the text). */
  nameText?(c: ExperimentConfig, other: ExperimentConfig): string;
}

const num = (v: number) => String(Number(v.toPrecision(4)));
const PREPROCESSING_SHORT: Record<ExperimentConfig['preprocessing'], string> = {
  raw: 'raw pixels',
  normalize: 'normalize [0,1]',
  center: 'center [-1,1]',
  standardize: 'standardize',
};

function layerText(l: LayerSpec): string {
  switch (l.type) {
    case 'dense':
      return `Dense ${l.units}${l.activation === 'relu' ? '' : ` ${l.activation}`}`;
    case 'conv2d':
      return `Conv ${l.filters}×${l.kernelSize}${l.strides > 1 ? `/${l.strides}` : ''}${l.activation === 'relu' ? '' : ` ${l.activation}`}`;
    case 'maxPooling2d':
      return `MaxPool ${l.poolSize}`;
    case 'flatten':
      return 'Flatten';
    case 'dropout':
      return `Dropout ${num(l.rate)}`;
    case 'batchNormalization':
      return 'BatchNorm';
    case 'activation':
      return l.activation;
  }
}

/**
 * A model in a few words: a preset's name when it is one, else its layers with runs of equal
 * layers folded ("Flatten · 40×Dense 64 · Dense 10 softmax").
 */
export function modelText(spec: ModelSpec): string {
  const same = (a: ModelSpec, b: ModelSpec) => JSON.stringify(a.layers) === JSON.stringify(b.layers);
  const preset = MODEL_PRESETS.find((p) => same(p.spec, spec));
  if (preset) return preset.name.replace(/ \(chapter\)$/, '');
  const parts: string[] = [];
  let i = 0;
  while (i < spec.layers.length) {
    const t = layerText(spec.layers[i]!);
    let n = 1;
    while (i + n < spec.layers.length && layerText(spec.layers[i + n]!) === t) n++;
    parts.push(n > 1 ? `${n}×${t}` : t);
    i += n;
  }
  return parts.join(' · ') || 'no layers';
}

/** How two models differ, when one only adds (or removes) layers of one kind: "+ Dropout 0.5". */
function modelDifference(c: ModelSpec, other: ModelSpec): string | null {
  for (const kind of ['dropout', 'batchNormalization'] as const) {
    const strip = (s: ModelSpec) => JSON.stringify(s.layers.filter((l) => l.type !== kind));
    if (strip(c) !== strip(other)) continue;
    const mine = c.layers.filter((l) => l.type === kind);
    const theirs = other.layers.filter((l) => l.type === kind);
    if (mine.length === 0) return `no ${kind === 'dropout' ? 'Dropout' : 'BatchNorm'}`;
    const label = layerText(mine[0]!);
    const allSame = mine.every((l) => layerText(l) === label);
    const what = allSame ? label : kind === 'dropout' ? 'Dropout' : 'BatchNorm';
    if (theirs.length === 0) return `+ ${mine.length > 1 ? `${mine.length}×` : ''}${what}`;
    return mine.length === theirs.length ? (allSame ? label : modelText(c)) : `${mine.length}×${what}`;
  }
  return null;
}

const augmentationText = (c: ExperimentConfig): string => {
  const a = c.augmentation;
  if (!isAugmenting(a)) return 'no augmentation';
  const parts: string[] = [];
  if (a.flipH) parts.push('flip ↔');
  if (a.flipV) parts.push('flip ↕');
  if (a.rot90) parts.push('rot 90°');
  if (a.rotateDeg > 0) parts.push(`rotate ±${num(a.rotateDeg)}°`);
  if (a.shiftW > 0 || a.shiftH > 0) parts.push(`shift ${num(a.shiftW)}/${num(a.shiftH)}`);
  if (a.zoom > 0) parts.push(`zoom ${num(a.zoom)}`);
  if (a.brightness > 0) parts.push(`brightness ${num(a.brightness)}`);
  return `augment ${parts.join(', ')} (${Math.round(a.fraction * 100)}%)`;
};

const scheduleText = (c: ExperimentConfig): string => {
  const s = c.schedule;
  if (!s || s.id === 'constant') return 'constant lr';
  const params = Object.entries(s.params)
    .map(([k, v]) => `${k} ${num(v)}`)
    .join(', ');
  return `${SCHEDULES[s.id].label.toLowerCase()}${params ? ` (${params})` : ''}`;
};

const earlyStoppingText = (c: ExperimentConfig): string => {
  const e = c.earlyStopping;
  if (!e.enabled) return 'no early stopping';
  return `early stop on ${e.monitor}, patience ${e.patience}${e.restoreBestWeights ? ', restore best' : ''}`;
};

/** Every setting the comparison can show, in the order of the Runs table's columns. */
export const SETTING_VIEWS: readonly SettingView[] = [
  { key: 'dataset', label: 'Dataset', text: (c) => c.datasetId },
  { key: 'examples', label: 'Examples', text: (c) => `${formatCount(c.trainingExamples)} examples` },
  { key: 'preprocessing', label: 'Inputs', text: (c) => PREPROCESSING_SHORT[c.preprocessing] },
  {
    key: 'model',
    label: 'Model',
    text: (c) => modelText(c.model),
    nameText: (c, other) => modelDifference(c.model, other.model) ?? modelText(c.model),
  },
  { key: 'optimizer', label: 'Optimizer', text: (c) => OPTIMIZER_CATALOG[c.optimizer].label.toLowerCase() },
  {
    key: 'optimizerParams',
    label: 'Optimizer settings',
    text: (c) =>
      Object.entries(c.optimizerParams)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k} ${num(v)}`)
        .join(', ') || 'defaults',
  },
  { key: 'learningRate', label: 'Learning rate', text: (c) => `lr ${num(c.learningRate)}` },
  { key: 'schedule', label: 'Schedule', text: scheduleText },
  { key: 'batchSize', label: 'Batch', text: (c) => `batch ${c.batchSize}` },
  { key: 'epochs', label: 'Epochs', text: (c) => `${c.epochs} epoch${c.epochs === 1 ? '' : 's'}` },
  {
    key: 'stepsPerEpoch',
    label: 'Steps per epoch',
    text: (c) => (c.stepsPerEpoch === null ? 'all batches' : `${c.stepsPerEpoch} steps/epoch`),
  },
  {
    key: 'labels',
    label: 'Labels',
    text: (c) =>
      `${c.loss === 'sparseCategoricalCrossentropy' ? 'sparse' : 'categorical'} CE, ${c.oneHotLabels ? 'one-hot' : 'integer'} labels`,
  },
  {
    key: 'validation',
    label: 'Validation',
    text: (c) => (c.crossValidation ? `${c.folds}-fold cross-validation` : `${Math.round(c.validationSplit * 100)}% validation`),
  },
  { key: 'augmentation', label: 'Augmentation', text: augmentationText },
  { key: 'earlyStopping', label: 'Early stopping', text: earlyStoppingText },
  { key: 'seed', label: 'Seed', text: (c) => `seed ${c.seed}` },
  { key: 'backend', label: 'Backend', text: (c) => c.backend },
];

/** The settings whose text differs among `configs` (all of them when there is one or none). */
export function differingSettings(configs: readonly ExperimentConfig[]): SettingView[] {
  return SETTING_VIEWS.filter((v) => new Set(configs.map((c) => v.text(c))).size > 1);
}

/** At most this many differences make up a name; more are summed up as "+ N more". */
const NAME_PARTS = 3;

/**
 * A run's name: what differs from the run before it ("raw pixels", "lr 0.0001, batch 128"),
 * or, for a first run (or one on another dataset), a short summary of its main settings.
 * The backend is left out: it changes speed, not what is learned.
 */
export function runName(config: ExperimentConfig, previous: ExperimentConfig | null): string {
  if (!previous || previous.datasetId !== config.datasetId) return summaryName(config);
  const parts = SETTING_VIEWS.filter((v) => v.key !== 'backend' && v.text(config) !== v.text(previous)).map(
    (v) => v.nameText?.(config, previous) ?? v.text(config),
  );
  if (parts.length === 0) return 'same settings again';
  const shown = parts.slice(0, NAME_PARTS).join(', ');
  return parts.length > NAME_PARTS ? `${shown} + ${parts.length - NAME_PARTS} more` : shown;
}

/** The main settings in a few words: "Dense 512-512 MLP, adam, lr 0.001, normalize [0,1]". */
export function summaryName(c: ExperimentConfig): string {
  const by = (key: string) => SETTING_VIEWS.find((v) => v.key === key)!.text(c);
  return [by('model'), by('optimizer'), by('learningRate'), by('preprocessing')].join(', ');
}

const DATASET_NAMES: Record<string, string> = { mnist: 'MNIST', fashion: 'Fashion-MNIST' };

/**
 * The name of a run's stored checkpoints (the Checkpoints panel): its main settings with the
 * layers spelled out when they are not a preset's, so runs with and without Dropout differ.
 */
export function checkpointRunName(c: ExperimentConfig): string {
  return `${summaryName(c)} on ${DATASET_NAMES[c.datasetId] ?? c.datasetId}, seed ${c.seed}`;
}

/** `name`, or `name (2)`, `name (3)`… so that it differs from every name in `taken`. */
export function uniqueName(name: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(name)) return name;
  for (let n = 2; ; n++) if (!used.has(`${name} (${n})`)) return `${name} (${n})`;
}
