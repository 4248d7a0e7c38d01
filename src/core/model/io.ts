/**
 * Saving and loading models in the standard TensorFlow.js Layers format (`model.json` +
 * `weights.bin`, loadable by `tf.loadLayersModel` and the tensorflowjs Python converter),
 * with our ModelSpec and dataset facts embedded under `userDefinedMetadata`.
 *
 * Loading checks everything first (./file/, pure) and only then allocates: a file
 * that fails a check never touches the current model.
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/types';
import type { Experiment } from '../experiment';
import { createOptimizer } from '../optimizers';
import type { ExperimentConfig } from '../training/config';
import { buildModel } from './build';
import {
  assembleWeightData,
  countParams,
  expectedWeights,
  META_KEY,
  META_VERSION,
  ModelFileError,
  parseModelJson,
  planWeights,
  topologyToSpec,
  checkWeightBytes,
  type ParsedModelFile,
  type PlaygroundMeta,
  type WeightEntry,
  type WeightFile,
  type WeightPlan,
} from './file';
import type { ModelSpec } from './types';

/** The two files of a saved model, as data. */
export interface ModelArtifactsFiles {
  /** The parsed form of model.json (JSON.stringify it to write the file). */
  modelJson: Record<string, unknown>;
  /** The bytes of weights.bin. */
  weights: ArrayBuffer;
}

/** The file name the manifest points at; downloads and saved records use it. */
export const WEIGHTS_FILE = 'weights.bin';

/** Captures a model's topology and weights through tfjs' own serializer (no files written). */
async function captureArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured) throw new Error('tfjs did not hand over the model while saving.');
  return captured;
}

const toArrayBuffer = (data: tf.io.WeightData | undefined): ArrayBuffer =>
  data === undefined ? new ArrayBuffer(0) : Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;

/** The facts a loaded model needs to restore the builder and evaluate the same way. */
export function metaFor(exp: Pick<Experiment, 'config' | 'dataset' | 'model'> & { data: { stats: { mean: number; std: number } } }): PlaygroundMeta {
  return {
    version: META_VERSION,
    spec: structuredClone(exp.config.model),
    datasetId: exp.dataset.id,
    datasetName: exp.dataset.name,
    inputShape: [...exp.dataset.shape],
    classNames: [...exp.dataset.classNames],
    preprocessing: exp.config.preprocessing,
    stats: { ...exp.data.stats },
    loss: exp.config.loss,
    oneHotLabels: exp.config.oneHotLabels,
    params: exp.model.countParams(),
  };
}

/**
 * model.json (as an object) and weights.bin for `model`, in the format tfjs' browser
 * downloads write: format, generatedBy, convertedBy, modelTopology, and a weightsManifest
 * pointing at one `weights.bin`.
 */
export async function exportModel(model: tf.LayersModel, meta: PlaygroundMeta | null): Promise<ModelArtifactsFiles> {
  const a = await captureArtifacts(model);
  const modelJson: Record<string, unknown> = {
    format: a.format ?? 'layers-model',
    generatedBy: a.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: a.convertedBy ?? null,
    modelTopology: a.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: a.weightSpecs ?? [] }],
  };
  if (meta) modelJson.userDefinedMetadata = { [META_KEY]: meta };
  return { modelJson, weights: toArrayBuffer(a.weightData) };
}

/**
 * Writes the planned weights into `model`'s layers. Every shape was checked by planWeights,
 * so a failure here is a bug; the caller still disposes the model if it throws.
 */
export function applyWeights(model: tf.LayersModel, plans: WeightPlan[], data: ArrayBuffer): void {
  for (const { layer, entries } of plans) {
    const target = model.getLayer(layer.name);
    tf.tidy(() => {
      const tensors = entries.map((e) => {
        const count = e.shape.reduce((a, b) => a * b, 1);
        return tf.tensor(new Float32Array(data.slice(e.offset, e.offset + count * 4)), e.shape, 'float32');
      });
      target.setWeights(tensors);
    });
  }
}

/** Reads a model's weights into plain bytes plus a manifest (for carrying them into a new model). */
export async function snapshotWeights(model: tf.LayersModel): Promise<{ weights: WeightEntry[]; data: ArrayBuffer }> {
  const { modelJson, weights } = await exportModel(model, null);
  const parsed = parseModelJson(JSON.stringify(modelJson));
  return { weights: parsed.weights, data: weights };
}

/** What the loaded model needs from the dataset: its shape and class count. */
export interface DatasetShape {
  shape: number[];
  classNames: string[];
  name: string;
}

/** A file checked against a dataset: everything needed to build, nothing allocated yet. */
export interface LoadPlan {
  spec: ModelSpec;
  plans: WeightPlan[];
  data: ArrayBuffer;
  params: number;
  meta: PlaygroundMeta | null;
}

