/**
 * Picks the tfjs backend for a run: the user's choice first, else (automatic) the fastest
 * backend measured on this device for this model, skipping any that fails to start or cannot
 * train the model, and saying why.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import './wasmFiles';
import { BACKEND_ORDER, type BackendChoice, type BackendName } from '../core/training/config';
import type { ModelSpec, LayerType } from '../core/model/types';
import { buildModel } from '../core/model/build';
import type { BackendReport, WasmThreadsReport } from '../protocol/messages';
import { installWasmKernels } from '../core/kernels/install';
import { measureTrainingSpeed, slowerReason, type SpeedTable } from '../core/training/speedProbe';
import { loadSpeeds, saveSpeeds } from '../storage/backendSpeeds';
import { loadThreadChoice, saveThreadChoice } from '../storage/threadChoice';
import { backendLabel, cpuDescription, deviceDescription, gpuFacts, logicalCores, type GpuFacts } from './deviceInfo';
import { configureWasmThreads, threadsUnavailableReason } from './wasmThreads';
import { measuredReason, pickThreads, threadCandidates, threadWord, type ThreadSpeed } from '../core/training/threadChoice';
import { timeThreadCounts } from './threadProbe';

// Fast transposed matmuls, Conv2D gradients and a correct MaxPoolGrad on wasm.
installWasmKernels();

/** Gradient kernels each layer type needs beyond the basics, for a precise skip reason. */
const GRADIENT_KERNELS: Partial<Record<LayerType, string[]>> = {
  conv2d: ['Conv2DBackpropFilter', 'Conv2DBackpropInput'],
  maxPooling2d: ['MaxPoolGrad'],
};

const LAYER_LABEL: Partial<Record<LayerType, string>> = { conv2d: 'Conv2D', maxPooling2d: 'MaxPooling2D' };

async function initFailureReason(name: BackendName): Promise<string> {
  if (name === 'webgpu') {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    if (!gpu) return 'this browser has no WebGPU';
    const adapter = await gpu.requestAdapter().catch(() => null);
    if (!adapter) return 'the browser offers no WebGPU adapter (WebGPU disabled or no usable GPU)';
    return 'WebGPU failed to start';
  }
  if (name === 'webgl') return 'WebGL2 could not start in the worker (no usable GPU context)';
  if (name === 'wasm') return 'WebAssembly could not start (the .wasm file did not load)';
  return 'the plain JavaScript backend failed to start';
}

/** A reason `name` cannot train `spec`, or null when it can. */
function missingKernelReason(name: BackendName, spec: ModelSpec): string | null {
  for (const layer of spec.layers) {
    for (const kernel of GRADIENT_KERNELS[layer.type] ?? []) {
      if (!tf.getKernel(kernel, name)) {
        return `it cannot train ${LAYER_LABEL[layer.type]} layers (tfjs has no ${kernel} kernel for ${name})`;
      }
    }
  }
  return null;
}

/** Runs one training step of the real model on two blank images; returns an error text or null. */
async function probeTraining(spec: ModelSpec, inputShape: number[], numClasses: number): Promise<string | null> {
  let model: tf.Sequential | null = null;
  const optimizer = tf.train.sgd(0);
  try {
    model = buildModel(spec, inputShape, { seed: 1, numClasses });
    const m = model;
    const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
    const loss = tf.tidy(
      () =>
        optimizer.minimize(
          () => tf.mean(m.apply(tf.zeros([2, ...inputShape]), { training: true }) as tf.Tensor) as tf.Scalar,
          true,
          vars,
        )!,
    );
    await loss.data();
    loss.dispose();
    return null;
  } catch (err) {
    return `a test training step failed: ${(err as Error).message}`;
  } finally {
    model?.dispose();
    optimizer.dispose();
  }
}

export interface SelectOptions {
  /** The run's batch size: the automatic choice times steps of this size (capped at 128). */
  batchSize?: number;
  /** Read and write measured speeds and the thread choice in IndexedDB (default true). */
  useCache?: boolean;
  /** Threads for wasm, asked for in the address (`?threads=N`): no thread probe. */
  wasmThreads?: number;
}

/** What a thread probe times: a few training steps of the run's model. */
export interface ProbeModel {
  spec: ModelSpec;
  inputShape: number[];
  numClasses: number;
  batchSize: number;
}

/** A thread probe gives up on a count that has not answered in this time. */
const THREAD_PROBE_TIMEOUT_MS = 15_000;
/** Per thread count: two untimed steps, then up to 8 timed ones within 400 ms. */
const THREAD_PROBE_STEPS = { warmupSteps: 2, maxSteps: 8, budgetMs: 400 };

/** The wasm thread decision of this worker: made once, before wasm first starts. */
let wasmDecision: Promise<WasmThreadsReport> | null = null;

