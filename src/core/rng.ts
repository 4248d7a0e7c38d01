/**
 * Seeded pseudo-random numbers. Every random choice the core makes (weight init, split,
 * shuffling, dropout) draws from one of these streams, so a run is reproducible from its seed
 * and a checkpoint can store the stream's position and resume it exactly.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128 bits of
 * state, passes PractRand/BigCrush, and needs only 32-bit integer operations that JavaScript
 * does exactly. Its counter word guarantees a period of at least 2^32 from any state, so
 * there is no all-zero state to avoid.
 */

/** A seeded random stream. Not cryptographically secure. */
export interface Rng {
  /** Uniform float in [0, 1), 32 bits of resolution. */
  next(): number;
  /** Uniform integer in 0 .. n-1; `n` must be an integer in 1 .. 2^32. */
  int(n: number): number;
  /** Fisher–Yates shuffle, in place; returns the same array. */
  shuffle<A extends unknown[] | Int32Array | Uint32Array>(a: A): A;
  /** The four uint32 words of the generator state, to save in a checkpoint. */
  getState(): number[];
  /** Restores a state from `getState()`; the stream continues exactly where it was. */
  setState(state: number[]): void;
}

const TWO_POW_32 = 4294967296;

/** Reduces any finite number to a uint32 seed; fractions are truncated, negatives wrap. */
function toUint32(seed: number, what: string): number {
  if (!Number.isFinite(seed)) {
    throw new RangeError(`${what} must be a finite number, got ${seed}.`);
  }
  // ToUint32: truncate, then modulo 2^32 (exact for any finite double).
  return seed >>> 0;
}

/** Murmur3's finalizer: every input bit affects every output bit. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Creates a stream from a seed (reduced to uint32). Equal seeds give equal streams; seeds
 * that differ in one bit give unrelated streams, because the state is filled by splitmix32.
 */
export function createRng(seed: number): Rng {
  let sm = toUint32(seed, 'The seed');
  const splitmix32 = (): number => {
    sm = (sm + 0x9e3779b9) | 0;
    let z = sm;
    z ^= z >>> 16;
    z = Math.imul(z, 0x21f0aaad);
    z ^= z >>> 15;
    z = Math.imul(z, 0x735a2d97);
    z ^= z >>> 15;
    return z | 0;
  };
  let a = splitmix32();
  let b = splitmix32();
  let c = splitmix32();
  let d = splitmix32();

  const nextUint32 = (): number => {
    // Reference: tmp = a + b + counter++; a = b ^ (b >> 9); b = c + (c << 3);
    // c = rotl(c, 21) + tmp.
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  };
  // The first outputs after seeding are still correlated with the seed; discard them.
  for (let i = 0; i < 12; i++) nextUint32();

  const next = (): number => nextUint32() / TWO_POW_32;

  const int = (n: number): number => {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new RangeError(`rng.int(n) needs an integer n in 1 .. 2^32, got ${n}.`);
    }
    // Multiply-and-floor; the bias is below n / 2^32, negligible for array sizes.
    return Math.floor(next() * n);
  };

  return {
    next,
    int,
    shuffle<A extends unknown[] | Int32Array | Uint32Array>(arr: A): A {
      const x = arr as { [i: number]: unknown; length: number };
      for (let i = x.length - 1; i > 0; i--) {
        const j = int(i + 1);
        const tmp = x[i];
        x[i] = x[j];
        x[j] = tmp;
      }
      return arr;
    },
    getState: () => [a >>> 0, b >>> 0, c >>> 0, d >>> 0],
    setState(state: number[]) {
      if (
        !Array.isArray(state) ||
        state.length !== 4 ||
        !state.every((w) => Number.isInteger(w) && w >= 0 && w < TWO_POW_32)
      ) {
        throw new RangeError(
          `An RNG state is four integers in 0 .. 2^32-1 (as returned by getState()), got ${JSON.stringify(state)}.`,
        );
      }
      a = state[0] | 0;
      b = state[1] | 0;
      c = state[2] | 0;
      d = state[3] | 0;
    },
  };
}

/**
 * A uint32 seed for an independent stream, derived from a run's seed and a purpose label
 * (e.g. 'init', 'split', 'shuffle', 'dropout'). Stable across sessions and platforms, so
 * the same run seed always yields the same per-purpose seeds, and adding a new purpose never
 * changes the streams of the existing ones.
 */
export function deriveSeed(seed: number, label: string): number {
  let h = fmix32(toUint32(seed, 'The seed') ^ 0x9e3779b9);
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x5bd1e995);
    h ^= h >>> 15;
  }
  // Mixing in the length keeps e.g. '' and '\0' apart.
  return fmix32(h ^ label.length);
}
