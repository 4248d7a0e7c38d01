import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { CLIPPED_LOSS_MAX, nanGuard } from './nanGuard';
import { testContext } from '../testing/trainContext';
import { useBackend } from '../testing/datasets';
import { train } from '../training/train';

const ctx = () => testContext({ epochs: 3 });
const log = (loss: number) => ({ epoch: 1, batch: 4, step: 14, size: 32, loss, acc: 0.1 });

describe('nanGuard', () => {
  it.each([
    [0.5, false],
    [16.1, false],
    [Number.NaN, true],
    [Number.POSITIVE_INFINITY, true],
    [Number.NEGATIVE_INFINITY, true],
  ])('loss %s stops training: %s', (loss, stops) => {
    const c = ctx();
    void nanGuard().onBatchEnd!(log(loss), c);
    expect(c.stopTraining).toBe(stops);
    if (stops) {
      expect(c.stopMessage).toMatch(/epoch 2, batch 5.*learning rate is too high.*restore the last good one/s);
      expect(c.events).toMatchObject([{ kind: 'nan', epoch: 2, step: 14 }]);
    }
  });

  it('keeps the first explanation when later batches are NaN too', () => {
    const c = ctx();
    const guard = nanGuard();
    void guard.onBatchEnd!(log(Number.NaN), c);
    const first = c.stopMessage;
    void guard.onBatchEnd!({ ...log(Number.NaN), batch: 5 }, c);
    expect(c.stopMessage).toBe(first);
    expect(c.events).toHaveLength(1);
  });
});

/** Feeds batch losses (one epoch each of the inner arrays); returns the 1-based batch it stopped at. */
function runBatches(losses: number[]) {
  const c = testContext({ batchesPerEpoch: 1000 });
  const guard = nanGuard();
  void guard.onTrainBegin!(c);
  for (let i = 0; i < losses.length; i++) {
    void guard.onBatchEnd!({ epoch: 0, batch: i, step: i, size: 32, loss: losses[i]!, acc: 0 }, c);
    if (c.stopTraining) return { at: i + 1, c };
  }
  return { at: null, c };
}

const early = [2.3, 2.2, 2.1, 2.0, 1.9];
describe('nanGuard: exploding batch losses', () => {
  it.each([
    ['a falling loss', [...early, 1.5, 1.2, 1, 0.8, 0.6, 0.5], null],
    ['one spike', [...early, 200, 1.5, 1.4, 1.3, 1.2, 1.1], null],
    ['four batches above 50, then back', [...early, 60, 80, 90, 70, 2, 60, 70, 80, 90], null],
    ['five batches in a row above 50', [...early, 60, 80, 90, 70, 100], 10],
    ['explodes to 1e6', [...early, 1e3, 1e4, 1e5, 1e6, 1e6], 10],
    // raw 0–255 inputs: a huge early reference lifts the limit to 10 times it
    ['a high but falling start', [300, 280, 260, 250, 240, 900, 800, 700, 600, 500], null],
    ['a high start that explodes', [300, 280, 260, 250, 240, 2500, 3000, 4000, 5000, 6000], 10],
  ] as [string, number[], number | null][])('%s: stops at batch %s', (_, losses, expected) => {
    const { at, c } = runBatches(losses);
    expect(at).toBe(expected);
    if (expected !== null) {
      expect(c.events).toMatchObject([{ kind: 'divergence', step: expected - 1 }]);
      expect(c.stopMessage).toMatch(/loss exploded.*learning rate is too high/s);
    }
  });
});

describe('nanGuard: epoch losses', () => {
  it.each([
    ['learning normally', [2.3, 1.2, 0.8, 0.5], null],
    ['an epoch loss above 10,000', [2.3, 1.2, 2e4], 3],
    ['jumped onto the clipped plateau', [2.3, 14.5, 14.5], 2],
    ['falling slowly on the plateau, then stuck', [15.8, 15.0, 14.9], 3],
    ['on the plateau but recovering', [15.5, 14.8, 13.9, 12], null],
    ['stuck at the plateau from the start', [14.4, 14.5], 2],
    ['high but below the plateau (80% of 16.1)', [12, 12.5, 12.8], null],
  ] as [string, number[], number | null][])('%s: stops after epoch %s', (_, losses, expected) => {
    const c = testContext();
    const guard = nanGuard();
    void guard.onTrainBegin!(c);
    let at: number | null = null;
    for (let e = 0; e < losses.length && at === null; e++) {
      void guard.onEpochEnd!({ epoch: e, logs: { loss: losses[e]!, acc: 0 }, samples: 1, trainMs: 1, numTensors: 0 }, c);
      if (c.stopTraining) at = e + 1;
    }
    expect(at).toBe(expected);
    if (expected !== null) expect(c.events).toMatchObject([{ kind: 'divergence', epoch: expected }]);
  });

  it('with a loss from logits (never clipped) a high, level loss is no plateau; explosions still stop', () => {
    const epochs = (losses: number[]) => {
      const c = testContext();
      const guard = nanGuard({ clippedLoss: false });
      void guard.onTrainBegin!(c);
      for (let e = 0; e < losses.length && !c.stopTraining; e++) {
        void guard.onEpochEnd!({ epoch: e, logs: { loss: losses[e]!, acc: 0 }, samples: 1, trainMs: 1, numTensors: 0 }, c);
      }
      return c;
    };
    expect(epochs([2.3, 14.5, 14.5, 15]).stopTraining).toBe(false);
    expect(epochs([2.3, 1.2, 2e4]).events).toMatchObject([{ kind: 'divergence', epoch: 3 }]);
  });

  it('names the clipped maximum near 16', () => {
    expect(CLIPPED_LOSS_MAX).toBeCloseTo(16.118, 3);
  });
});

describe('nanGuard on a real run with a huge learning rate (cpu backend)', () => {
  beforeAll(() => useBackend('cpu'));

  it.each([
    ['sgd', 1e3],
    ['adam', 50],
  ] as const)('%s at learning rate %s is stopped with an explanation', async (name, lr) => {
    const model = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [4, 4, 1] }),
        tf.layers.dense({ units: 16, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      ],
    });
    const x = tf.randomUniform([200, 4, 4, 1], 0, 255, 'float32', 3);
    const y = tf.tensor1d(Array.from({ length: 200 }, (_, i) => (i * 7) % 10), 'int32');
    const optimizer = name === 'sgd' ? tf.train.sgd(lr) : tf.train.adam(lr);
    const events: string[] = [];
    const losses: number[] = [];
    const result = await train({
      model, optimizer, loss: 'sparseCategoricalCrossentropy', train: { x, y, count: 200 }, epochs: 30, batchSize: 20, seed: 1,
      callbacks: [nanGuard(), { onEpochEnd: (s) => void losses.push(s.logs.loss) }],
      onEvent: (e) => events.push(e.kind),
    });
    model.dispose();
    optimizer.dispose();
    tf.dispose([x, y]);
    expect(result.reason, `epoch losses ${losses.join(', ')}`).toBe('callback');
    expect(result.epochsCompleted).toBeLessThan(30);
    expect(result.message).toMatch(/diverged.*learning rate is too high/s);
    expect(events).toHaveLength(1);
    expect(['nan', 'divergence']).toContain(events[0]);
  });
});
