/**
 * The training worker's work: a thin layer that turns messages into core calls and callback
 * events into messages. All training logic lives in core/; backend choice in ./backend. Loaded
 * by the worker entry (./training.worker.ts) once tfjs is in; messages that came before wait.
 */
import {
  createExperiment,
  experimentProblems,
  disposeExperiment,
  epochCounts,
  runExperiment,
  type Experiment,
} from '../core/experiment';
import type { BatchLog, Callback } from '../core/callbacks/types';
import { assertNever, isToWorker, type Progress, type RunPhase } from '../protocol/messages';
import { analyzeModel } from '../core/model/analyze';
import type { ModelFacts } from '../core/model/cost';
import { STAGE_TEXT, type PrepStage } from '../core/training/stages';
import { selectBackend, threadsToTimePending, timeThreadsWhenIdle, warmUpWasm, type ProbeModel } from './backend';
import { RunControl } from '../core/training/runControl';
import { dataKey, prepareData, type PreparedData } from '../core/training/prepare';
import { PreparedAhead } from './preparedAhead';
import type { ExperimentConfig } from '../core/training/config';
import { defaultConfig } from '../core/training/defaults';
import { loadForResume, startCheckpointing, type LoadedCheckpoint } from './checkpointing';
import { restoreSnapshot } from '../core/checkpoint/capture';
import type { StopReason, TrainEvent } from '../core/callbacks/types';
import { carryRefusal, continueFrom, exportFiles, loadFiles, takeWeights } from './models';
import type { LoadModelRequest } from '../protocol/messages';
import { experimentInvariance, previewAugmentation } from '../core/augment/experiment';
import { ensurePreviewBackend } from './previewBackend';
import { describe, getDataset, post } from './datasets';
import { inspector } from './inspect';
import { evaluateTestSet, postPrediction, postTestImages } from './evaluation';

interface Run {
  id: number;
  control: RunControl;
  exp: Experiment | null;
  busy: boolean;
  /** Settles when the run's training and evaluation are over. */
  finished: Promise<void>;
}
let current: Run | null = null;
/** The page's `setup`: wasm threads asked for in the address, else measured. */
let setup: { wasmThreads?: number } = {};
/** Settles when the invariance sweep in progress (if any) is over; a new run waits for it. */
let sweeping: Promise<unknown> = Promise.resolve();

/**
 * The wasm thread counts, timed while no run trains after a first run on 1 thread (see
 * backend's `timeThreadsWhenIdle`): a run that starts ends the timing at once and waits for it.
 */
let threadTiming: { abort: AbortController; settled: Promise<void> } | null = null;
/** How long after a run the counts are timed: the page has drawn the run's end by then. */
const THREAD_TIMING_DELAY_MS = 1500;

function timeThreadsAfter(model: ProbeModel): void {
  if (!threadsToTimePending() || threadTiming) return;
  const abort = new AbortController();
  const settled = new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      timeThreadsWhenIdle(model, abort.signal)
        .then((report) => report && post({ type: 'threadsMeasured', report, current: 1 })) // a provisional decision is 1 thread
        .catch(() => {}) // nothing measured: the counts are timed after the next run
        .finally(() => {
          if (threadTiming?.abort === abort) threadTiming = null;
          resolve();
        });
    }, THREAD_TIMING_DELAY_MS);
    abort.signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  threadTiming = { abort, settled };
}

/** Ends the thread timing in progress (if any), so that a run has the cores to itself. */
async function endThreadTiming(): Promise<void> {
  const t = threadTiming;
  threadTiming = null;
  if (!t) return;
  t.abort.abort();
  await t.settled;
}

/** The data tensors made before the first run for the page's settings (see `warmUp`). */
const preparedAhead = new PreparedAhead<PreparedData>();

/**
 * Starts, before the first Train, what that run would start first: wasm (for the choices
 * that use it) and then, on wasm, its data tensors, which the first run takes if its data
 * settings are the same. Once per worker, and not once a run has begun.
 */
