/**
 * Measures what each store flush costs the page: the time from the start of the flush to the
 * end of React's synchronous render of it (which React runs in a microtask queued by the store
 * update, before the one this meter queues). Pure bookkeeping; `connect.ts` feeds it, the e2e
 * tests and `npm run bench` read it through `window.__playground.frames`.
 */

export interface FrameStats {
  /** Flushes measured (since the last reset). */
  count: number;
  /** 95th percentile of the flush cost, in ms (nearest rank). */
  p95: number;
  max: number;
  mean: number;
  /** The slowest flushes with what they applied ("epochEnd,layerStats"), slowest first: the culprit of a failure. */
  slowest?: { ms: number; what: string }[];
}

/** How many of the slowest flushes are kept with their labels. */
const SLOWEST = 5;

/** Keeps the last `capacity` flush costs (a ring), enough for percentiles over a long run. */
export class FrameMeter {
  private readonly costs: Float64Array;
  private next = 0;
  private filled = 0;
  private slow: { ms: number; what: string }[] = [];

  constructor(readonly capacity = 20_000) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.costs = new Float64Array(capacity);
  }

  /** Records one flush's cost; `what` names what it applied (kept for the slowest few). */
  record(ms: number, what = ''): void {
    if (this.slow.length < SLOWEST || ms > this.slow.at(-1)!.ms) {
      this.slow.push({ ms, what });
      this.slow.sort((a, b) => b.ms - a.ms);
      this.slow.length = Math.min(this.slow.length, SLOWEST);
    }
    this.costs[this.next] = ms;
    this.next = (this.next + 1) % this.capacity;
    if (this.filled < this.capacity) this.filled++;
  }

  reset(): void {
    this.next = 0;
    this.filled = 0;
    this.slow = [];
  }

  /** The recorded costs, oldest first. */
  values(): number[] {
    const out: number[] = [];
    const start = this.filled < this.capacity ? 0 : this.next;
    for (let i = 0; i < this.filled; i++) out.push(this.costs[(start + i) % this.capacity]!);
    return out;
  }

  stats(): FrameStats {
    return { ...frameStats(this.values()), slowest: this.slow.map((x) => ({ ...x })) };
  }
}

/** Count, nearest-rank 95th percentile, maximum and mean of `costs` (all 0 when empty). */
export function frameStats(costs: readonly number[]): FrameStats {
  if (costs.length === 0) return { count: 0, p95: 0, max: 0, mean: 0 };
  const sorted = [...costs].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(0.95 * sorted.length));
  const sum = sorted.reduce((a, b) => a + b, 0);
  return { count: sorted.length, p95: sorted[rank - 1]!, max: sorted.at(-1)!, mean: sum / sorted.length };
}
