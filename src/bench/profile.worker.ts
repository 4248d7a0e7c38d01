/**
 * Where a wasm training step spends its time: every wasm kernel is wrapped with a timer
 * (wasm kernels run synchronously, so wall time per call is exact), then a few real training
 * steps (forward, backward, optimizer update) run. Reports ms per step by kernel and the rest
 * (JavaScript: autodiff, tensor bookkeeping). Production set-up: kernel fixes, threads.
 */
import * as tf from '@tensorflow/tfjs';
import '../worker/wasmFiles';
import { installWasmKernels } from '../core/kernels/install';
import { configureWasmThreads } from '../worker/wasmThreads';
import { presetSpec } from '../core/model/presets';
import type { OptimizerId } from '../core/optimizers';
import { syntheticTraining } from '../core/training/speedProbe';
import { hasSimd } from '../core/kernels/wasmSimd';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';

export type ProfileRequest = { threads: number; model: string; batchSize: number; optimizer: string; steps: number };
export type ProfileReply =
  | { type: 'done'; threads: number; simd: boolean; stepMs: number; kernelMs: number; kernels: { name: string; msPerStep: number; callsPerStep: number }[] }
  | { type: 'error'; message: string };

const times = new Map<string, { ms: number; calls: number }>();
let timing = false;

/** Matmuls and convolutions also by shape, to see which call of a step is slow. */
function detailKey(name: string, args: Parameters<tf.KernelFunc>[0]): string | null {
  if (!/MatMul|Conv2D|Pool|Identity|Slice|Cast/.test(name)) return null;
  const shapes = Object.values(args.inputs).map((t) => (t as tf.TensorInfo | undefined)?.shape.join('x') ?? '-');
  const attrs = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
  const flags = `${attrs.transposeA ? ' tA' : ''}${attrs.transposeB ? ' tB' : ''}`;
  return `  ${name} ${shapes.join(' ')}${flags}`;
}

function wrapKernels() {
  for (const k of tf.getKernelsForBackend('wasm')) {
    const inner = k.kernelFunc;
    tf.unregisterKernel(k.kernelName, 'wasm');
    tf.registerKernel({
      ...k,
      kernelFunc: (args) => {
        if (!timing) return inner(args);
        const t0 = performance.now();
        const out = inner(args);
        const ms = performance.now() - t0;
        for (const key of [k.kernelName, detailKey(k.kernelName, args)]) {
          if (!key) continue;
          const entry = times.get(key) ?? { ms: 0, calls: 0 };
          entry.ms += ms;
          entry.calls++;
          times.set(key, entry);
        }
        return out;
      },
    });
  }
}

self.onmessage = async (e: MessageEvent<ProfileRequest>) => {
  const post = (m: ProfileReply) => (self as unknown as Worker).postMessage(m);
  const { threads, model: modelId, batchSize, optimizer: optId, steps } = e.data;
  try {
    installWasmKernels();
    configureWasmThreads(threads);
    wrapKernels();
    if (!(await tf.setBackend('wasm'))) throw new Error('wasm did not start');
    const { step, dispose } = syntheticTraining(presetSpec(modelId, 10), [28, 28, 1], 10, batchSize, optId as OptimizerId);
    for (let i = 0; i < 3; i++) await step();
    timing = true;
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await step();
    const stepMs = (performance.now() - t0) / steps;
    timing = false;
    dispose();
    const kernels = [...times.entries()]
      .map(([name, t]) => ({ name, msPerStep: Number((t.ms / steps).toFixed(3)), callsPerStep: t.calls / steps }))
      .sort((a, b) => b.msPerStep - a.msPerStep);
    post({ type: 'done', threads: getThreadsCount(), simd: hasSimd(tf.backend()), stepMs: Number(stepMs.toFixed(3)), kernelMs: Number(kernels.filter((k) => !k.name.startsWith(' ')).reduce((s, k) => s + k.msPerStep, 0).toFixed(3)), kernels });
  } catch (err) {
    post({ type: 'error', message: (err as Error).message });
  }
};
