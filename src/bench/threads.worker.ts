/**
 * Times the wasm backend with a given number of threads (production set-up: kernel fixes,
 * thread script fix): training samples/s of the MLP at batch 32 and 128 and the Small CNN at
 * batch 64, on random data. One worker per thread count, since threads are fixed at start.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import '../worker/wasmFiles';
import { installWasmKernels } from '../core/kernels/install';
import { configureWasmThreads } from '../worker/wasmThreads';
import { measureTrainingSpeed } from '../core/training/speedProbe';
import { presetSpec } from '../core/model/presets';

export type ThreadsRequest = { threads: number; cases: { model: string; batchSize: number }[] };
export type ThreadsReply =
  | { type: 'done'; requested: number; actual: number; reason: string; speeds: { model: string; batchSize: number; samplesPerSec: number }[] }
  | { type: 'error'; message: string };

self.onmessage = async (e: MessageEvent<ThreadsRequest>) => {
  const post = (m: ThreadsReply) => (self as unknown as Worker).postMessage(m);
  try {
    installWasmKernels();
    const { reason } = configureWasmThreads(e.data.threads);
    if (!(await tf.setBackend('wasm'))) throw new Error('wasm did not start');
    await tf.ready();
    const speeds = [];
    for (const c of e.data.cases) {
      const { samplesPerSec } = await measureTrainingSpeed(presetSpec(c.model, 10), [28, 28, 1], 10, {
        batchSize: c.batchSize,
        maxSteps: 12,
        budgetMs: 3000,
      });
      speeds.push({ ...c, samplesPerSec: Math.round(samplesPerSec) });
    }
    post({ type: 'done', requested: e.data.threads, actual: getThreadsCount(), reason, speeds });
  } catch (err) {
    post({ type: 'error', message: (err as Error).message });
  }
};
