/**
 * The training worker's work: a thin layer that turns messages into core calls and callback
 * events into messages. All training logic lives in core/; backend choice in ./backend. One
 * session per worker, made by the worker's entry (./training.worker.ts) once tfjs is in
 * (messages that came before wait), which gives it the way to post, the dataset cache and the
 * backends (./sessionDeps): its tests give it a recorder, a small dataset and the cpu backend.
 *
 * The session holds the current run (the one model the worker keeps; messages of another run
 * id are ignored), its busy flag (one thing at a time uses the model), the page's setup and
 * the data made ahead of the first run.
 */
import {
  createExperiment,
  experimentProblems,
  disposeExperiment,
  epochCounts,
  runExperiment,
  type Experiment,
} from '../core/experiment';
import { assertNever, isToWorker, type RunPhase } from '../protocol/messages';
import { analyzeModel } from '../core/model/analyze';
import type { ModelFacts } from '../core/model/cost';
import { STAGE_TEXT, type PrepStage } from '../core/training/stages';
import type { ProbeModel } from './backend';
import { RunControl } from '../core/training/runControl';
import { dataKey, prepareData, type PreparedData } from '../core/training/prepare';
import { PreparedAhead } from './preparedAhead';
import type { ExperimentConfig } from '../core/training/config';
import { loadForResume, startCheckpointing, type LoadedCheckpoint } from './checkpointing';
import { restoreSnapshot } from '../core/checkpoint/capture';
import type { StopReason, TrainEvent } from '../core/callbacks/types';
import { carryRefusal, continueFrom, exportFiles, loadFiles, takeWeights } from './models';
import type { LoadModelRequest } from '../protocol/messages';
import { experimentInvariance, previewAugmentation } from '../core/augment/experiment';
import { ensurePreviewBackend } from './previewBackend';
import { describe } from './datasets';
import { inspector } from './inspect';
import { evaluateTestSet, postPrediction, postTestImages } from './evaluation';
import { reporter } from './reporter';
import { createThreadTiming } from './threadTiming';
import type { SessionDeps } from './sessionDeps';

interface Run {
  id: number;
  control: RunControl;
  exp: Experiment | null;
  busy: boolean;
  /** Settles when the run's training and evaluation are over. */
  finished: Promise<void>;
}

export interface TrainingSession {
  /** Handles one message from the page; settles when the session is done with it. */
  handle(msg: unknown): Promise<void>;
}

/**
 * How often batch losses are read back, ms. On a GPU every read waits for the device; at
 * 200 ms the MLP at batch 128 on WebGL ran at 0.80-0.91 of a bare model.fit (npm run
 * bench), at 1 s at 0.89-1.05 (runs vary about 10% here). On CPU backends reads are free.
 */
