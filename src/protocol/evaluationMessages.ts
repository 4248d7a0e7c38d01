/**
 * Messages of the evaluation view (confusion matrix, gallery, "Try it"), joined into the
 * unions of ./messages.ts. Only numbers, strings and typed arrays cross.
 */
import type { ImageShape } from '../core/data/types';

// ---- UI -> worker ----------------------------------------------------------------------

/**
 * Class probabilities of the current model for one drawing or photo. The worker prepares it
 * as the model's dataset was made (core/evaluation/drawing) and applies the run's preprocessing.
 */
export interface PredictRequest {
  type: 'predict';
  requestId: number;
  /** RGBA pixels of any size (an ImageData's). */
  image: { width: number; height: number; data: Uint8ClampedArray };
}

/** The pixels of test images `indices` of run `runId`'s dataset (for the gallery). */
export interface TestImagesRequest {
  type: 'testImages';
  requestId: number;
  runId: number;
  indices: Int32Array;
}

// ---- worker -> UI ----------------------------------------------------------------------

/**
 * Every test image's class probabilities, sent after each test evaluation (after training,
 * or on demand) right after `testResult`.
 */
export interface TestPredictionsMessage {
  type: 'testPredictions';
  runId: number;
  datasetId: string;
  datasetName: string;
  classNames: string[];
  shape: ImageShape;
  /** True class per test image. */
  labels: Int32Array;
  /** count × classNames.length probabilities, row-major. */
  probs: Float32Array;
  /** Time in the worker for the whole test evaluation (loss, accuracy and probabilities), ms. */
  ms: number;
}

/** What the model makes of one drawing. */
export interface DrawingPrediction {
  probs: Float32Array;
  classNames: string[];
  /** The image as the model saw it (before scaling), in the dataset's layout. */
  input: Uint8Array;
  shape: ImageShape;
  /** No ink was found: the probabilities are for a blank image. */
  empty: boolean;
}

/** The reply to a `predict` request: a prediction, or why there is none (for a learner). */
export interface PredictionMessage {
  type: 'prediction';
  requestId: number;
  result?: DrawingPrediction;
  error?: string;
}

/** The reply to a `testImages` request: HWC uint8 pixels, image after image in request order. */
export interface TestImagesMessage {
  type: 'testImages';
  requestId: number;
  shape?: ImageShape;
  pixels?: Uint8Array;
  error?: string;
}

export type EvaluationToWorker = PredictRequest | TestImagesRequest;
export type EvaluationFromWorker = TestPredictionsMessage | PredictionMessage | TestImagesMessage;