function warmUp(config: ExperimentConfig): void {
  if (current) return;
  // The chapter's default model stands for any: the warm-up never times thread counts.
  const d = defaultConfig();
  const started = warmUpWasm(config.backend, { spec: d.model, inputShape: [28, 28, 1], numClasses: 10, batchSize: d.batchSize }, {
    batchSize: d.batchSize,
    wasmThreads: setup.wasmThreads,
  });
  if (config.crossValidation) return;
  preparedAhead.start(dataKey(config), async (stillWanted) => {
    if (!(await started)) return null;
    const dataset = await getDataset(config.datasetId);
    // Not for settings that cannot train, nor when the run that came wants other data.
    if (!stillWanted() || experimentProblems(config, dataset).length > 0) return null;
    return prepareData(dataset, config);
  });
}

/** Batches logs into one message per burst and tracks the training rate. */
function reporter(runId: number, epochs: number, batchesPerEpoch: number, totalSamples: number, control: RunControl): Callback {
  let outbox: BatchLog[] = [];
  let scheduled = false;
  let epoch = 0;
  let batch = 0;
  let samplesDone = 0;
  const window: { t: number; samples: number }[] = [];
  const progress = (): Progress => {
    const t = control.activeMs();
    window.push({ t, samples: samplesDone });
    while (window.length > 2 && t - window[0]!.t > 3000) window.shift();
    const first = window[0]!;
    const rate = t > first.t ? ((samplesDone - first.samples) * 1000) / (t - first.t) : 0;
    const left = totalSamples - samplesDone;
    return {
      epoch,
      epochs,
      batch,
      batchesPerEpoch,
      samplesPerSec: rate,
      secondsLeft: rate > 0 ? left / rate : null,
    };
  };
  const send = () => {
    scheduled = false;
    if (outbox.length === 0) return;
    post({ type: 'batches', runId, points: outbox, progress: progress() });
    outbox = [];
  };
  return {
    onBatchEnd(log, ctx) {
      batchesPerEpoch = ctx.batchesPerEpoch; // varies by one between folds in cross-validation
      epoch = log.epoch;
      batch = log.batch + 1;
      samplesDone += log.size;
      outbox.push(log);
      if (!scheduled) {
        scheduled = true;
        setTimeout(send, 0);
      }
    },
    onEpochEnd(summary) {
      send();
      epoch = summary.epoch + 1;
      batch = 0;
      post({ type: 'epochEnd', runId, summary, progress: progress() });
    },
  };
}

