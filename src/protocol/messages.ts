/**
 * The typed messages between the UI thread and the training worker. Every run-scoped message
 * carries the run id that started it, so the client can drop messages of a stale run.
 * Only numbers, strings and typed arrays cross: never tensors or functions.
 */
import type { ExperimentConfig, BackendName } from '../core/training/config';
import type { BatchLog, EpochSummary, StopReason, TrainEvent } from '../core/callbacks/types';
import type { ImageShape } from '../core/data/types';
import type { DatasetInfo } from '../core/data/describe';
import type { MetricHistory } from '../core/checkpoint/snapshot';
import type { WeightFile } from '../core/model/file';
import type { AugmentationConfig } from '../core/augment/settings';
import type { PreviewItem } from '../core/augment/experiment';
import type { InvariancePoint } from '../core/augment/sweeps';
import type { LayerStatsSample } from '../core/inspect/stats';
import type { FirstLayerPictures } from '../core/inspect/firstLayer';
import type { EvaluationFromWorker, EvaluationToWorker } from './evaluationMessages';
import type { PrepStage } from '../core/training/stages';
import type { ModelFacts } from '../core/model/cost';

export const PROTOCOL_VERSION = 1;

// ---- UI -> worker ----------------------------------------------------------------------

/** Sent first to every new worker: settings for the worker's whole life. */
export interface SetupRequest {
  type: 'setup';
  /**
   * Threads for the wasm backend, as asked for in the address (`?threads=N`): no probe. Absent:
   * the worker measures which count trains fastest (once per device, then cached).
   */
  wasmThreads?: number;
  /**
   * A Web Lock the worker holds for its whole life (and answers 'lifeLock' once it does): the
   * browser releases it when the worker ends in any way, even `self.close()` or an out-of-memory
   * kill that fires no error, so the page learns of it at once and never from a busy silence.
   */
  lockName?: string;
}
/**
 * Start now, while the learner looks at the page, what a run of this config would otherwise
 * start after Train: the wasm thread decision, the wasm backend, and the data tensors (kept
 * for the first run whose data settings match). No reply; a run that comes first waits for it.
 */
export interface WarmUpRequest { type: 'warmUp'; config: ExperimentConfig }
export interface DescribeDatasetRequest { type: 'describeDataset'; requestId: number; datasetId: string }
export interface TrainRequest {
  type: 'train';
  runId: number;
  config: ExperimentConfig;
  /** Continue from this stored checkpoint id; the checkpoint's own config is used. */
  resumeFrom?: string;
  /** 'current': start from the weights of the worker's current model (trained or loaded),
   * "train further"; the architecture must match (the first differing layer is named). */
  initialWeights?: 'current';
}
/** Load a stored checkpoint's weights into the run's model (e.g. the last good one after NaN). */
export interface RestoreCheckpointRequest { type: 'restoreCheckpoint'; runId: number; checkpointId: string }
export interface PauseRequest { type: 'pause'; runId: number }
export interface ResumeRequest { type: 'resume'; runId: number }
export interface StopRequest { type: 'stop'; runId: number }
/** Evaluate the run's model on the test split (after training, or on demand). */
export interface EvaluateRequest { type: 'evaluate'; runId: number }
/** The current model's files (model.json text + weights.bin bytes), to save or download. */
export interface ExportModelRequest { type: 'exportModel'; requestId: number; runId: number }
/**
 * Load files as the current model: mode 'model' takes the architecture from model.json,
 * 'weights' loads the weights into `config.model` (the builder's architecture). On success
 * the model becomes the worker's current run `runId`; on failure nothing changes.
 */
export interface LoadModelRequest {
  type: 'loadModel';
  requestId: number;
  runId: number;
  mode: 'model' | 'weights';
  /** Shown in the reply's message ("Loaded model mnist-mlp"). */
  name: string;
  modelJson: string;
  weights: WeightFile[];
  config: ExperimentConfig;
}

/** A few training images of the dataset with augmented versions (no run needed). */
export interface PreviewAugmentationRequest {
  type: 'previewAugmentation';
  requestId: number;
  datasetId: string;
  augmentation: AugmentationConfig;
  seed: number;
  /** Each round draws fresh versions; the same round repeats them. */
  round: number;
}
/** Evaluate the run's model on shifted, rotated and zoomed test images; points stream back. */
export interface InvarianceRequest { type: 'invariance'; runId: number }

export type ToWorker =
  | SetupRequest
  | WarmUpRequest
  | PreviewAugmentationRequest
  | InvarianceRequest
  | DescribeDatasetRequest
  | TrainRequest
  | PauseRequest
  | ResumeRequest
  | StopRequest
  | EvaluateRequest
  | RestoreCheckpointRequest
  | ExportModelRequest
  | LoadModelRequest
  | EvaluationToWorker;

// ---- worker -> UI ----------------------------------------------------------------------

/** A few images per class for the sample grid, and the split sizes (made by core/data/describe). */
export type { DatasetInfo };

/** How many threads the wasm backend runs on, and why. */
export interface WasmThreadsReport {
  /** Threads tfjs really started (its getThreadsCount()). */
  threads: number;
  /**
   * How the count came about: measured earlier on this device (cached), asked for in the
   * address (`?threads=N`), the only possible one (no cross-origin isolation, one core), 1 for
   * now (`provisional`: a first visit, whose first run does not wait for the thread counts to
   * be timed; they are timed once it is over), or `measured` (that timing, see `threadsMeasured`).
   */
  chosen: 'measured' | 'cached' | 'asked' | 'only' | 'provisional';
  /** For the learner: "1 thread: 2 threads measured 2,400 samples/s vs 2,700 on 1 (measured just now)". */
  reason: string;
  /** Training samples/s per thread count, when measured (now or earlier). */
  speeds?: { threads: number; samplesPerSec: number }[];
  /** How long timing the thread counts took, ms (only when measured for this run). */
  probeMs?: number;
}

