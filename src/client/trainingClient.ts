/**
 * Owns the training worker: sends typed requests, hands typed events to subscribers, drops
 * events of stale runs, and replaces a worker that crashed. Never imports state or React.
 */
import type { ExperimentConfig } from '../core/training/config';
import type { DatasetInfo, FromWorker, LoadModelRequest, ToWorker } from '../protocol/messages';
import type { AugmentationConfig } from '../core/augment/augment';
import type { DrawingPrediction, PredictionMessage, TestImagesMessage } from '../protocol/evaluationMessages';
import type { ModelFacts } from '../core/model/cost';
import { STAGE_LIMITS_MS, stageTimeoutMessage, stopRestartMessage, type PrepStage } from '../core/training/stages';

/** The current model's files, as the worker exported them. */
export type ExportedModel = Extract<FromWorker, { type: 'modelExported' }>;
/** What a successful load reports: the new settings, parameter count, notes. */
export type LoadedModel = Extract<FromWorker, { type: 'modelLoaded' }>;
/** A load request without the ids the client adds. */
export type LoadModelOptions = Omit<LoadModelRequest, 'type' | 'requestId' | 'runId'>;
type ModelReply = Extract<FromWorker, { type: 'modelExported' | 'modelLoaded' | 'modelError' }>;

/** What the worker sends back for a preview request. */
export type AugmentationPreview = Extract<FromWorker, { type: 'augmentationPreview' }>;

/**
 * Events the client adds to the worker's own: the worker died and was replaced; or the client
 * ended it itself, because a run before its first batch did not answer Stop at once (`stop`)
 * or ran past a stage's time limit (`stageTimeout`), and started a fresh one.
 */
export type ClientEvent =
  | FromWorker
  | { type: 'workerCrashed'; runId: number | null; message: string }
  | { type: 'workerRestarted'; runId: number; cause: 'stop' | 'stageTimeout'; stage: PrepStage | null; message: string };

/** Time limits and the Stop grace; tests shorten them. Timers are the global ones (fake in tests). */
export interface ClientTiming {
  /**
   * How long a run before its first batch has to answer Stop before its worker is ended and
   * replaced, ms. Between stages the worker answers in a few ms; inside one that cannot be
   * interrupted (a test step or a first step of a huge model) it would not answer for minutes.
   * 500 ms leaves the page time to show the stop within the 1 s a learner waits for.
   */
  stopGraceMs?: number;
  /** Per-stage limits (core/training/stages' STAGE_LIMITS_MS by default). */
  stageLimitsMs?: Partial<Record<PrepStage, number>>;
}

const STOP_GRACE_MS = 500;

/** Added to a restart's message when the run was to train the current model further. */
export const CARRIED_MODEL_LOST =
  'The model you were training further was held by that worker and is gone with it: train anew, or open a saved model or a checkpoint (Models and Checkpoints panels) and train it further.';

/** The active run until its first batch: the stage it is in, its model's figures, its timers. */
interface Preparing {
  runId: number;
  /** Train further: the model it continues lives in the worker, and goes with it. */
  carried: boolean;
  stage: PrepStage | null;
  facts: ModelFacts | null;
  stageTimer?: ReturnType<typeof setTimeout>;
  stopTimer?: ReturnType<typeof setTimeout>;
}

type Listener = (event: ClientEvent) => void;

export class TrainingClient {
  private worker: Worker;
  private listeners = new Set<Listener>();
  private runId = 0;
  private activeRun: number | null = null;
  private nextRequest = 1;
  private pending = new Map<number, { resolve: (i: DatasetInfo) => void; reject: (e: Error) => void }>();
  private modelRequests = new Map<number, { resolve: (m: ModelReply) => void; reject: (e: Error) => void }>();
  private previews = new Map<number, { resolve: (p: AugmentationPreview) => void; reject: (e: Error) => void }>();
  /** `predict` and `testImages` requests waiting for their reply. */
  private evalRequests = new Map<number, { resolve: (m: PredictionMessage | TestImagesMessage) => void; reject: (e: Error) => void }>();

