import { describe, expect, it } from 'vitest';
import { FrameMeter, frameStats } from './frameMeter';
import { connectClient } from './connect';
import { createAppStore } from './store';
import { TrainingClient, type ClientEvent } from '../client/trainingClient';

describe('frameStats', () => {
  it('gives the nearest-rank 95th percentile, the maximum and the mean', () => {
    const costs = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    expect(frameStats(costs)).toEqual({ count: 100, p95: 95, max: 100, mean: 50.5 });
    expect(frameStats([3])).toEqual({ count: 1, p95: 3, max: 3, mean: 3 });
    expect(frameStats([])).toEqual({ count: 0, p95: 0, max: 0, mean: 0 });
  });

  it('does not depend on the order of the costs', () => {
    expect(frameStats([9, 1, 5, 30, 2])).toEqual(frameStats([1, 2, 5, 9, 30]));
  });
});

describe('FrameMeter', () => {
  it('keeps the last `capacity` costs, oldest first, and forgets them on reset', () => {
    const m = new FrameMeter(3);
    for (const v of [1, 2, 3, 4, 5]) m.record(v);
    expect(m.values()).toEqual([3, 4, 5]);
    expect(m.stats().max).toBe(5);
    m.reset();
    expect(m.values()).toEqual([]);
    m.record(7);
    expect(m.values()).toEqual([7]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new FrameMeter(0)).toThrow(RangeError);
  });
});

describe('connectClient with a meter', () => {
  it('applies a burst of events in one flush and records what that flush cost', async () => {
    let emit: (e: ClientEvent) => void = () => {};
    const fake = { subscribe: (l: (e: ClientEvent) => void) => ((emit = l), () => {}) };
    const worker = { postMessage() {}, terminate() {}, onmessage: null, onerror: null, onmessageerror: null };
    const store = createAppStore(new TrainingClient(() => worker as unknown as Worker));
    const meter = new FrameMeter();
    let clock = 0;
    connectClient(store, fake, { meter, now: () => (clock += 5) });
    const progress = { epoch: 0, epochs: 1, batch: 1, batchesPerEpoch: 10, samplesPerSec: 0, secondsLeft: null };
    for (let i = 0; i < 3; i++) {
      emit({ type: 'batches', runId: 1, points: [{ epoch: 0, batch: i, step: i, size: 8, loss: 1, acc: 0.5 }], progress });
    }
    expect(store.getState().batchCount).toBe(0); // not before the next frame
    await new Promise((r) => setTimeout(r, 40));
    expect(store.getState().batchCount).toBe(3);
    expect(meter.values()).toEqual([5]); // one flush; the fake clock moves 5 ms per reading
  });
});

describe('FrameMeter: the slowest flushes, named', () => {
  it('keeps the five slowest with what they applied, slowest first, and forgets them on reset', () => {
    const m = new FrameMeter(100);
    [3, 30, 1, 12, 25, 2, 18, 7].forEach((ms, i) => m.record(ms, `e${i}`));
    expect(m.stats().slowest).toEqual([
      { ms: 30, what: 'e1' },
      { ms: 25, what: 'e4' },
      { ms: 18, what: 'e6' },
      { ms: 12, what: 'e3' },
      { ms: 7, what: 'e7' },
    ]);
    m.reset();
    expect(m.stats().slowest).toEqual([]);
  });
});
