import { describe, expect, it } from 'vitest';
import { readCapped } from './stream';

/** A stream of `n` chunks of `size` bytes that counts how many chunks were pulled. */
function source(n: number, size: number) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (state.pulled >= n) return c.close();
      state.pulled++;
      c.enqueue(new Uint8Array(size).fill(state.pulled));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

describe('readCapped', () => {
  it('reads a stream under the cap whole, in order', async () => {
    const { stream } = source(3, 4);
    expect(Array.from(await readCapped(stream, 100))).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
  });

  it('stops an endless stream (no Content-Length) at the cap and cancels it', async () => {
    const { stream, state } = source(1_000_000, 64 * 1024);
    await expect(readCapped(stream, 2_000_000)).rejects.toThrow(/larger than the limit of 2\.0 MB, so its download was stopped/);
    expect(state.cancelled).toBe(true);
    expect(state.pulled).toBeLessThanOrEqual(34); // 2 MB in 64 kB chunks, and the one that passed it
  });

  it('an empty body is an empty file', async () => {
    expect((await readCapped(null, 10)).length).toBe(0);
  });
});
