/**
 * How many threads the wasm backend gets, decided by measurement: the candidates this device
 * allows, the pick among measured speeds, and the sentence the backend report shows. Pure (no
 * tfjs, no browser): the probe that measures is worker/threadProbe, the cache
 * storage/threadChoice, and worker/backend puts them together.
 */
import { formatCount } from '../format';

/** tfjs' threaded WebAssembly build starts a pool of 8 threads: the most it can use. */
export const MAX_WASM_THREADS = 8;
/** More threads only when at least this much faster (1.1: 10%), else the fewer. */
export const CLEARLY_FASTER = 1.1;

/** Training samples per second measured with a thread count. */
export interface ThreadSpeed {
  threads: number;
  samplesPerSec: number;
}

/**
 * The thread counts worth timing: 1, half the logical cores and all of them (at most
 * MAX_WASM_THREADS each, without repeats), or only 1 where the page cannot share memory
 * between threads (not cross-origin isolated).
 */
export function threadCandidates(cores: number, isolated: boolean): number[] {
  if (!isolated) return [1];
  const n = Math.max(1, Math.floor(cores) || 1);
  const counts = [1, Math.floor(n / 2), n].map((c) => Math.min(Math.max(c, 1), MAX_WASM_THREADS));
  return [...new Set(counts)].sort((a, b) => a - b);
}

/**
 * The thread count to use: going from fewer threads to more, a count replaces the current
 * choice only when it trained at least CLEARLY_FASTER times as fast (threads cost memory and
 * share the cores with everything else on the machine). Null when nothing was measured.
 */
export function pickThreads(speeds: ThreadSpeed[]): number | null {
  const valid = speeds.filter((s) => s.samplesPerSec > 0).sort((a, b) => a.threads - b.threads);
  let best: ThreadSpeed | null = null;
  for (const s of valid) {
    if (!best || s.samplesPerSec >= best.samplesPerSec * CLEARLY_FASTER) best = s;
  }
  return best?.threads ?? null;
}

export const threadWord = (n: number) => `${n} thread${n === 1 ? '' : 's'}`;

/**
 * Why `chosen` threads, from the measured speeds, for the learner: "1 thread: 2 threads
 * measured 2,400 samples/s vs 2,700 on 1" or "2 threads: 3,100 samples/s vs 2,400 on 1".
 */
export function measuredReason(chosen: number, speeds: ThreadSpeed[], when: 'now' | 'cached'): string {
  const mine = speeds.find((s) => s.threads === chosen);
  const others = speeds.filter((s) => s.threads !== chosen).sort((a, b) => a.threads - b.threads);
  const suffix = when === 'cached' ? ' (measured earlier on this device)' : ' (measured just now)';
  if (!mine || others.length === 0) return `${threadWord(chosen)}${suffix}`;
  const parts = others.map((o) => {
    const note = o.threads > chosen && o.samplesPerSec > mine.samplesPerSec ? `, less than ${Math.round((CLEARLY_FASTER - 1) * 100)}% faster` : '';
    return `${threadWord(o.threads)} measured ${formatCount(o.samplesPerSec)} samples/s vs ${formatCount(mine.samplesPerSec)} on ${chosen}${note}`;
  });
  return `${threadWord(chosen)}: ${parts.join('; ')}${suffix}`;
}
