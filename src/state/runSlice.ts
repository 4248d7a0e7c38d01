import type { BackendReport, Progress, WasmThreadsReport } from '../protocol/messages';
import type { ClientEvent } from '../client/trainingClient';
import type { StopReason } from '../core/callbacks/types';
import { assertNever } from '../protocol/messages';
import type { AppState, SliceCreator } from './store';
import { freshRunPatch } from './freshRun';
import type { EpochPoint } from './metricsSlice';
import { reduceAugment } from './augmentSlice';
import { reduceLayers } from './layersSlice';
import { reduceEvaluation } from './evaluationSlice';

export type RunStatus =
  | 'idle'
  | 'preparing'
  | 'training'
  | 'paused'
  | 'evaluating'
  | 'finished'
  | 'stopped'
  | 'error';

export interface TestResult {
  loss: number;
  acc: number;
  count: number;
}

/** The run in progress (or the last one): phase, backend, progress, messages, test result. */
export interface RunSlice {
  status: RunStatus;
  statusDetail: string | null;
  backend: BackendReport | null;
  /** The wasm thread counts timed after a first run on 1 thread (the next run uses the choice). */
  threadsMeasured: WasmThreadsReport | null;
  progress: Progress | null;
  split: { trainCount: number; validationCount: number } | null;
  /** A sentence for the learner: why the run stopped or failed. */
  runMessage: string | null;
  testResult: TestResult | null;
  /** True once a run has produced a model that can be evaluated. */
  hasModel: boolean;
  /** How the last run ended, restored after an on-demand evaluation. */
  endedAs: RunStatus | null;
  /** The client's id of the run last started (a new one with every Train or Resume), or null. */
  runId: number | null;
  train(): void;
  pause(): void;
  resume(): void;
  stop(): void;
  evaluate(): void;
  /** Applies worker events, several at a time (the app batches them per animation frame). */
  applyEvents(events: ClientEvent[]): void;
}

const END_STATUS: Record<StopReason, RunStatus> = {
  completed: 'finished',
  stopped: 'stopped',
  callback: 'stopped',
  error: 'error',
};