export interface BackendReport {
  backend: BackendName;
  /** Why each backend tried before it was not used. */
  skipped: { backend: BackendName; reason: string }[];
  /** How the UI names the backend in use, e.g. "webgl (software: SwiftShader)"; absent means `backend`. */
  label?: string;
  /** Automatic choice: training samples/s measured per backend that could train the model. */
  speeds?: { backend: BackendName; samplesPerSec: number }[];
  /** Whether `speeds` were measured for this run or read from this device's cache. */
  measured?: 'now' | 'cached';
  /** Automatic choice: how long starting and measuring the backends took, ms. */
  probeMs?: number;
  /** Present when the wasm backend was started for this choice (it was tried or chosen). */
  wasmThreads?: WasmThreadsReport;
}

export interface Progress {
  epoch: number;
  epochs: number;
  /** Batches done in this epoch. */
  batch: number;
  batchesPerEpoch: number;
  samplesPerSec: number;
  /** Estimated seconds until training ends, or null before a rate is known. */
  secondsLeft: number | null;
}

export type RunPhase = 'preparing' | 'training' | 'paused' | 'evaluating';

export type FromWorker =
  | { type: 'ready'; protocolVersion: number }
  | { type: 'lifeLock' }
  | { type: 'datasetInfo'; requestId: number; info: DatasetInfo }
  | { type: 'datasetError'; requestId: number; message: string }
  /**
   * `stage`: a stage before the first batch, which the page times against its limit (see
   * core/training/stages); `model`: the run's model figures, once the dataset is known, so a
   * stage that runs too long can say why.
   */
  | { type: 'phase'; runId: number; phase: RunPhase; detail?: string; stage?: PrepStage; model?: ModelFacts }
  | { type: 'backend'; runId: number; report: BackendReport }
  | { type: 'runStarted'; runId: number; trainCount: number; validationCount: number; batchesPerEpoch: number }
  | { type: 'batches'; runId: number; points: BatchLog[]; progress: Progress }
  | { type: 'epochEnd'; runId: number; summary: EpochSummary; progress: Progress }
  | { type: 'trainEvents'; runId: number; events: TrainEvent[] }
  /** `scoring`: the test set is scored next (a testResult follows, or an error). */
  | { type: 'runEnded'; runId: number; reason: StopReason; epochsCompleted: number; message?: string; scoring?: boolean }
  | { type: 'testResult'; runId: number; loss: number; acc: number; count: number }
  | { type: 'error'; runId: number | null; message: string }
  /** The run saves checkpoints under this id in IndexedDB (storage/checkpoints). */
  | { type: 'checkpointRun'; runId: number; storageRunId: string }
  /**
   * A checkpoint was loaded: 'resume' before training continues from it, 'restore' into the
   * finished run's model. Its history replaces the curves so they continue seamlessly.
   */
  | {
      type: 'restored';
      runId: number;
      mode: 'resume' | 'restore';
      checkpointId: string;
      checkpointName: string;
      epoch: number;
      config: ExperimentConfig;
      history: MetricHistory;
    }
  | { type: 'modelExported'; requestId: number; modelJson: string; weights: ArrayBuffer; params: number; datasetName: string }
  | { type: 'modelLoaded'; requestId: number; runId: number; name: string; config: ExperimentConfig; params: number; notes: string[] }
  | { type: 'modelError'; requestId: number; message: string }
  | { type: 'augmentationPreview'; requestId: number; shape: ImageShape; items: PreviewItem[] }
  | { type: 'augmentationPreviewError'; requestId: number; message: string }
  | { type: 'invariancePoint'; runId: number; point: InvariancePoint }
  /**
   * Per-layer statistics of sampled steps (core/inspect), `layers` naming the rows and `kinds`
   * giving each row's layer class ("Dense", "Conv2D", "BatchNormalization": its row measures gamma).
   */
  | { type: 'layerStats'; runId: number; layers: string[]; kinds: string[]; samples: LayerStatsSample[] }
  /** The first weight layer's weights as pictures, at the run's start and each epoch's end. */
  | { type: 'firstLayer'; runId: number; pictures: FirstLayerPictures }
  | { type: 'invarianceEnded'; runId: number; error?: string }
  /**
   * The wasm thread counts were timed while the page was idle, after a first run on 1 thread
   * (`chosen: 'provisional'`); `current` is the count this worker runs. Where they differ, the
   * page starts the next fresh run in a new worker, which reads the choice (wasm fixes its
   * thread count when it starts).
   */
  | { type: 'threadsMeasured'; report: WasmThreadsReport; current: number }
  | EvaluationFromWorker;

export function assertNever(x: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(x)}`);
}

const TO_WORKER_TYPES = new Set<ToWorker['type']>([
  'setup',
  'warmUp',
  'describeDataset',
  'train',
  'pause',
  'resume',
  'stop',
  'evaluate',
  'restoreCheckpoint',
  'exportModel',
  'loadModel',
  'previewAugmentation',
  'invariance',
  'predict',
  'testImages',
]);

/** Runtime guard for messages arriving at the worker (they come from our own page, but a
 * mismatched cached bundle could send anything). */
export function isToWorker(x: unknown): x is ToWorker {
  return typeof x === 'object' && x !== null && TO_WORKER_TYPES.has((x as { type: ToWorker['type'] }).type);
}
