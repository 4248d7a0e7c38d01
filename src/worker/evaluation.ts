/**
 * The worker's side of the evaluation view: every test image's probabilities after a test
 * evaluation, test images' pixels for the gallery, and predictions for drawings. Thin: the
 * work is in core/evaluation.
 */
import type { Experiment } from '../core/experiment';
import { evaluateWithProbabilities, predictOne } from '../core/evaluation/predict';
import { prepareDrawing } from '../core/evaluation/drawing';
import { preprocess } from '../core/data/preprocess';
import { prepareTest } from '../core/training/prepare';
import type { PredictRequest, TestImagesRequest, TestPredictionsMessage } from '../protocol/evaluationMessages';
import type { Post } from './sessionDeps';

/** The model the worker holds now, as the session (./session.ts) sees it. */
export interface CurrentModel {
  id: number;
  exp: Experiment | null;
  busy: boolean;
}

/**
 * The test evaluation: loss, accuracy and every test image's probabilities in one pass over
 * the test tensors (made once per run, `exp.test`), in batches. Posts the probabilities with
 * the true labels (`testPredictions`) and returns loss and accuracy for `testResult`.
 */
export async function evaluateTestSet(runId: number, exp: Experiment, post: Post): Promise<{ loss: number; acc: number; count: number }> {
  const startedAt = performance.now();
  exp.test ??= prepareTest(exp.dataset, exp.config, exp.data.stats);
  const { probs, ...result } = await evaluateWithProbabilities(exp.model, exp.test, exp.config.loss, 1000);
  const labels = Int32Array.from(exp.dataset.test.labels.subarray(0, exp.test.count)); // a copy: the dataset keeps its own
  const msg: TestPredictionsMessage = {
    type: 'testPredictions',
    runId,
    datasetId: exp.dataset.id,
    datasetName: exp.dataset.name,
    classNames: exp.dataset.classNames,
    shape: exp.dataset.shape,
    labels,
    probs,
    ms: performance.now() - startedAt,
  };
  post(msg, [probs.buffer as ArrayBuffer, labels.buffer as ArrayBuffer]);
  return result;
}

/** Answers a `testImages` request with the pixels of those test images of the current run's dataset. */
export function postTestImages(msg: TestImagesRequest, current: CurrentModel | null, post: Post): void {
  const exp = current?.id === msg.runId ? current.exp : null;
  if (!exp) {
    post({ type: 'testImages', requestId: msg.requestId, error: 'These results belong to a model the worker no longer holds: evaluate the current model again.' });
    return;
  }
  const [h, w, c] = exp.dataset.shape;
  const size = h * w * c;
  const { images, count } = exp.dataset.test;
  const pixels = new Uint8Array(msg.indices.length * size);
  for (let k = 0; k < msg.indices.length; k++) {
    const i = msg.indices[k]!;
    if (i < 0 || i >= count) {
      post({ type: 'testImages', requestId: msg.requestId, error: `There is no test image ${i}: the test set has ${count}.` });
      return;
    }
    pixels.set(images.subarray(i * size, (i + 1) * size), k * size);
  }
  post({ type: 'testImages', requestId: msg.requestId, shape: exp.dataset.shape, pixels }, [pixels.buffer as ArrayBuffer]);
}

/** Answers a `predict` request: the drawing made like the dataset's images, then the model's probabilities. */
export async function postPrediction(msg: PredictRequest, current: CurrentModel | null, post: Post): Promise<void> {
  const fail = (error: string) => post({ type: 'prediction', requestId: msg.requestId, error });
  const exp = current?.exp;
  if (!exp) return fail('There is no model yet: train one (or load one), then draw again.');
  if (current.busy) return fail('The model is busy training or being evaluated: it reads your drawing once that is over.');
  try {
    const { shape, classNames } = exp.dataset;
    const drawing = prepareDrawing(msg.image, shape);
    const [h, w, c] = shape;
    const inputs = preprocess(drawing.pixels, h * w * c, Int32Array.of(0), exp.config.preprocessing, exp.data.stats);
    const probs = await predictOne(exp.model, inputs, shape);
    const input = drawing.pixels;
    post(
      { type: 'prediction', requestId: msg.requestId, result: { probs, classNames, input, shape, empty: drawing.empty } },
      [probs.buffer as ArrayBuffer, input.buffer as ArrayBuffer],
    );
  } catch (err) {
    fail(`The model could not read this image: ${err instanceof Error ? err.message : String(err)}`);
  }
}