function reduce(s: AppState, e: ClientEvent, patch: Partial<AppState>): void {
  const get = <K extends keyof AppState>(k: K): AppState[K] => (k in patch ? (patch[k] as AppState[K]) : s[k]);
  reduceAugment(s, e, patch);
  reduceLayers(s, e, patch);
  reduceEvaluation(s, e, patch);
  switch (e.type) {
    case 'augmentationPreview':
    case 'augmentationPreviewError':
    case 'invariancePoint':
    case 'invarianceEnded':
    case 'layerStats':
    case 'firstLayer':
    case 'testPredictions':
    case 'prediction':
    case 'testImages':
      return;
    case 'ready':
    case 'lifeLock':
    case 'datasetInfo':
    case 'datasetError':
    case 'modelExported':
    case 'modelLoaded':
    case 'modelError':
      return;
    case 'phase':
      patch.status = e.phase;
      patch.statusDetail = e.detail ?? null;
      return;
    case 'backend':
      patch.backend = e.report;
      patch.threadsMeasured = null; // this run's report says what it runs on now
      return;
    case 'threadsMeasured':
      patch.threadsMeasured = e.report;
      return;
    case 'runStarted':
      patch.split = { trainCount: e.trainCount, validationCount: e.validationCount };
      patch.hasModel = true;
      return;
    case 'batches': {
      // Appended in place: copying the whole list on every frame made a long run at batch
      // size 1 quadratic (600,000 points for 10 epochs of MNIST). `batchCount` tells readers.
      const points = get('batchPoints');
      for (const p of e.points) points.push(p);
      patch.batchCount = points.length;
      patch.progress = e.progress;
      return;
    }
    case 'epochEnd': {
      const point: EpochPoint = {
        epoch: e.summary.epoch + 1,
        ...e.summary.logs,
        samplesPerSec: (e.summary.samples * 1000) / Math.max(1, e.summary.trainMs),
      };
      patch.epochPoints = [...get('epochPoints'), point];
      patch.progress = e.progress;
      return;
    }
    case 'trainEvents':
      patch.events = [...get('events'), ...e.events];
      return;
    case 'runEnded':
      patch.status = e.scoring ? 'evaluating' : END_STATUS[e.reason];
      patch.endedAs = END_STATUS[e.reason];
      patch.statusDetail = null;
      if (e.message) patch.runMessage = e.message;
      else if (e.reason === 'stopped' && !get('runMessage')) {
        patch.runMessage = `Stopped after ${e.epochsCompleted} complete epoch${e.epochsCompleted === 1 ? '' : 's'}; the model and its curves are kept.`;
      }
      return;
    case 'testResult':
      patch.testResult = { loss: e.loss, acc: e.acc, count: e.count };
      if (get('status') === 'evaluating') patch.status = get('endedAs') ?? 'finished';
      return;
    case 'error':
      patch.status = 'error';
      patch.runMessage = e.message;
      return;
    case 'checkpointRun':
      patch.checkpointRunId = e.storageRunId;
      return;
    case 'restored':
      // The checkpoint's history replaces the curves, so a resumed run continues them.
      patch.config = e.config;
      patch.epochPoints = e.history.epochs.map((h) => ({
        epoch: h.epoch + 1,
        ...h.logs,
        samplesPerSec: (h.samples * 1000) / Math.max(1, h.trainMs),
      }));
      // A copy: the run appends to this list in place.
      patch.batchPoints = [...e.history.batches];
      patch.batchCount = e.history.batches.length;
      patch.checkpointMessage = null;
      if (e.mode === 'restore') patch.runMessage = `Checkpoint ${e.checkpointName} (epoch ${e.epoch}) is loaded into the model.`;
      return;
    case 'workerCrashed':
      patch.status = 'error';
      patch.runMessage = e.message;
      patch.hasModel = false;
      return;
    case 'workerRestarted': {
      // The client ended a run that had not trained yet (Stop not answered, or a stage past
      // its limit): the page is usable at once, and the fresh worker holds no model.
      const status: RunStatus = e.cause === 'stop' ? 'stopped' : 'error';
      patch.status = status;
      patch.endedAs = status;
      patch.statusDetail = null;
      patch.runMessage = e.message;
      patch.hasModel = false;
      return;
    }
    default:
      assertNever(e);
  }
}

export const createRunSlice: SliceCreator<RunSlice> = (set, get, client) => ({
  status: 'idle',
  statusDetail: null,
  backend: null,
  threadsMeasured: null,
  progress: null,
  split: null,
  runMessage: null,
  testResult: null,
  hasModel: false,
  endedAs: null,
  runId: null,
  train() {
    set({
      ...freshRunPatch(),
      status: 'preparing',
      statusDetail: 'Starting',
      // Train further keeps the model if the worker refuses the run (e.g. other layers).
      hasModel: get().continueTraining && get().hasModel,
    });
    // "Train further" (Models panel): start from the current model's weights.
    const runId = client.train(get().config, get().continueTraining ? { initialWeights: 'current' } : {});
    set({ runId });
  },
  pause: () => client.pause(),
  resume: () => client.resume(),
  stop: () => client.stop(),
  evaluate() {
    set({ status: 'evaluating', statusDetail: null });
    client.evaluate();
  },
  applyEvents(events) {
    const s = get();
    const patch: Partial<AppState> = {};
    for (const e of events) reduce(s, e, patch);
    if (Object.keys(patch).length > 0) set(patch);
    get().noteRunEvents(events); // the Runs list records a run that ended
    // A worker that died mid-run left its stored run 'running': offer to resume its checkpoint.
    if (events.some((e) => e.type === 'workerCrashed')) setTimeout(() => void get().checkInterrupted(), 100);
  },
});