  /**
   * `setup.wasmThreads`: the wasm thread count asked for in the address (`?threads=N`); without
   * it the worker measures which count trains fastest.
   */
  constructor(
    private readonly createWorker: () => Worker,
    private readonly setup: { wasmThreads?: number } = {},
    timing: ClientTiming = {},
  ) {
    this.stopGraceMs = timing.stopGraceMs ?? STOP_GRACE_MS;
    this.stageLimitsMs = { ...STAGE_LIMITS_MS, ...timing.stageLimitsMs };
    this.worker = this.spawn();
  }

  /**
   * The thread counts timed after a first run chose another count than this worker's: wasm
   * fixes its count when it starts, so the next fresh run gets a new worker (which reads the
   * choice from the device's cache). A run that carries the model on keeps this one.
   */
  private threadsChanged = false;

  private readonly stopGraceMs: number;
  private readonly stageLimitsMs: Record<PrepStage, number>;
  /** The active run while it has not reported a batch yet (null once it has, or ended). */
  private preparing: Preparing | null = null;

  /** Ends the wait on the current worker's life lock (before the page ends that worker itself). */
  private stopWatching: () => void = () => {};

  private spawn(): Worker {
    const w = this.createWorker();
    const locks = typeof navigator === 'object' ? navigator.locks : undefined;
    const lockName = locks ? `training-worker-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}` : undefined;
    // First, before any request: a worker that replaces a crashed one gets it too.
    w.postMessage({ type: 'setup', ...this.setup, ...(lockName && { lockName }) } satisfies ToWorker);
    w.onmessage = (e: MessageEvent<FromWorker>) => {
      if (e.data.type === 'lifeLock' && lockName && locks) this.watchLifeLock(w, locks, lockName);
      this.receive(e.data);
    };
    w.onerror = (e) => {
      e.preventDefault?.();
      this.crash(`The training worker stopped with an error: ${e.message || 'unknown error'}.`);
    };
    w.onmessageerror = () => this.crash('The training worker sent a message the page could not read.');
    return w;
  }

  /**
   * Once the worker holds its life lock, ask for the same lock: the browser grants it only when
   * that worker has ended, however it ended (self.close(), killed for memory, crashed).
   */
  private watchLifeLock(w: Worker, locks: LockManager, name: string) {
    const abort = new AbortController();
    this.stopWatching = () => abort.abort();
    locks
      .request(name, { signal: abort.signal }, () => {
        if (this.worker === w) this.crash('The training worker stopped without a word (the browser may have closed it, for example when memory ran out).');
      })
      .catch(() => {}); // aborted: the page ended this worker itself
  }

  private crash(message: string) {
    const runId = this.replaceWorker(message);
    this.emit({
      type: 'workerCrashed',
      runId,
      message: `${message} A fresh worker has been started; your settings are kept, so you can train again.`,
    });
  }

  /**
   * Ends the worker of a run that has not reached its first batch and starts a fresh one: the
   * run could not answer Stop, or a stage ran past its limit. The learner is told why.
   */
  private restart(cause: 'stop' | 'stageTimeout') {
    const prep = this.preparing;
    if (!prep) return;
    const message =
      (cause === 'stop' || prep.stage === null
        ? stopRestartMessage(prep.stage, prep.facts)
        : stageTimeoutMessage(prep.stage, this.stageLimitsMs[prep.stage], prep.facts)) +
      (prep.carried ? ` ${CARRIED_MODEL_LOST}` : '');
    this.replaceWorker('The training worker was restarted.');
    this.emit({ type: 'workerRestarted', runId: prep.runId, cause, stage: prep.stage, message });
  }

  /** Terminates the worker, starts a fresh one, fails every request waiting on the old one; returns the run it had. */
  private replaceWorker(message: string): number | null {
    const runId = this.activeRun;
    this.endPreparing();
    this.stopWatching();
    this.worker.terminate();
    this.worker = this.spawn();
    this.activeRun = null;
    for (const p of this.pending.values()) p.reject(new Error(message));
    this.pending.clear();
    for (const p of this.modelRequests.values()) p.reject(new Error(message));
    this.modelRequests.clear();
    for (const p of this.previews.values()) p.reject(new Error(message));
    this.previews.clear();
    for (const p of this.evalRequests.values()) p.reject(new Error(message));
    this.evalRequests.clear();
    return runId;
  }

  private endPreparing() {
    clearTimeout(this.preparing?.stageTimer);
    clearTimeout(this.preparing?.stopTimer);
    this.preparing = null;
  }

