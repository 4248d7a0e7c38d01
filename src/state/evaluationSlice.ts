/**
 * The evaluation view's state: every test image's prediction after a test evaluation, the
 * confusion matrix and per-class numbers made from them, the gallery of images behind one
 * cell (their pixels fetched from the worker), and "Try it" predictions for drawings.
 */
import type { ClientEvent } from '../client/trainingClient';
import type { ImageShape } from '../core/data/types';
import { confusionMatrix, overallAccuracy, perClassMetrics, type ClassMetrics } from '../core/evaluation/confusion';
import { argmaxRows, cellImages, mostConfidentlyWrong } from '../core/evaluation/predictions';
import type { DrawingPrediction, TestPredictionsMessage } from '../protocol/evaluationMessages';
import type { AppState, SliceCreator } from './store';

/** The test set's predictions and what the view shows of them. Typed arrays indexed by test image. */
export interface EvaluationData {
  runId: number;
  datasetId: string;
  datasetName: string;
  classNames: string[];
  shape: ImageShape;
  count: number;
  labels: Int32Array;
  /** count × classes probabilities, row-major. */
  probs: Float32Array;
  predicted: Int32Array;
  /** Probability of the predicted class. */
  confidence: Float32Array;
  /** classes × classes counts, rows true classes (core/evaluation/confusion). */
  matrix: Int32Array;
  perClass: ClassMetrics[];
  accuracy: number;
  /** The worker's time for the whole evaluation, ms. */
  ms: number;
}

/** Images shown in the gallery ("Misclassified examples"). */
export interface Gallery {
  /** 'wrong': the most confidently wrong; 'cell': one confusion-matrix cell. */
  kind: 'wrong' | 'cell';
  trueClass: number | null;
  predictedClass: number | null;
  /** Test image indices shown, in order. */
  indices: Int32Array;
  /** Images in that cell (or misclassified) in all; `indices` may show fewer. */
  total: number;
  /** Pixels of `indices`, HWC uint8, once fetched. */
  pixels: Uint8Array | null;
  loading: boolean;
  error: string | null;
  /** The evaluation it belongs to. */
  runId: number;
}

export interface TryItState {
  /** 'waiting': a drawing was sent and the reply is due. */
  status: 'idle' | 'waiting' | 'done' | 'error';
  result: DrawingPrediction | null;
  error: string | null;
}

export interface EvaluationSlice {
  evaluation: EvaluationData | null;
  /** How the matrix cells read: counts, or each row as percentages of its true class. */
  matrixMode: 'counts' | 'percent';
  gallery: Gallery | null;
  tryIt: TryItState;
  setMatrixMode(mode: 'counts' | 'percent'): void;
  /** Shows the images of true class `t` predicted as `p`. */
  showCell(t: number, p: number): Promise<void>;
  /** Shows the misclassified images the model was most sure of. */
  showMostConfidentlyWrong(): Promise<void>;
  /**
   * Asks the worker what the model makes of this image (RGBA, any size; its buffer is handed
   * over). One request at a time: one that comes while another is out replaces any waiting.
   */
  predictDrawing(image: { width: number; height: number; data: Uint8ClampedArray }): void;
  /** Forgets the drawing's prediction (the pad was cleared). */
  clearPrediction(): void;
}

/** Images a gallery shows at once: 12 draw in one short task (24 took about 50 ms of one here). */
export const GALLERY_SIZE = 12;

/** The view's data from the worker's `testPredictions` message (cheap: one pass over the arrays). */
export function evaluationFrom(msg: TestPredictionsMessage): EvaluationData {
  const n = msg.classNames.length;
  const { predicted, confidence } = argmaxRows(msg.probs, n);
  const matrix = confusionMatrix(msg.labels, predicted, n);
  return {
    runId: msg.runId,
    datasetId: msg.datasetId,
    datasetName: msg.datasetName,
    classNames: msg.classNames,
    shape: msg.shape,
    count: msg.labels.length,
    labels: msg.labels,
    probs: msg.probs,
    predicted,
    confidence,
    matrix,
    perClass: perClassMetrics(matrix, n),
    accuracy: overallAccuracy(matrix, n),
    ms: msg.ms,
  };
}

/** Applies the worker events this slice owns; called from the run slice's reducer. */
export function reduceEvaluation(_s: AppState, e: ClientEvent, patch: Partial<AppState>): void {
  switch (e.type) {
    case 'testPredictions':
      patch.evaluation = evaluationFrom(e);
      patch.gallery = null; // the view asks for the new model's most confidently wrong
      return;
    case 'runStarted':
    case 'restored':
    case 'workerCrashed':
    case 'workerRestarted':
      // A new model, other weights (a checkpoint), or none: the old results no longer apply.
      patch.evaluation = null;
      patch.gallery = null;
      patch.tryIt = { status: 'idle', result: null, error: null };
      return;
    default:
      return;
  }
}

export const createEvaluationSlice: SliceCreator<EvaluationSlice> = (set, get, client) => {
  let inFlight = false;
  let queued: { width: number; height: number; data: Uint8ClampedArray } | null = null;
  /** Bumped by Clear and new runs' resets, so a late reply does not bring back an old result. */
  let generation = 0;

  async function showImages(g: Omit<Gallery, 'pixels' | 'loading' | 'error'>) {
    set({ gallery: { ...g, pixels: null, loading: g.indices.length > 0, error: null } });
    if (g.indices.length === 0) return;
    try {
      const { pixels } = await client.testImages(g.runId, g.indices);
      if (get().gallery?.indices === g.indices) set({ gallery: { ...get().gallery!, pixels, loading: false } });
    } catch (err) {
      if (get().gallery?.indices === g.indices) set({ gallery: { ...get().gallery!, loading: false, error: (err as Error).message } });
    }
  }

  function send(image: { width: number; height: number; data: Uint8ClampedArray }) {
    inFlight = true;
    const mine = generation;
    client
      .predict(image)
      .then(
        (result) => mine === generation && set({ tryIt: { status: 'done', result, error: null } }),
        (err: Error) => mine === generation && set({ tryIt: { ...get().tryIt, status: 'error', error: err.message } }),
      )
      .finally(() => {
        inFlight = false;
        const next = queued;
        queued = null;
        if (next) send(next);
      });
  }

  return {
    evaluation: null,
    matrixMode: 'counts',
    gallery: null,
    tryIt: { status: 'idle', result: null, error: null },
    setMatrixMode: (matrixMode) => set({ matrixMode }),
    async showCell(t, p) {
      const ev = get().evaluation;
      if (!ev) return;
      const all = cellImages(ev.labels, ev.predicted, ev.confidence, t, p);
      await showImages({ kind: 'cell', trueClass: t, predictedClass: p, indices: all.slice(0, GALLERY_SIZE), total: all.length, runId: ev.runId });
    },
    async showMostConfidentlyWrong() {
      const ev = get().evaluation;
      if (!ev) return;
      const wrong = ev.count - ev.perClass.reduce((a, c) => a + c.correct, 0);
      const indices = mostConfidentlyWrong(ev.labels, ev.predicted, ev.confidence, GALLERY_SIZE);
      await showImages({ kind: 'wrong', trueClass: null, predictedClass: null, indices, total: wrong, runId: ev.runId });
    },
    predictDrawing(image) {
      if (get().tryIt.status !== 'waiting') set({ tryIt: { ...get().tryIt, status: 'waiting' } });
      if (inFlight) queued = image;
      else send(image);
    },
    clearPrediction() {
      generation++;
      queued = null;
      set({ tryIt: { status: 'idle', result: null, error: null } });
    },
  };
};