async function startRun(
  runId: number,
  config: Parameters<typeof createExperiment>[0],
  opts: { resumeFrom?: string; initialWeights?: 'current' } = {},
) {
  const { resumeFrom, initialWeights } = opts;
  const previous = current;
  let finish = () => {};
  const run: Run = { id: runId, control: new RunControl(), exp: null, busy: true, finished: new Promise((r) => (finish = r)) };
  current = run;
  let carried: Awaited<ReturnType<typeof takeWeights>> = null;
  await endThreadTiming();
  if (previous) {
    previous.control.stop();
    await previous.finished;
    await sweeping;
    if (initialWeights === 'current') carried = await takeWeights(previous.exp);
    if (previous.exp) disposeExperiment(previous.exp);
  }
  let finishCheckpoints = async (_reason: StopReason) => {};
  // Each stage before the first batch is named, so the page can time it against its limit
  // and explain one that runs too long (with the model's figures, once the dataset is known).
  let facts: ModelFacts | undefined;
  let probeModel: ProbeModel | null = null;
  let at: PrepStage = 'dataset';
  const stage = (s: PrepStage, phase: RunPhase = 'preparing') => {
    at = s;
    post({ type: 'phase', runId, phase, ...(phase === 'preparing' && { detail: STAGE_TEXT[s].doing }), stage: s, ...(facts && { model: facts }) });
  };
  // A Stop between stages is answered at once; one inside a stage that cannot be interrupted
  // is the page's to handle (it restarts this worker).
  const stopRequested = () => run.control.isStopRequested();
  const endStopped = () =>
    post({
      type: 'runEnded',
      runId,
      reason: 'stopped',
      epochsCompleted: 0,
      message: `Stopped during "${STAGE_TEXT[at].doing}", before training began. Your layers and settings are kept.`,
    });
  try {
    let resume: LoadedCheckpoint | null = null;
    if (resumeFrom) {
      stage('checkpoint');
      resume = await loadForResume(resumeFrom);
      config = resume.snapshot.config; // the checkpoint's settings, so the run continues as it was
      if (stopRequested()) return endStopped();
    }
    stage('dataset');
    const dataset = await getDataset(config.datasetId);
    if (stopRequested()) return endStopped();
    facts = analyzeModel(config.model, dataset.shape, dataset.classNames.length).facts;
    probeModel = { spec: config.model, inputShape: dataset.shape, numClasses: dataset.classNames.length, batchSize: config.batchSize };
    stage('backend');
    const report = await selectBackend(config.backend, config.model, dataset.shape, dataset.classNames.length, {
      batchSize: config.batchSize,
      wasmThreads: setup.wasmThreads,
    });
    post({ type: 'backend', runId, report });
    if (stopRequested()) return endStopped();
    stage('upload');
    let ready = await preparedAhead.take(config.crossValidation ? null : dataKey(config), report.backend === 'wasm');
    // Made here rather than inside createExperiment, so the upload and the build are timed apart.
    if (!ready && !config.crossValidation && experimentProblems(config, dataset).length === 0) ready = prepareData(dataset, config);
    if (stopRequested()) {
      ready?.dispose();
      return endStopped();
    }
    stage('build');
    let exp: Experiment;
    try {
      exp = createExperiment(config, dataset, ready);
    } catch (err) {
      ready?.dispose(); // never became the experiment's (disposing twice does no harm)
      throw err;
    }
    run.exp = exp;
    if (stopRequested()) return endStopped();
    let stoppedEarly = false;
    const emit = (event: TrainEvent) => {
      if (event.kind === 'earlyStop') stoppedEarly = true;
      post({ type: 'trainEvents', runId, events: [event] });
    };
    if (resume) {
      await restoreSnapshot(exp.model, exp.optimizer, resume.snapshot);
      post({
        type: 'restored',
        runId,
        mode: 'resume',
        checkpointId: resume.record.id,
        checkpointName: resume.record.name,
        epoch: resume.record.epoch,
        config,
        history: resume.snapshot.history,
      });
      emit({
        kind: 'resumed',
        epoch: resume.record.epoch,
        message: `Resumed from checkpoint ${resume.record.name}: training continues at epoch ${resume.record.epoch + 1}.`,
      });
    }
    const checkpointing = await startCheckpointing({ config, resume, emit });
    finishCheckpoints = checkpointing.finish;
    if (checkpointing.storageRunId) post({ type: 'checkpointRun', runId, storageRunId: checkpointing.storageRunId });
    if (initialWeights === 'current') continueFrom(carried, exp);
    const startEpoch = resume?.snapshot.resume.epoch ?? 0;
    const { trainCount, validationCount, batchesPerEpoch } = epochCounts(exp);
    post({ type: 'runStarted', runId, trainCount, validationCount, batchesPerEpoch });
    stage('firstStep', 'training'); // until its first batch is reported
    const result = await runExperiment(exp, {
      control: run.control,
      flushIntervalMs: readBackInterval(report.backend),
      onEvent: emit,
      callbacks: [
        reporter(
          runId,
          config.epochs,
          batchesPerEpoch,
          Math.min(trainCount, batchesPerEpoch * config.batchSize) * (config.epochs - startEpoch),
          run.control,
        ),
        inspector(runId, dataset.shape),
        ...(checkpointing.callback ? [checkpointing.callback] : []), // last: it saves the others' states
      ],
      resume: resume?.snapshot.resume,
    });
    await finishCheckpoints(result.reason);
    // Only a finished run is scored at once; after Stop the learner can ask for it.
    // An early stop is a finished run too; a run stopped by the learner or the NaN guard is not.
    // runEnded says so, so the page goes straight from training to scoring: never a moment
    // "finished" without the test result that is about to come (a lesson's verdict read it).
    const scoring = (result.reason === 'completed' || (result.reason === 'callback' && stoppedEarly)) && run.exp !== null;
    post({ type: 'runEnded', runId, reason: result.reason, epochsCompleted: result.epochsCompleted, message: result.message, scoring });
    if (scoring) await runEvaluation(run);
  } catch (err) {
    post({ type: 'error', runId, message: explain(err) });
    post({ type: 'runEnded', runId, reason: 'error', epochsCompleted: 0 });
    await finishCheckpoints('error');
  } finally {
    run.busy = false;
    finish();
    // A first visit's first run trained on 1 thread: now the counts are timed, on its model.
    if (current === run && probeModel) timeThreadsAfter(probeModel);
  }
}

