/**
 * Times training on the wasm backend with one thread count, in production set-up (kernel
 * fixes, thread script fix): samples/s of each requested model and batch size, on random
 * data. A thread count is fixed once WebAssembly starts, so each count gets its own
 * short-lived worker (./threadProbe.ts starts them: from the training worker to choose the
 * count, from the bench page to compare counts).
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import './wasmFiles';
import { installWasmKernels } from '../core/kernels/install';
import { configureWasmThreads } from './wasmThreads';
import { measureTrainingSpeed } from '../core/training/speedProbe';
import type { ModelSpec } from '../core/model/types';

export interface ProbeCase {
  spec: ModelSpec;
  inputShape: number[];
  numClasses: number;
  batchSize: number;
  /** As measureTrainingSpeed takes them (defaults: 1 warm-up step, 3 timed steps at most, 400 ms). */
  warmupSteps?: number;
  maxSteps?: number;
  budgetMs?: number;
}
export type ProbeRequest = { threads: number; cases: ProbeCase[] };
export type ProbeReply =
  /** `actual`: the threads tfjs really started; `samplesPerSec`: one figure per case. */
  | { type: 'done'; requested: number; actual: number; reason: string; samplesPerSec: number[] }
  | { type: 'error'; message: string };

self.onmessage = async (e: MessageEvent<ProbeRequest>) => {
  const post = (m: ProbeReply) => (self as unknown as Worker).postMessage(m);
  try {
    installWasmKernels();
    const { reason } = configureWasmThreads(e.data.threads);
    if (!(await tf.setBackend('wasm'))) throw new Error('WebAssembly did not start');
    await tf.ready();
    const samplesPerSec = [];
    for (const c of e.data.cases) {
      const m = await measureTrainingSpeed(c.spec, c.inputShape, c.numClasses, {
        batchSize: c.batchSize,
        warmupSteps: c.warmupSteps,
        maxSteps: c.maxSteps,
        budgetMs: c.budgetMs,
      });
      samplesPerSec.push(Math.round(m.samplesPerSec));
    }
    post({ type: 'done', requested: e.data.threads, actual: getThreadsCount(), reason, samplesPerSec });
  } catch (err) {
    post({ type: 'error', message: (err as Error).message });
  }
};