/**
 * How many threads wasm gets: the count asked for, the only possible one, the one cached for
 * this device, or else 1 for now (the candidates are timed after the run).
 */
async function decideThreads(options: SelectOptions): Promise<WasmThreadsReport> {
  const unavailable = threadsUnavailableReason();
  const asked = options.wasmThreads;
  if (asked !== undefined) {
    if (unavailable && asked > 1) {
      return { threads: 1, chosen: 'asked', reason: `1 thread, not the ${asked} asked for in the address: ${unavailable}` };
    }
    return { threads: asked, chosen: 'asked', reason: `${threadWord(asked)}: asked for in the address (?threads=${asked})` };
  }
  const cores = logicalCores();
  const candidates = threadCandidates(cores, unavailable === null);
  if (candidates.length === 1) {
    return { threads: 1, chosen: 'only', reason: `1 thread: ${unavailable ?? 'this device has one logical core'}` };
  }
  const device = cpuDescription();
  const useCache = options.useCache ?? true;
  const cached = useCache ? await loadThreadChoice(device) : null;
  if (cached && candidates.includes(cached.threads)) {
    return { ...cached, chosen: 'cached', reason: measuredReason(cached.threads, cached.speeds, 'cached') };
  }
  // A first visit: the first run does not wait for the counts to be timed (issue 10: the first
  // batch within 2 s of the page opening; timing them took 0.8-1.3 s here). It trains on 1
  // thread, never a bad choice, and the counts are timed once it is over (`timeThreadsWhenIdle`).
  threadsToTime = { candidates, device, useCache };
  return { threads: 1, chosen: 'provisional', reason: PROVISIONAL_REASON };
}

export const PROVISIONAL_REASON =
  '1 thread for now: how many threads train fastest on this device is timed once this run is over, and the next run uses that';

/** Whether a provisional thread decision waits for its counts to be timed. */
export const threadsToTimePending = (): boolean => threadsToTime !== null;

/** What `timeThreadsWhenIdle` times, once the provisional decision was made; null when nothing is left to time. */
let threadsToTime: { candidates: number[]; device: string; useCache: boolean } | null = null;

/**
 * Times the wasm thread counts, after a provisional first run, on `model` (the last run's) in
 * nested workers, and caches the faster: the report, or null when there is nothing to time or
 * `signal` was aborted (a run started: it must not share the cores with the probe; the counts
 * are timed after that run). Call it only when no run is training.
 */
export async function timeThreadsWhenIdle(model: ProbeModel, signal: AbortSignal): Promise<WasmThreadsReport | null> {
  const job = threadsToTime;
  if (!job || signal.aborted) return null;
  const t0 = performance.now();
  const timings = await timeThreadCounts(job.candidates, [{ ...model, batchSize: Math.max(1, Math.min(model.batchSize, 128)), ...THREAD_PROBE_STEPS }], THREAD_PROBE_TIMEOUT_MS, signal);
  if (signal.aborted) return null;
  // A count tfjs did not really start (it caps threads at half the cores it is told) is no data.
  const speeds: ThreadSpeed[] = [];
  const failures: string[] = [];
  for (const t of timings) {
    if (!t.ok) failures.push(`${threadWord(t.threads)}: ${t.error}`);
    else if (t.actual !== t.threads) failures.push(`${threadWord(t.threads)}: tfjs started ${threadWord(t.actual)} instead`);
    else speeds.push({ threads: t.threads, samplesPerSec: t.samplesPerSec[0]! });
  }
  threadsToTime = null;
  const threads = pickThreads(speeds) ?? 1;
  if (job.useCache && speeds.length > 0) await saveThreadChoice(job.device, { threads, speeds });
  const reason =
    speeds.length === 0
      ? `1 thread: no thread count could be timed (${failures.join('; ')})`
      : measuredReason(threads, speeds, 'now') + (failures.length > 0 ? `; could not time ${failures.join('; ')}` : '');
  const report: WasmThreadsReport = { threads, chosen: 'measured', reason, speeds, probeMs: Math.round(performance.now() - t0) };
  // The count this worker runs (1) was the faster: its next runs report the measurement (as
  // measured earlier); another count needs a new worker, which the page starts for a fresh run.
  if (threads === 1 && speeds.length > 0) wasmDecision = Promise.resolve(report);
  return report;
}

/** Settles when the warm-up in progress (if any) is over; backend selection waits for it. */
let warming: Promise<unknown> = Promise.resolve();

/**
 * Starts wasm ahead of the first run, while the learner looks at the page (issue 10: the first
 * batch soon after Train): the thread decision (asked for, cached, the only possibility, or 1
 * for now on a first visit), then the backend itself. Only for the choices that start wasm
 * (`wasm`, and `auto`, which times it); once per worker. Resolves to whether wasm started.
 */