/**
 * How often batch losses are read back, ms. On a GPU every read waits for the device; at
 * 200 ms the MLP at batch 128 on WebGL ran at 0.80-0.91 of a bare model.fit (npm run
 * bench), at 1 s at 0.89-1.05 (runs vary about 10% here). On CPU backends reads are free.
 */
function readBackInterval(backend: string): number {
  return backend === 'webgl' || backend === 'webgpu' ? 1000 : 200;
}

async function runEvaluation(run: Run) {
  if (!run.exp) return;
  post({ type: 'phase', runId: run.id, phase: 'evaluating' });
  // Loss, accuracy and every test image's probabilities (the evaluation view) in one pass;
  // the probabilities are posted first, so the view is filled when the phase ends.
  const r = await evaluateTestSet(run.id, run.exp);
  post({ type: 'testResult', runId: run.id, ...r });
}

/** Turns a low-level failure into words a learner can act on. */
function explain(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/context.*lost|device.*lost|CONTEXT_LOST/i.test(msg)) {
    return `The GPU stopped responding (${msg}). Your settings are kept: choose the wasm or cpu backend and train again.`;
  }
  if (/out of memory|OOM|allocation/i.test(msg)) {
    return `The device ran out of memory (${msg}). Lower the batch size, the number of training examples, or the model size, then train again.`;
  }
  return msg;
}

