/**
 * Picks the tfjs backend for a run: the user's choice first, else (automatic) the fastest
 * backend measured on this device for this model, skipping any that fails to start or cannot
 * train the model, and saying why.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import './wasmFiles';
import { BACKEND_ORDER, type BackendChoice, type BackendName } from '../core/training/config';
import type { ModelSpec, LayerType } from '../core/model/types';
import { buildModel } from '../core/model/build';
import type { BackendReport } from '../protocol/messages';
import { installWasmKernels } from '../core/kernels/install';
import { measureTrainingSpeed, slowerReason, type SpeedTable } from '../core/training/speedProbe';
import { loadSpeeds, saveSpeeds } from '../storage/backendSpeeds';
import { backendLabel, deviceDescription, gpuFacts, type GpuFacts } from './deviceInfo';
import { configureWasmThreads, wasmThreading } from './wasmThreads';

// Threads where the page is cross-origin isolated (with the fix for tfjs' thread script
// after `vite build`), else one thread, with the reason logged.
configureWasmThreads();
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
  /** Read and write measured speeds in IndexedDB (default true). */
  useCache?: boolean;
}

/** Starts `name`; false when it cannot start. */
async function start(name: BackendName): Promise<boolean> {
  try {
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
  const facts = await gpuFacts();
  const label = (name: BackendName) => backendLabel(name, facts);
  if (choice === 'auto') return selectFastest(spec, inputShape, numClasses, options, facts);
  const order = [choice, ...BACKEND_ORDER.filter((b) => b !== choice)];
  const skipped: BackendReport['skipped'] = [];
  for (const name of order) {
    if (!(await start(name))) {
      skipped.push({ backend: name, reason: await initFailureReason(name) });
      continue;
    }
    const reason = missingKernelReason(name, spec) ?? (await probeTraining(spec, inputShape, numClasses));
    if (reason) {
      skipped.push({ backend: name, reason });
      continue;
    }
    skipped.forEach((s) => (s.reason = namedReason(s.backend, s.reason, facts)));
    return { backend: name, skipped, label: label(name) };
  }
  throw new Error(
    'No backend could train this model: ' + skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ') + '.',
  );
}

async function selectFastest(
  spec: ModelSpec,
  inputShape: number[],
  numClasses: number,
  options: SelectOptions,
  facts: GpuFacts,
): Promise<BackendReport> {
  const t0 = performance.now();
  const batchSize = Math.max(1, Math.min(options.batchSize ?? 32, 128));
  const useCache = options.useCache ?? true;
  const skipped: BackendReport['skipped'] = [];
  const candidates: BackendName[] = [];
  const isSoftwareGpu = (name: BackendName) =>
    (name === 'webgpu' && facts.webgpuSoftware) || (name === 'webgl' && facts.webglSoftware);
  const consider = async (name: BackendName) => {
    if (!(await start(name))) {
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
  const device = deviceDescription(facts, wasmThreading().threads);
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
      await start(name);
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
    await start(name);
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
    return {
      backend: name,
      skipped,
      label: backendLabel(name, facts),
      speeds: ranked.map((b) => ({ backend: b, samplesPerSec: Math.round(speeds[b]!) })),
      measured: fromCache ? 'cached' : 'now',
      probeMs: Math.round(performance.now() - t0),
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

