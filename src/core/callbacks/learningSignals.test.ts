import { describe, expect, it } from 'vitest';
import { lossSpike, notLearning } from './learningSignals';
import { testContext } from '../testing/trainContext';

const epochEnd = (epoch: number, loss: number, acc: number) => ({ epoch, logs: { loss, acc }, samples: 1, trainMs: 1, numTensors: 0 });

describe('notLearning', () => {
  it.each([
    ['the 40-layer net at chance', { weightLayers: 41, learningRate: 0.001 }, [[2.3016, 0.11]], 1, /stayed at 2\.30.*ln 10 = 2\.30.*vanishing gradients.*BatchNormalization/s],
    ['a tiny learning rate', { weightLayers: 3, learningRate: 1e-6 }, [[2.31, 0.1]], 1, /learning rate 0\.000001 makes every step tiny/],
    ['learning normally', { weightLayers: 3, learningRate: 0.001 }, [[0.4, 0.88], [0.2, 0.94]], null, null],
    ['near ln 10 but learning (accuracy above chance)', { weightLayers: 3, learningRate: 0.001 }, [[2.25, 0.3]], null, null],
    ['stuck from the second epoch on', { weightLayers: 3, learningRate: 0.001 }, [[1.2, 0.6], [2.302, 0.1], [2.302, 0.1]], 2, /epoch 2/],
  ] as const)('%s', (_, opts, epochs, expectedEpoch, message) => {
    const c = testContext();
    const cb = notLearning({ numClasses: 10, ...opts });
    void cb.onTrainBegin!(c);
    epochs.forEach(([loss, acc], e) => void cb.onEpochEnd!(epochEnd(e, loss, acc), c));
    if (expectedEpoch === null) return expect(c.events).toEqual([]);
    expect(c.events).toHaveLength(1); // once per run
    expect(c.events[0]).toMatchObject({ kind: 'notLearning', epoch: expectedEpoch });
    expect(c.events[0]!.message).toMatch(message!);
    expect(c.stopTraining).toBe(false); // it explains, it does not stop
  });
});

describe('lossSpike', () => {
  const run = (losses: number[], batchesPerEpoch = 1000) => {
    const c = testContext();
    const cb = lossSpike();
    void cb.onTrainBegin!(c);
    losses.forEach((loss, step) =>
      void cb.onBatchEnd!({ epoch: Math.floor(step / batchesPerEpoch), batch: step % batchesPerEpoch, step, size: 32, loss, acc: 0 }, c),
    );
    return c.events;
  };
  const flat = (n: number, v = 2) => Array.from({ length: n }, (_, i) => v + 0.05 * Math.sin(i));

  it.each([
    ['SGD at lr 1.0: 2 then 15', [...flat(30), 15, ...flat(10)], [30]],
    ['a noisy but steady loss', flat(200), []],
    ['a small loss that doubles (less than the minimum jump)', [...flat(30, 0.1), 0.4], []],
    ['a spike before the warm-up is over', [...flat(5), 20, ...flat(30)], []],
    ['one spike per epoch at most', [...flat(30), 15, 16, ...flat(10)], [30]],
  ])('%s', (_, losses, steps) => {
    const events = run(losses);
    expect(events.map((e) => e.step)).toEqual(steps);
    for (const e of events) expect(e.message).toMatch(/jumped from about 2\.\d\d to 1\d\.\d\d.*learning rate is probably too high/);
  });

  it('a spike in each of two epochs is reported twice', () => {
    expect(run([...flat(30), 15, ...flat(10), 15, ...flat(5)], 35).map((e) => e.epoch)).toEqual([1, 2]);
  });
});