/**
 * Checks a model.json + weights for loading as a whole model on `dataset`: JSON, manifest,
 * sizes, topology, input shape, classes and every weight shape. Throws ModelFileError with
 * a learner-facing message; allocates nothing.
 */
export function planModelLoad(parsed: ParsedModelFile, files: WeightFile[], dataset: DatasetShape): LoadPlan {
  if (parsed.topology == null) {
    throw new ModelFileError(
      'This file holds weights only (no list of layers). Use "Load weights into current model" for it, or choose a full model.json.',
    );
  }
  const { spec, inputShape } = topologyToSpec(parsed.topology);
  const shape = inputShape ?? parsed.meta?.inputShape ?? dataset.shape;
  if (shape.length !== dataset.shape.length || shape.some((d, i) => d !== dataset.shape[i])) {
    throw new ModelFileError(
      `This model expects inputs of shape ${shape.join('×')}, but ${dataset.name}'s images are ${dataset.shape.join('×')}, ` +
        'so it cannot be evaluated or trained on this dataset.',
    );
  }
  const data = assembleWeightData(parsed, files);
  const expected = expectedWeights(spec, dataset.shape, dataset.classNames.length);
  const plans = planWeights(expected, parsed.weights);
  return { spec, plans, data, params: countParams(parsed.weights), meta: parsed.meta };
}

/**
 * Checks a file's weights against `spec` (the architecture in the builder): the first layer
 * whose shapes differ is named. Allocates nothing.
 */
export function planWeightsLoad(parsed: ParsedModelFile, files: WeightFile[], spec: ModelSpec, dataset: DatasetShape): LoadPlan {
  const data = assembleWeightData(parsed, files);
  const expected = expectedWeights(spec, dataset.shape, dataset.classNames.length);
  const plans = planWeights(expected, parsed.weights);
  return { spec, plans, data, params: countParams(parsed.weights), meta: parsed.meta };
}

/** Builds the planned model and fills in its weights; nothing leaks if it throws. */
export function buildPlannedModel(plan: LoadPlan, dataset: DatasetShape, seed: number): tf.Sequential {
  const model = buildModel(plan.spec, dataset.shape, { seed, numClasses: dataset.classNames.length });
  try {
    applyWeights(model, plan.plans, plan.data);
    return model;
  } catch (err) {
    model.dispose();
    throw err;
  }
}

/**
 * Carries weights from a snapshot (see snapshotWeights) into a freshly built model of the
 * same architecture: "train further". Names the first layer that differs otherwise.
 */
export function carryWeights(
  snapshot: { weights: WeightEntry[]; data: ArrayBuffer },
  model: tf.Sequential,
  spec: ModelSpec,
  dataset: DatasetShape,
): void {
  const expected = expectedWeights(spec, dataset.shape, dataset.classNames.length);
  const plans = planWeights(expected, snapshot.weights);
  const parsedLike = { byteLength: snapshot.weights.reduce((a, w) => a + w.shape.reduce((x, y) => x * y, 4), 0) } as ParsedModelFile;
  checkWeightBytes(parsedLike, snapshot.data.byteLength, 'The current weights');
  applyWeights(model, plans, snapshot.data);
}

/**
 * Why a model of `spec` cannot continue from a trained model of `current` ("train further"),
 * naming the first layer that differs, or null when every weight shape matches. Pure checks.
 */
export function carryProblem(current: ModelSpec, spec: ModelSpec, dataset: DatasetShape): string | null {
  try {
    const from = expectedWeights(current, dataset.shape, dataset.classNames.length).flatMap((l) =>
      l.weights.map((w): WeightEntry => ({ name: `${l.name}/${w.name}`, shape: w.shape, dtype: 'float32' })),
    );
    planWeights(expectedWeights(spec, dataset.shape, dataset.classNames.length), from, 'current');
    return null;
  } catch (err) {
    return (
      `Train further continues the current model, so the layers in the builder must have its shapes: ${(err as Error).message} ` +
      'Undo the change, or untick "Train further" to start from new weights.'
    );
  }
}

/**
 * An Experiment around a loaded model, enough to evaluate it (and to hand its weights to a
 * new run): no training data is uploaded; the test split is prepared on first evaluation
 * with the saved preprocessing statistics.
 */
export function loadedExperiment(
  config: ExperimentConfig,
  dataset: Dataset,
  model: tf.Sequential,
  stats: { mean: number; std: number },
): Experiment {
  const [h, w, c] = dataset.shape;
  const empty = { x: tf.zeros([0, h, w, c]), y: tf.zeros([0], 'int32'), count: 0 };
  const optimizer = createOptimizer(config.optimizer, { learningRate: config.learningRate });
  return {
    config,
    dataset,
    model,
    optimizer,
    data: {
      train: empty,
      validation: null,
      stats: { ...stats },
      dispose: () => tf.dispose([empty.x, empty.y]),
    },
    test: null,
  };
}
