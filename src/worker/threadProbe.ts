/**
 * Times wasm training with each of several thread counts, one after another, each in a fresh
 * worker (./threadProbe.worker.ts) that is closed as soon as it answers. Used by the training
 * worker (a nested worker) to choose its thread count, and by the bench page.
 */
import type { ProbeCase, ProbeReply, ProbeRequest } from './threadProbe.worker';

export type ThreadTiming =
  | { threads: number; ok: true; actual: number; reason: string; samplesPerSec: number[] }
  | { threads: number; ok: false; error: string };

function timeOne(threads: number, cases: ProbeCase[], timeoutMs: number, signal?: AbortSignal): Promise<ThreadTiming> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve({ threads, ok: false, error: 'cancelled' });
    let worker: Worker;
    try {
      worker = new Worker(new URL('./threadProbe.worker.ts', import.meta.url), { type: 'module', name: `wasm ${threads} threads` });
    } catch (err) {
      return resolve({ threads, ok: false, error: `its worker could not start: ${(err as Error).message}` });
    }
    const cancel = () => done({ threads, ok: false, error: 'cancelled' });
    const done = (t: ThreadTiming) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
      worker.terminate();
      resolve(t);
    };
    signal?.addEventListener('abort', cancel);
    const timer = setTimeout(
      () => done({ threads, ok: false, error: `no answer within ${Math.round(timeoutMs / 1000)} s` }),
      timeoutMs,
    );
    worker.onmessage = ({ data: r }: MessageEvent<ProbeReply>) =>
      done(
        r.type === 'done'
          ? { threads, ok: true, actual: r.actual, reason: r.reason, samplesPerSec: r.samplesPerSec }
          : { threads, ok: false, error: r.message },
      );
    worker.onerror = (e) => {
      e.preventDefault();
      done({ threads, ok: false, error: e.message || 'its worker failed to load' });
    };
    worker.postMessage({ threads, cases } satisfies ProbeRequest);
  });
}

/**
 * Each count's timings of `cases`, in the order given; a count that fails says why. Aborting
 * `signal` ends the probe's worker at once (a run is starting: it must not share the cores).
 */
export async function timeThreadCounts(counts: number[], cases: ProbeCase[], timeoutMs: number, signal?: AbortSignal): Promise<ThreadTiming[]> {
  const out: ThreadTiming[] = [];
  for (const threads of counts) out.push(await timeOne(threads, cases, timeoutMs, signal));
  return out;
}
