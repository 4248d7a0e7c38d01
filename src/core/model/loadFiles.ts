/**
 * Loading a model or its weights from files, as the worker does it, in two steps: `planLoad`
 * checks everything and allocates nothing; `materializeLoad` builds the model and wraps it in
 * an Experiment that can be evaluated (and whose weights a new run can start from).
 */
import { isBuiltinDatasetId } from '../data/builtin';
import { computeStats, PREPROCESSING, type PixelStats } from '../data/preprocess';
import type { Dataset } from '../data/types';
import type { Experiment } from '../experiment';
import type { ExperimentConfig } from '../training/config';
import { buildPlannedModel, loadedExperiment, planModelLoad, planWeightsLoad, type LoadPlan } from './io';
import { ModelFileError, parseModelJson, type WeightFile } from './file';

export interface LoadFilesRequest {
  mode: 'model' | 'weights';
  modelJson: string;
  weights: WeightFile[];
  /** The settings in the app now: the dataset, and in 'weights' mode the architecture. */
  config: ExperimentConfig;
}

/** A checked load: what will be built, on which data, with which settings. */
export interface PlannedLoad {
  plan: LoadPlan;
  dataset: Dataset;
  /** The app's settings after loading: the model's architecture and its data settings. */
  config: ExperimentConfig;
  stats: PixelStats;
  /** Sentences for the learner about what was assumed. */
  notes: string[];
}

/** Pixel statistics of the whole training split, for a file that does not carry its own. */
function trainingStats(dataset: Dataset): PixelStats {
  const [h, w, c] = dataset.shape;
  return computeStats(dataset.train.images, h * w * c, Int32Array.from({ length: dataset.train.count }, (_, i) => i));
}

/**
 * Checks the files against the dataset they were trained on (or the current one) and the
 * current settings. Throws ModelFileError with a learner-facing message; allocates nothing.
 */
export async function planLoad(req: LoadFilesRequest, getDataset: (id: string) => Promise<Dataset>): Promise<PlannedLoad> {
  const parsed = parseModelJson(req.modelJson);
  const meta = parsed.meta;
  const notes: string[] = [];
  let config = req.config;
  if (req.mode === 'model' && meta) {
    const datasetId = isBuiltinDatasetId(meta.datasetId) ? meta.datasetId : config.datasetId;
    if (datasetId !== meta.datasetId) {
      notes.push(`It was trained on "${meta.datasetName}", which is not available here; it is used with ${config.datasetId}.`);
    }
    config = { ...config, datasetId, preprocessing: meta.preprocessing, loss: meta.loss, oneHotLabels: meta.oneHotLabels };
  }
  const dataset = await getDataset(config.datasetId);
  if (meta && req.mode === 'model' && meta.classNames.length !== dataset.classNames.length) {
    throw new ModelFileError(
      `This model tells ${meta.classNames.length} classes apart, but ${dataset.name} has ${dataset.classNames.length}, so it cannot be evaluated on it.`,
    );
  }
  const plan = req.mode === 'model' ? planModelLoad(parsed, req.weights, dataset) : planWeightsLoad(parsed, req.weights, config.model, dataset);
  config = { ...config, model: structuredClone(plan.spec) };
  let stats: PixelStats;
  if (meta && meta.preprocessing === config.preprocessing) {
    stats = meta.stats;
  } else {
    stats = trainingStats(dataset);
    if (config.preprocessing === 'standardize') {
      notes.push(
        `The file does not say which statistics standardized its inputs; the mean and standard deviation of ${dataset.name}'s whole training split are used.`,
      );
    }
    if (!meta) {
      notes.push(`The file does not say how its inputs were scaled; your current preprocessing (${PREPROCESSING[config.preprocessing].label}) is used.`);
    }
  }
  return { plan, dataset, config, stats, notes };
}

/** Builds the checked model with its weights: the new current model. */
export function materializeLoad(p: PlannedLoad): Experiment {
  const model = buildPlannedModel(p.plan, p.dataset, p.config.seed);
  return loadedExperiment(p.config, p.dataset, model, p.stats);
}
