/**
 * `bench.html?mode=threads&threads=1,2,4`: wasm training speed per thread count, each in a
 * fresh worker (the app's own thread probe, worker/threadProbe), in this page. Result in
 * `window.__bench` as { mode, results: [...] }.
 */
import { presetSpec } from '../core/model/presets';
import { timeThreadCounts } from '../worker/threadProbe';

const CASES = [
  { model: 'mlp', batchSize: 32 },
  { model: 'mlp', batchSize: 128 },
  { model: 'small-cnn', batchSize: 64 },
];

export async function threadsBench(counts: number[]) {
  const cases = CASES.map((c) => ({
    spec: presetSpec(c.model, 10),
    inputShape: [28, 28, 1],
    numClasses: 10,
    batchSize: c.batchSize,
    warmupSteps: 2,
    maxSteps: 12,
    budgetMs: 3000,
  }));
  const timings = await timeThreadCounts(counts, cases, 300_000);
  const results = timings.map((t) =>
    t.ok
      ? {
          requested: t.threads,
          actual: t.actual,
          reason: t.reason,
          speeds: CASES.map((c, i) => ({ ...c, samplesPerSec: t.samplesPerSec[i]! })),
        }
      : { requested: t.threads, error: t.error },
  );
  return { mode: 'threads', crossOriginIsolated: globalThis.crossOriginIsolated === true, results };
}
