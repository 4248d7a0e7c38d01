/**
 * `bench.html?mode=threads&threads=1,2,4`: wasm training speed per thread count, each in a
 * fresh worker, in this page. Result in `window.__bench` as { mode, results: [...] }.
 */
import type { ThreadsReply, ThreadsRequest } from './threads.worker';

const CASES: ThreadsRequest['cases'] = [
  { model: 'mlp', batchSize: 32 },
  { model: 'mlp', batchSize: 128 },
  { model: 'small-cnn', batchSize: 64 },
];

function timeWith(threads: number): Promise<ThreadsReply> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./threads.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<ThreadsReply>) => {
      worker.terminate();
      resolve(e.data);
    };
    worker.onerror = (e) => resolve({ type: 'error', message: e.message || 'worker failed to load' });
    worker.postMessage({ threads, cases: CASES } satisfies ThreadsRequest);
  });
}

export async function threadsBench(counts: number[]) {
  const results = [];
  for (const n of counts) results.push(await timeWith(n));
  return { mode: 'threads', crossOriginIsolated: globalThis.crossOriginIsolated === true, results };
}