  /** Follows the active run's stages until its first batch: each stage is timed against its limit. */
  private watchStages(msg: FromWorker) {
    const prep = this.preparing;
    if (!prep || !('runId' in msg) || msg.runId !== prep.runId) return;
    if (msg.type === 'phase') {
      if (msg.model) prep.facts = msg.model;
      clearTimeout(prep.stageTimer);
      prep.stageTimer = undefined;
      // A phase without a stage (paused, resumed) waits on the learner, not on a limit.
      if (msg.stage) {
        prep.stage = msg.stage;
        prep.stageTimer = setTimeout(() => this.restart('stageTimeout'), this.stageLimitsMs[msg.stage]);
      }
    } else if (msg.type === 'batches' || msg.type === 'epochEnd' || msg.type === 'runEnded' || msg.type === 'error') {
      this.endPreparing();
    }
  }

  private receive(msg: FromWorker) {
    if (msg.type === 'datasetInfo' || msg.type === 'datasetError') {
      const p = this.pending.get(msg.requestId);
      this.pending.delete(msg.requestId);
      if (msg.type === 'datasetInfo') p?.resolve(msg.info);
      else p?.reject(new Error(msg.message));
      return;
    }
    if (msg.type === 'modelExported' || msg.type === 'modelLoaded' || msg.type === 'modelError') {
      const p = this.modelRequests.get(msg.requestId);
      this.modelRequests.delete(msg.requestId);
      if (msg.type === 'modelError') p?.reject(new Error(msg.message));
      else p?.resolve(msg);
      return;
    }
    if (msg.type === 'augmentationPreview' || msg.type === 'augmentationPreviewError') {
      const p = this.previews.get(msg.requestId);
      this.previews.delete(msg.requestId);
      if (msg.type === 'augmentationPreview') p?.resolve(msg);
      else p?.reject(new Error(msg.message));
      return;
    }
    if (msg.type === 'prediction' || msg.type === 'testImages') {
      const p = this.evalRequests.get(msg.requestId);
      this.evalRequests.delete(msg.requestId);
      if (msg.error !== undefined) p?.reject(new Error(msg.error));
      else p?.resolve(msg);
      return;
    }
    if (msg.type === 'threadsMeasured') this.threadsChanged = msg.report.threads !== msg.current;
    if ('runId' in msg && msg.runId !== null && msg.runId !== this.activeRun) return; // stale run
    this.watchStages(msg);
    this.emit(msg);
  }

  private emit(event: ClientEvent) {
    for (const l of this.listeners) l(event);
  }

  private send(msg: ToWorker) {
    this.worker.postMessage(msg);
  }

  /** Calls `listener` for every event of the current run; returns an unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Lets the worker start, ahead of Train, what a run of `config` starts first (the wasm
   * thread decision, the wasm backend, the data tensors). No reply; harmless to repeat.
   */
  warmUp(config: ExperimentConfig): void {
    this.send({ type: 'warmUp', config });
  }

