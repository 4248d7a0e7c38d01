/**
 * The wasm thread counts, timed while no run trains after a first run on 1 thread (see
 * backend's `timeThreadsWhenIdle`): a run that starts ends the timing at once and waits for it.
 */
import type { ProbeModel } from './backend';
import type { Backends, Post } from './sessionDeps';

/** How long after a run the counts are timed: the page has drawn the run's end by then. */
export const THREAD_TIMING_DELAY_MS = 1500;

export interface ThreadTiming {
  /** Times the counts on `model` (the run's that just ended) soon, if a provisional decision waits for them. */
  timeThreadsAfter(model: ProbeModel): void;
  /** Ends the thread timing in progress (if any), so that a run has the cores to itself. */
  endThreadTiming(): Promise<void>;
}

export function createThreadTiming({ backend, post }: { backend: Backends; post: Post }): ThreadTiming {
  let threadTiming: { abort: AbortController; settled: Promise<void> } | null = null;
  return {
    timeThreadsAfter(model) {
      if (!backend.threadsToTimePending() || threadTiming) return;
      const abort = new AbortController();
      const settled = new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          backend
            .timeThreadsWhenIdle(model, abort.signal)
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
    },
    async endThreadTiming() {
      const t = threadTiming;
      threadTiming = null;
      if (!t) return;
      t.abort.abort();
      await t.settled;
    },
  };
}
