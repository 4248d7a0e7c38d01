/**
 * The typed messages between the UI thread and the training worker. Every run-scoped message
 * carries the run id that started it, so the client can drop messages of a stale run.
 * Only numbers, strings and typed arrays cross: never tensors or functions.
 */
import type { ExperimentConfig, BackendName } from '../core/training/config';
import type { BatchLog, EpochSummary, StopReason, TrainEvent } from '../core/callbacks/types';
import type { ImageShape } from '../core/data/types';
import type { AugmentationConfig } from '../core/augment/settings';
import type { PreviewItem } from '../core/augment/experiment';
import type { InvariancePoint } from '../core/augment/sweeps';

export const PROTOCOL_VERSION = 1;

// ---- UI -> worker ----------------------------------------------------------------------

export interface DescribeDatasetRequest { type: 'describeDataset'; requestId: number; datasetId: string }
export interface TrainRequest { type: 'train'; runId: number; config: ExperimentConfig }
export interface PauseRequest { type: 'pause'; runId: number }
export interface ResumeRequest { type: 'resume'; runId: number }
export interface StopRequest { type: 'stop'; runId: number }
/** Evaluate the run's model on the test split (after training, or on demand). */
export interface EvaluateRequest { type: 'evaluate'; runId: number }

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
  | PreviewAugmentationRequest
  | InvarianceRequest
  | DescribeDatasetRequest
  | TrainRequest
  | PauseRequest
  | ResumeRequest
  | StopRequest
  | EvaluateRequest;

// ---- worker -> UI ----------------------------------------------------------------------

/** A few images per class for the sample grid, and the split sizes. */
export interface DatasetInfo {
  id: string;
  name: string;
  shape: ImageShape;
  classNames: string[];
  trainCount: number;
  testCount: number;
  /** Training images per class. */
  classCounts: number[];
  samples: { label: number; pixels: Uint8Array }[];
}

export interface BackendReport {
  backend: BackendName;
  /** Why each backend tried before it was not used. */
  skipped: { backend: BackendName; reason: string }[];
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
  | { type: 'datasetInfo'; requestId: number; info: DatasetInfo }
  | { type: 'datasetError'; requestId: number; message: string }
  | { type: 'phase'; runId: number; phase: RunPhase; detail?: string }
  | { type: 'backend'; runId: number; report: BackendReport }
  | { type: 'runStarted'; runId: number; trainCount: number; validationCount: number; batchesPerEpoch: number }
  | { type: 'batches'; runId: number; points: BatchLog[]; progress: Progress }
  | { type: 'epochEnd'; runId: number; summary: EpochSummary; progress: Progress }
  | { type: 'trainEvents'; runId: number; events: TrainEvent[] }
  | { type: 'runEnded'; runId: number; reason: StopReason; epochsCompleted: number; message?: string }
  | { type: 'testResult'; runId: number; loss: number; acc: number; count: number }
  | { type: 'error'; runId: number | null; message: string }
  | { type: 'augmentationPreview'; requestId: number; shape: ImageShape; items: PreviewItem[] }
  | { type: 'augmentationPreviewError'; requestId: number; message: string }
  | { type: 'invariancePoint'; runId: number; point: InvariancePoint }
  | { type: 'invarianceEnded'; runId: number; error?: string };

export function assertNever(x: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(x)}`);
}

const TO_WORKER_TYPES = new Set<ToWorker['type']>(['describeDataset', 'train', 'pause', 'resume', 'stop', 'evaluate', 'previewAugmentation', 'invariance']);

/** Runtime guard for messages arriving at the worker (they come from our own page, but a
 * mismatched cached bundle could send anything). */
export function isToWorker(x: unknown): x is ToWorker {
  return typeof x === 'object' && x !== null && TO_WORKER_TYPES.has((x as { type: ToWorker['type'] }).type);
}