  /** Loads (or reuses) a dataset in the worker and returns its description and samples. */
  describeDataset(datasetId: string): Promise<DatasetInfo> {
    const requestId = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.send({ type: 'describeDataset', requestId, datasetId });
    });
  }

  /** A few training images of `datasetId` with augmented versions and their parameters. */
  previewAugmentation(datasetId: string, augmentation: AugmentationConfig, seed: number, round: number): Promise<AugmentationPreview> {
    const requestId = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.previews.set(requestId, { resolve, reject });
      this.send({ type: 'previewAugmentation', requestId, datasetId, augmentation, seed, round });
    });
  }

  /** Evaluates the last run's model under shift, rotation and zoom sweeps (points stream back). */
  invariance() {
    if (this.activeRun !== null) this.send({ type: 'invariance', runId: this.activeRun });
  }

  /**
   * Starts a run (stopping any earlier one) and returns its id. `resumeFrom` continues from a
   * stored checkpoint; `initialWeights: 'current'` starts from the current model's weights
   * ("train further").
   */
  train(config: ExperimentConfig, opts: { resumeFrom?: string; initialWeights?: 'current' } = {}): number {
    if (this.threadsChanged && opts.initialWeights !== 'current') {
      this.threadsChanged = false;
      this.replaceWorker('The training worker was restarted to use the thread count measured for this device.');
    }
    const runId = ++this.runId;
    this.activeRun = runId;
    this.endPreparing();
    this.preparing = { runId, carried: opts.initialWeights === 'current', stage: null, facts: null };
    this.send({
      type: 'train',
      runId,
      config,
      ...(opts.resumeFrom ? { resumeFrom: opts.resumeFrom } : {}),
      ...(opts.initialWeights ? { initialWeights: opts.initialWeights } : {}),
    });
    return runId;
  }
  /** Loads a stored checkpoint's weights into the last run's model. */
  restoreCheckpoint(checkpointId: string) {
    if (this.activeRun !== null) this.send({ type: 'restoreCheckpoint', runId: this.activeRun, checkpointId });
  }

  private modelRequest(build: (requestId: number) => ToWorker): Promise<ModelReply> {
    const requestId = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.modelRequests.set(requestId, { resolve, reject });
      this.send(build(requestId));
    });
  }

  /** The current model's model.json and weights.bin; rejects with a learner-facing message. */
  async exportModel(): Promise<ExportedModel> {
    const runId = this.activeRun;
    if (runId === null) throw new Error('There is no model to save yet: train one or load one first.');
    return (await this.modelRequest((requestId) => ({ type: 'exportModel', requestId, runId }))) as ExportedModel;
  }

  /**
   * Loads files as the current model. On success the loaded model is the current run (so
   * Evaluate works on it); on failure the current run stays as it was.
   */
  async loadModel(options: LoadModelOptions): Promise<LoadedModel> {
    const runId = ++this.runId;
    const reply = (await this.modelRequest((requestId) => ({ type: 'loadModel', requestId, runId, ...options }))) as LoadedModel;
    this.activeRun = runId;
    this.endPreparing();
    return reply;
  }

  pause() {
    if (this.activeRun !== null) this.send({ type: 'pause', runId: this.activeRun });
  }
  resume() {
    if (this.activeRun !== null) this.send({ type: 'resume', runId: this.activeRun });
  }
  /**
   * Asks the run to stop. Before its first batch the worker may be inside a step it cannot
   * leave (a test step of a huge model): if it has not answered within the grace, it is
   * replaced by a fresh worker and subscribers get `workerRestarted`.
   */
  stop() {
    if (this.activeRun === null) return;
    this.send({ type: 'stop', runId: this.activeRun });
    const prep = this.preparing;
    if (prep?.runId === this.activeRun && prep.stopTimer === undefined) {
      prep.stopTimer = setTimeout(() => this.restart('stop'), this.stopGraceMs);
    }
  }
  /** Evaluates the last run's model on the test split. */
  evaluate() {
    if (this.activeRun !== null) this.send({ type: 'evaluate', runId: this.activeRun });
  }

  private evalRequest<T extends PredictionMessage | TestImagesMessage>(build: (requestId: number) => ToWorker, transfer: Transferable[] = []): Promise<T> {
    const requestId = this.nextRequest++;
    return new Promise<T>((resolve, reject) => {
      this.evalRequests.set(requestId, { resolve: resolve as (m: PredictionMessage | TestImagesMessage) => void, reject });
      this.worker.postMessage(build(requestId), transfer);
    });
  }

  /**
   * The current model's class probabilities for one drawing or photo (RGBA pixels of any size;
   * the buffer is transferred). Rejects with a learner-facing message.
   */
  async predict(image: { width: number; height: number; data: Uint8ClampedArray }): Promise<DrawingPrediction> {
    const reply = await this.evalRequest<PredictionMessage>((requestId) => ({ type: 'predict', requestId, image }), [image.data.buffer as ArrayBuffer]);
    return reply.result!;
  }

  /** Pixels (HWC uint8, image after image) of test images `indices` of run `runId`'s dataset. */
  async testImages(runId: number, indices: Int32Array): Promise<{ shape: [number, number, number]; pixels: Uint8Array }> {
    const reply = await this.evalRequest<TestImagesMessage>((requestId) => ({ type: 'testImages', requestId, runId, indices }));
    return { shape: reply.shape!, pixels: reply.pixels! };
  }

  dispose() {
    this.endPreparing();
    this.stopWatching();
    this.worker.terminate();
    this.listeners.clear();
  }
}