/** Handles one message from the page. */
export async function handle(msg: unknown) {
  if (!isToWorker(msg)) return;
  switch (msg.type) {
    case 'setup':
      setup = { wasmThreads: msg.wasmThreads };
      return;
    case 'warmUp':
      return warmUp(msg.config);
    case 'describeDataset':
      return describe(msg.datasetId, msg.requestId); // normally answered by the entry
    case 'train': {
      // Train further with other layers: refuse before the current model is replaced.
      const problem = msg.initialWeights === 'current' ? carryRefusal(current, msg.config) : null;
      if (problem) {
        if (current && !current.busy) current.id = msg.runId; // the model stays current, under the new id
        post({ type: 'error', runId: msg.runId, message: problem });
        return post({ type: 'runEnded', runId: msg.runId, reason: 'error', epochsCompleted: 0 });
      }
      return startRun(msg.runId, msg.config, { resumeFrom: msg.resumeFrom, initialWeights: msg.initialWeights });
    }
    case 'restoreCheckpoint':
      if (current?.id === msg.runId && current.exp && !current.busy) {
        current.busy = true;
        try {
          const loaded = await loadForResume(msg.checkpointId);
          await restoreSnapshot(current.exp.model, current.exp.optimizer, loaded.snapshot);
          post({
            type: 'restored',
            runId: msg.runId,
            mode: 'restore',
            checkpointId: loaded.record.id,
            checkpointName: loaded.record.name,
            epoch: loaded.record.epoch,
            config: loaded.snapshot.config,
            history: loaded.snapshot.history,
          });
          post({
            type: 'trainEvents',
            runId: msg.runId,
            events: [{ kind: 'resumed', epoch: loaded.record.epoch, message: `The weights of checkpoint ${loaded.record.name} (epoch ${loaded.record.epoch}) are loaded: evaluate the model, or resume training from it.` }],
          });
        } catch (err) {
          post({ type: 'error', runId: msg.runId, message: explain(err) });
        } finally {
          current.busy = false;
        }
      }
      return;
    case 'pause':
      if (current?.id === msg.runId && current.busy) {
        current.control.pause();
        post({ type: 'phase', runId: msg.runId, phase: 'paused' });
      }
      return;
    case 'resume':
      if (current?.id === msg.runId && current.busy) {
        current.control.resume();
        post({ type: 'phase', runId: msg.runId, phase: 'training' });
      }
      return;
    case 'stop':
      if (current?.id === msg.runId) current.control.stop();
      return;
    case 'evaluate':
      if (current?.id === msg.runId && current.exp && !current.busy) {
        current.busy = true;
        try {
          await runEvaluation(current);
        } catch (err) {
          post({ type: 'error', runId: msg.runId, message: explain(err) });
        } finally {
          current.busy = false;
        }
      }
      return;
    case 'exportModel':
      try {
        const exp = current?.id === msg.runId && !current.busy ? current.exp : null;
        if (!exp) throw new Error('There is no finished model to save yet: train one (or wait until training ends), then save it.');
        const files = await exportFiles(exp);
        post({ type: 'modelExported', requestId: msg.requestId, ...files }, [files.weights]);
      } catch (err) {
        post({ type: 'modelError', requestId: msg.requestId, message: explain(err) });
      }
      return;
    case 'loadModel':
      return loadModel(msg);
    case 'predict':
      return postPrediction(msg, current);
    case 'testImages':
      return postTestImages(msg, current);
    case 'previewAugmentation': {
      try {
        const dataset = await getDataset(msg.datasetId);
        await ensurePreviewBackend();
        const items = previewAugmentation(dataset, msg.augmentation, { seed: msg.seed, round: msg.round });
        const buffers = items.flatMap((i) => [i.original.buffer, ...i.versions.map((v) => v.pixels.buffer)]) as ArrayBuffer[];
        post({ type: 'augmentationPreview', requestId: msg.requestId, shape: dataset.shape, items }, buffers);
      } catch (err) {
        post({ type: 'augmentationPreviewError', requestId: msg.requestId, message: explain(err) });
      }
      return;
    }
    case 'invariance': {
      const run = current;
      if (run?.id !== msg.runId || !run.exp || run.busy) {
        post({ type: 'invarianceEnded', runId: msg.runId, error: 'There is no trained model to evaluate yet, or it is still busy: train first, then run the sweep.' });
        return;
      }
      run.busy = true;
      try {
        const sweep = experimentInvariance(run.exp, {
          onPoint: (point) => post({ type: 'invariancePoint', runId: msg.runId, point }),
          shouldStop: () => current !== run,
        });
        sweeping = sweep.catch(() => {});
        await sweep;
        post({ type: 'invarianceEnded', runId: msg.runId });
      } catch (err) {
        post({ type: 'invarianceEnded', runId: msg.runId, error: explain(err) });
      } finally {
        run.busy = false;
      }
      return;
    }
    default:
      assertNever(msg);
  }
}

/** Loads files as the current model; a failed load leaves the current model and run as they were. */
async function loadModel(msg: LoadModelRequest) {
  void preparedAhead.take(null); // a loaded model makes its own data: free what was made ahead
  const before = current;
  if (before?.busy) {
    return post({ type: 'modelError', requestId: msg.requestId, message: 'A run is in progress: stop it before loading a model.' });
  }
  try {
    const loaded = await loadFiles(msg, getDataset, { wasmThreads: setup.wasmThreads });
    if (current !== before) {
      disposeExperiment(loaded.exp); // a run started meanwhile: it wins
      throw new Error('A run started while the model was loading, so the model was not loaded. Load it again after the run.');
    }
    current = { id: msg.runId, control: new RunControl(), exp: loaded.exp, busy: false, finished: Promise.resolve() };
    if (before?.exp) disposeExperiment(before.exp);
    const { config, notes, params } = loaded;
    post({ type: 'modelLoaded', requestId: msg.requestId, runId: msg.runId, name: msg.name, config, notes, params });
  } catch (err) {
    post({ type: 'modelError', requestId: msg.requestId, message: explain(err) });
  }
}