export function warmUpWasm(choice: BackendChoice, options: SelectOptions): Promise<boolean> {
  if ((choice !== 'wasm' && choice !== 'auto') || wasmDecision) return Promise.resolve(false);
  // The thread decision never times counts now (a first visit runs 1 thread, timed later).
  const started = (async () => {
    await prepareWasm(options);
    if (tf.getBackend() === 'wasm') return true; // a run started it meanwhile
    const ok = await tf.setBackend('wasm');
    if (ok) await tf.ready();
    return ok;
  })();
  const settled = started.catch(() => false); // a failure shows again, with its reason, when a run starts wasm
  warming = settled;
  return settled;
}

/** Decides the thread count and sets wasm up with it, once per worker (wasm fixes it at start). */
function prepareWasm(options: SelectOptions): Promise<WasmThreadsReport> {
  wasmDecision ??= decideThreads(options).then((d) => ({ ...d, ...configureWasmThreads(d.threads, d.reason) }));
  return wasmDecision;
}

/**
 * The thread report once wasm has started: the count tfjs really uses, and why. A count
 * measured for an earlier run of this worker is reported as measured earlier.
 */
async function wasmThreadsReport(decidedNow: boolean): Promise<WasmThreadsReport | undefined> {
  if (!wasmDecision || !tf.findBackend('wasm')) return undefined;
  let decision: WasmThreadsReport = await wasmDecision;
  if (!decidedNow && decision.chosen === 'measured' && decision.speeds && decision.speeds.length > 0) {
    const { threads, speeds } = decision;
    decision = { threads, speeds, chosen: 'cached', reason: measuredReason(threads, speeds, 'cached') };
  }
  const actual = getThreadsCount();
  const reason = actual === decision.threads ? decision.reason : `${decision.reason}; tfjs started ${threadWord(actual)}`;
  return { ...decision, threads: actual, reason };
}

/** How a backend choice starts wasm: deciding its threads first (once per worker). */
interface WasmStart {
  prepare(): Promise<WasmThreadsReport>;
  /** Whether this choice made the decision (the probe, if any, ran for it). */
  decidedNow: boolean;
}

/** Starts `name` (for wasm, after deciding its threads); false when it cannot start. */
async function start(name: BackendName, wasm: WasmStart): Promise<boolean> {
  try {
    if (name === 'wasm') await wasm.prepare();
    const started = await tf.setBackend(name);
    if (started) await tf.ready();
    return started;
  } catch {
    return false;
  }
}

/**
 * Switches tfjs to a backend for this model and reports the choice. `auto` measures a few
 * training steps of the model on every backend that can train it and takes the fastest
 * (measurements are cached per device and model shape); a forced backend is used when it
 * can train the model, else the fixed order webgpu, webgl, wasm, cpu.
 */
export async function selectBackend(
  choice: BackendChoice,
  spec: ModelSpec,
  inputShape: number[],
  numClasses: number,
  options: SelectOptions = {},
): Promise<BackendReport> {
  await warming;
  const facts = await gpuFacts();
  const label = (name: BackendName) => backendLabel(name, facts);
  const batchSize = Math.max(1, Math.min(options.batchSize ?? 32, 128));
  const ctx: WasmStart = {
    decidedNow: false,
    prepare: () => {
      ctx.decidedNow ||= wasmDecision === null;
      return prepareWasm(options);
    },
  };
  if (choice === 'auto') return selectFastest(spec, inputShape, numClasses, batchSize, options, facts, ctx);
  const order = [choice, ...BACKEND_ORDER.filter((b) => b !== choice)];
  const skipped: BackendReport['skipped'] = [];
  for (const name of order) {
    if (!(await start(name, ctx))) {
      skipped.push({ backend: name, reason: await initFailureReason(name) });
      continue;
    }
    const reason = missingKernelReason(name, spec) ?? (await probeTraining(spec, inputShape, numClasses));
    if (reason) {
      skipped.push({ backend: name, reason });
      continue;
    }
    skipped.forEach((s) => (s.reason = namedReason(s.backend, s.reason, facts)));
    const wasmThreads = await wasmThreadsReport(ctx.decidedNow);
    return { backend: name, skipped, label: label(name), ...(wasmThreads ? { wasmThreads } : {}) };
  }
  throw new Error(
    'No backend could train this model: ' + skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ') + '.',
  );
}