function readBackInterval(backend: string): number {
  return backend === 'webgl' || backend === 'webgpu' ? 1000 : 200;
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

export function createTrainingSession(deps: SessionDeps): TrainingSession {
  const { post, getDataset, backend } = deps;
  let current: Run | null = null;
  /** The page's `setup`: wasm threads asked for in the address, else measured. */
  let setup: { wasmThreads?: number } = {};
  /** Settles when the invariance sweep in progress (if any) is over; a new run waits for it. */
  let sweeping: Promise<unknown> = Promise.resolve();
  const { timeThreadsAfter, endThreadTiming } = createThreadTiming({ backend, post });
  /** The data tensors made before the first run for the page's settings (see `warmUp`). */
  const preparedAhead = new PreparedAhead<PreparedData>();

  /**
   * Runs `work` on the model of run `runId` if it is the current run, holds a model and is
   * idle, marking it busy meanwhile; false when refused. The run is the one checked, even
   * if another has become current when `work` is over.
   */
  async function withIdleModel(runId: number, work: (run: Run, exp: Experiment) => Promise<void>): Promise<boolean> {
    const run = current;
    if (run?.id !== runId || !run.exp || run.busy) return false;
    run.busy = true;
    try {
      await work(run, run.exp);
    } finally {
      run.busy = false;
    }
    return true;
  }

  /**
   * Starts, before the first Train, what that run would start first: wasm (for the choices
   * that use it) and then, on wasm, its data tensors, which the first run takes if its data
   * settings are the same. Once per worker, and not once a run has begun.
   */
  function warmUp(config: ExperimentConfig): void {
    if (current) return;
    // Never times thread counts (they are timed after a run): it only starts wasm.
    const started = backend.warmUpWasm(config.backend, { wasmThreads: setup.wasmThreads });
    if (config.crossValidation) return;
    preparedAhead.start(dataKey(config), async (stillWanted) => {
      if (!(await started)) return null;
      const dataset = await getDataset(config.datasetId);
      // Not for settings that cannot train, nor when the run that came wants other data.
      if (!stillWanted() || experimentProblems(config, dataset).length > 0) return null;
      return prepareData(dataset, config);
    });
  }

  async function startRun(
    runId: number,
    config: ExperimentConfig,
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
      const report = await backend.selectBackend(config.backend, config.model, dataset.shape, dataset.classNames.length, {
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
          reporter({
            runId,
            epochs: config.epochs,
            batchesPerEpoch,
            totalSamples: Math.min(trainCount, batchesPerEpoch * config.batchSize) * (config.epochs - startEpoch),
            control: run.control,
            post,
          }),
          inspector({ runId, inputShape: dataset.shape, post }),
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

  async function runEvaluation(run: Run) {
    if (!run.exp) return;
    post({ type: 'phase', runId: run.id, phase: 'evaluating' });
    // Loss, accuracy and every test image's probabilities (the evaluation view) in one pass;
    // the probabilities are posted first, so the view is filled when the phase ends.
    const r = await evaluateTestSet(run.id, run.exp, post);
    post({ type: 'testResult', runId: run.id, ...r });
  }

  /** Loads files as the current model; a failed load leaves the current model and run as they were. */
  async function loadModel(msg: LoadModelRequest) {
    void preparedAhead.take(null); // a loaded model makes its own data: free what was made ahead
    const before = current;
    if (before?.busy) {
      return post({ type: 'modelError', requestId: msg.requestId, message: 'A run is in progress: stop it before loading a model.' });
    }
    try {
      const loaded = await loadFiles(msg, { getDataset, selectBackend: backend.selectBackend, wasmThreads: setup.wasmThreads });
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

  async function handle(msg: unknown) {
    if (!isToWorker(msg)) return;
    switch (msg.type) {
      case 'setup':
        setup = { wasmThreads: msg.wasmThreads };
        return;
      case 'warmUp':
        return warmUp(msg.config);
      case 'describeDataset':
        return describe(msg, { post, getDataset }); // normally answered by the entry
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
        await withIdleModel(msg.runId, async (_run, exp) => {
          try {
            const loaded = await loadForResume(msg.checkpointId);
            await restoreSnapshot(exp.model, exp.optimizer, loaded.snapshot);
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
          }
        });
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
        await withIdleModel(msg.runId, async (run) => {
          try {
            await runEvaluation(run);
          } catch (err) {
            post({ type: 'error', runId: msg.runId, message: explain(err) });
          }
        });
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
        return postPrediction(msg, current, post);
      case 'testImages':
        return postTestImages(msg, current, post);
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
        const refused = !(await withIdleModel(msg.runId, async (run, exp) => {
          try {
            const sweep = experimentInvariance(exp, {
              onPoint: (point) => post({ type: 'invariancePoint', runId: msg.runId, point }),
              shouldStop: () => current !== run,
            });
            sweeping = sweep.catch(() => {});
            await sweep;
            post({ type: 'invarianceEnded', runId: msg.runId });
          } catch (err) {
            post({ type: 'invarianceEnded', runId: msg.runId, error: explain(err) });
          }
        }));
        if (refused) {
          post({ type: 'invarianceEnded', runId: msg.runId, error: 'There is no trained model to evaluate yet, or it is still busy: train first, then run the sweep.' });
        }
        return;
      }
      default:
        assertNever(msg);
    }
  }

  return { handle };
}
