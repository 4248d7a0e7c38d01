import { describe, expect, it } from 'vitest';
import { generalizationGap, overfittingDetector, type OverfittingOptions } from './overfitting';
import { testContext } from '../testing/trainContext';
import type { EpochLogs } from './types';

/** Runs the detector over [loss, val_loss] pairs; returns the events as "kind@epoch". */
function detect(curves: [number, number | null][], opts: OverfittingOptions = {}) {
  const cb = overfittingDetector(opts);
  const ctx = testContext({ epochs: curves.length });
  void cb.onTrainBegin!(ctx);
  curves.forEach(([loss, val], epoch) => {
    const logs: EpochLogs = { loss, acc: 0.5, ...(val === null ? {} : { val_loss: val, val_acc: 0.5 }) };
    void cb.onEpochEnd!({ epoch, logs, samples: 1, trainMs: 1, numTensors: 0 }, ctx);
  });
  return { marks: ctx.events.map((e) => `${e.kind}@${e.epoch}`), events: ctx.events, cb };
}

describe('overfittingDetector', () => {
  it.each([
    ['both falling', [[1, 1.1], [0.8, 0.9], [0.6, 0.8], [0.5, 0.7]], []],
    ['one noisy validation epoch', [[1, 1.1], [0.8, 0.9], [0.6, 0.95], [0.5, 0.85], [0.4, 0.8]], []],
    ['validation rises from epoch 4', [[1, 1.1], [0.8, 0.9], [0.6, 0.8], [0.5, 0.85], [0.4, 0.9], [0.3, 1.0]], ['overfitting@4']],
    ['reported once per onset', [[1, 1.1], [0.8, 0.9], [0.6, 1], [0.5, 1.1], [0.4, 1.2], [0.3, 1.3]], ['overfitting@3']],
    ['a second onset after recovering', [[1, 1], [0.9, 1.1], [0.8, 1.2], [0.7, 0.5], [0.6, 0.6], [0.5, 0.7]], ['overfitting@2', 'overfitting@5']],
    ['validation rising with training rising too is not overfitting', [[1, 1], [1.01, 1.05], [1.02, 1.1], [1.03, 1.2]], []],
    ['min_delta ignores a tiny rise', [[1, 1], [0.9, 0.9], [0.8, 0.905], [0.7, 0.906]], []],
    ['both rising sharply is divergence', [[1, 1], [0.5, 0.6], [0.8, 0.9], [1.5, 1.6], [3, 3.2]], ['divergence@3']],
    ['one sharp rise is not yet divergence', [[1, 1], [0.5, 0.6], [0.8, 0.9], [0.7, 0.8]], []],
    ['training alone diverging without validation', [[1, null], [0.5, null], [0.8, null], [1.5, null]], ['divergence@3']],
  ] as [string, [number, number | null][], string[]][])('%s', (_, curves, expected) => {
    expect(detect(curves, { minDelta: 0.01 }).marks).toEqual(expected);
  });

  it('takes noise under 1% on a flat validation curve for noise, not a rise', () => {
    const flat: [number, number][] = [[1, 1], [0.9, 0.5], [0.8, 0.503], [0.7, 0.504], [0.6, 0.502]];
    expect(detect(flat).marks).toEqual([]);
    expect(detect(flat, { minRise: 0 }).marks).toEqual(['overfitting@3']);
  });

  it('explains the onset in a sentence with the gap as its value', () => {
    const { events } = detect([[1, 1.1], [0.8, 0.9], [0.6, 0.8], [0.5, 0.85], [0.4, 0.9], [0.3, 1.0]]);
    expect(events[0]!.message).toBe(
      'Overfitting begins around epoch 4: validation loss has stayed above its lowest (0.800 at epoch 3) for 2 epochs ' +
        'while training loss kept falling; the gap is now 0.500.',
    );
    expect(events[0]!.value).toBeCloseTo(0.5);
  });

  it('resets in onTrainBegin and carries its state through getState/setState', () => {
    const first = detect([[1, 1.1], [0.8, 0.9], [0.6, 1.0]]);
    const resumed = overfittingDetector();
    const ctx = testContext();
    void resumed.onTrainBegin!(ctx);
    resumed.setState(JSON.parse(JSON.stringify(first.cb.getState())));
    void resumed.onEpochEnd!({ epoch: 3, logs: { loss: 0.5, acc: 1, val_loss: 1.1 }, samples: 1, trainMs: 1, numTensors: 0 }, ctx);
    expect(ctx.events.map((e) => `${e.kind}@${e.epoch}`)).toEqual(['overfitting@3']);
    void resumed.onTrainBegin!(ctx);
    expect(resumed.getState()).toMatchObject({ minVal: null, above: 0 });
  });
});

describe('generalizationGap', () => {
  it.each([
    [{ loss: 0.2, acc: 0.95, val_loss: 0.5, val_acc: 0.9 }, 0.3, 0.05],
    [{ loss: 0.2, acc: 0.95 }, null, null],
    [{ loss: Number.NaN, acc: 0.95, val_loss: 0.5, val_acc: 0.9 }, null, 0.05],
  ] as [EpochLogs, number | null, number | null][])('%j -> loss gap %s, accuracy gap %s', (logs, loss, acc) => {
    const gap = generalizationGap(logs);
    if (loss === null) expect(gap.loss).toBeNull();
    else expect(gap.loss).toBeCloseTo(loss);
    if (acc === null) expect(gap.acc).toBeNull();
    else expect(gap.acc).toBeCloseTo(acc);
  });
});
