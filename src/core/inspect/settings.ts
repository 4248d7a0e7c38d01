/** The Layers chart's sampling setting (pure: the settings form imports it). */

/**
 * Sample every this many batches by default. A sampled step cost 1.23-1.28 plain steps on the
 * bench's MLP at batch 32, 0.99-1.11 at batch 128, 1.24-1.26 on its Small CNN at batch 64 and
 * 1.65-1.68 on the 40-layer MLP (wasm under Node, sampled and plain steps alternating:
 * src/core/inspect/cost.verify.ts). At 10 a run slows by about 3% (the 40-layer MLP 7%), within
 * the 10% budget, and a 1,875-batch MNIST epoch still gets 188 columns on the chart.
 */
export const DEFAULT_INSPECT_EVERY = 10;

/** Whether `every` is an allowed interval: a whole number of batches, 0 (off) to 1,000. */
export function inspectEveryProblem(every: number): string | null {
  return Number.isInteger(every) && every >= 0 && every <= 1000
    ? null
    : 'Measure the layers every 1 to 1,000 batches (a whole number), or 0 to turn it off.';
}