async function selectFastest(
  spec: ModelSpec,
  inputShape: number[],
  numClasses: number,
  batchSize: number,
  options: SelectOptions,
  facts: GpuFacts,
  ctx: WasmStart,
): Promise<BackendReport> {
  const t0 = performance.now();
  const useCache = options.useCache ?? true;
  const skipped: BackendReport['skipped'] = [];
  const candidates: BackendName[] = [];
  const isSoftwareGpu = (name: BackendName) =>
    (name === 'webgpu' && facts.webgpuSoftware) || (name === 'webgl' && facts.webglSoftware);
  const consider = async (name: BackendName) => {
    if (!(await start(name, ctx))) {
      skipped.push({ backend: name, reason: await initFailureReason(name) });
      return;
    }
    const reason = missingKernelReason(name, spec);
    if (reason) skipped.push({ backend: name, reason });
    else candidates.push(name);
  };
  for (const name of BACKEND_ORDER) if (!isSoftwareGpu(name)) await consider(name);
  // A GPU emulated on the CPU (SwiftShader, llvmpipe) shares the cores wasm uses, without
  // XNNPACK: measured 75-300x slower than wasm here, and its shaders take seconds to compile.
  // Not timed while wasm can train the model, to keep the probe short.
  for (const name of BACKEND_ORDER.filter(isSoftwareGpu)) {
    if (candidates.includes('wasm')) {
      skipped.push({ backend: name, reason: 'not timed: a GPU emulated on the CPU is far slower than wasm' });
    } else {
      await consider(name);
    }
  }
  const device = deviceDescription(facts, (await wasmThreadsReport(ctx.decidedNow))?.threads ?? 1);
  const modelKey = JSON.stringify({ layers: spec.layers, inputShape, numClasses, batchSize });
  const cached = useCache ? await loadSpeeds(device, modelKey) : null;
  const fromCache = cached !== null && candidates.every((name) => cached[name] !== undefined);
  let speeds: SpeedTable = {};
  if (fromCache) {
    speeds = cached;
  } else {
    // wasm first: it starts fast and measures reliably, so backends with nothing to compile
    // (cpu, software GPUs) can stop after their first step when that step alone is 4x slower.
    const order = [...candidates].sort((a, b) => Number(b === 'wasm') - Number(a === 'wasm'));
    for (const name of order) {
      await start(name, ctx);
      const best = Math.max(0, ...Object.values(speeds));
      const noCompile = name === 'cpu' || isSoftwareGpu(name);
      const giveUpAfterMs = noCompile && best > 0 ? Math.max(200, (4 * batchSize * 1000) / best) : undefined;
      // The cpu backend's speed barely depends on the batch size: a small batch costs less.
      const probeBatch = name === 'cpu' && best > 0 ? Math.min(batchSize, 16) : batchSize;
      try {
        const m = await measureTrainingSpeed(spec, inputShape, numClasses, { batchSize: probeBatch, giveUpAfterMs });
        speeds[name] = m.samplesPerSec;
      } catch (err) {
        skipped.push({ backend: name, reason: `a test training step failed: ${(err as Error).message}` });
      }
    }
    if (useCache && Object.keys(speeds).length > 0) await saveSpeeds(device, modelKey, speeds);
  }
  // Fastest first; a cached winner still has to pass a one-step check before it is used.
  const ranked = candidates.filter((n) => speeds[n] !== undefined).sort((a, b) => speeds[b]! - speeds[a]!);
  for (const name of ranked) {
    await start(name, ctx);
    const failure = fromCache ? await probeTraining(spec, inputShape, numClasses) : null;
    if (failure) {
      skipped.push({ backend: name, reason: failure });
      continue;
    }
    for (const other of ranked) {
      if (other !== name && !skipped.some((s) => s.backend === other)) {
        skipped.push({ backend: other, reason: slowerReason(speeds[other]!, name, speeds[name]!, fromCache) });
      }
    }
    skipped.forEach((s) => (s.reason = namedReason(s.backend, s.reason, facts)));
    skipped.sort((a, b) => BACKEND_ORDER.indexOf(a.backend) - BACKEND_ORDER.indexOf(b.backend));
    const wasmThreads = await wasmThreadsReport(ctx.decidedNow);
    return {
      backend: name,
      skipped,
      label: backendLabel(name, facts),
      speeds: ranked.map((b) => ({ backend: b, samplesPerSec: Math.round(speeds[b]!) })),
      measured: fromCache ? 'cached' : 'now',
      probeMs: Math.round(performance.now() - t0),
      ...(wasmThreads ? { wasmThreads } : {}),
    };
  }
  throw new Error(
    'No backend could train this model: ' + skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ') + '.',
  );
}

/** Prefixes a software GPU's reason with what it is, so the learner sees why it is slow. */
function namedReason(name: BackendName, reason: string, facts: GpuFacts): string {
  const labelled = backendLabel(name, facts);
  return labelled === name ? reason : `${labelled.slice(name.length + 2, -1)}; ${reason}`;
}

