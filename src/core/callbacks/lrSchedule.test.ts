import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { lrSchedule } from './lrSchedule';
import { testContext } from '../testing/trainContext';
import { getLearningRate } from '../optimizers/learningRate';
import { SCHEDULES, defaultParams, type ScheduleConfig, type ScheduleId } from '../schedules/schedules';
import type { EpochLogs, StatefulCallback } from './types';

const optimizers: tf.Optimizer[] = [];
afterEach(() => optimizers.splice(0).forEach((o) => o.dispose()));

function setup(schedule: ScheduleConfig, lr0: number, epochs: number, batchesPerEpoch: number) {
  const optimizer = tf.train.sgd(lr0 * 7); // not lr0: the callback must set the starting rate itself
  optimizers.push(optimizer);
  const ctx = testContext({ optimizer, epochs, batchesPerEpoch });
  return { cb: lrSchedule({ schedule, learningRate: lr0 }), ctx, optimizer };
}

/**
 * Drives the hooks as the training loop does for epochs [from, to) and returns the rate the
 * optimizer held at each batch. `logs(epoch)` gives the epoch's metrics.
 */
async function drive(
  cb: StatefulCallback,
  ctx: ReturnType<typeof setup>['ctx'],
  range: { from?: number; to: number; begin?: boolean },
  logs: (epoch: number) => EpochLogs = () => ({ loss: 1, acc: 0.5 }),
): Promise<number[][]> {
  if (range.begin !== false) await cb.onTrainBegin!(ctx);
  const seen: number[][] = [];
  let step = (range.from ?? 0) * ctx.batchesPerEpoch;
  for (let epoch = range.from ?? 0; epoch < range.to; epoch++) {
    await cb.onEpochBegin!(epoch, ctx);
    const rates: number[] = [];
    for (let batch = 0; batch < ctx.batchesPerEpoch; batch++) {
      await cb.onBatchBegin!({ epoch, batch, step: step++ }, ctx);
      rates.push(getLearningRate(ctx.optimizer));
    }
    seen.push(rates);
    await cb.onEpochEnd!({ epoch, logs: logs(epoch), samples: 1, trainMs: 1, numTensors: 0 }, ctx);
  }
  return seen;
}

const sched = (id: ScheduleId, stepPer: 'batch' | 'epoch', params: Record<string, number> = {}): ScheduleConfig => ({
  id,
  stepPer,
  params: { ...defaultParams(id), ...params },
});

describe('lrSchedule, planned schedules', () => {
  it.each<[string, ScheduleConfig]>([
    ['cosine per batch', sched('cosine', 'batch', { minLr: 0.001 })],
    ['time-based per batch', sched('time', 'batch', { decay: 0.3 })],
    ['step staircase per epoch', sched('step', 'epoch', { rate: 0.5, steps: 2, staircase: 1 })],
    ['fixed decay per epoch, hitting its floor', sched('fixed', 'epoch', { decay: 0.004, floor: 0.0005 })],
    ['constant', sched('constant', 'batch')],
  ])('%s: every batch runs at the formula’s rate for its step', async (_name, schedule) => {
    const { cb, ctx } = setup(schedule, 0.01, 4, 3);
    const seen = await drive(cb, ctx, { to: 4 });
    const total = schedule.stepPer === 'batch' ? 12 : 4;
    const formula = (t: number) => SCHEDULES[schedule.id].lr!(t, { lr0: 0.01, params: schedule.params, totalSteps: total });
    const expected = [0, 1, 2, 3].map((e) =>
      [0, 1, 2].map((b) => formula(schedule.stepPer === 'batch' ? e * 3 + b : e)),
    );
    expect(seen).toEqual(expected);
    expect(ctx.events).toEqual([]);
  });

  it('resets at the start of each run', async () => {
    const { cb, ctx } = setup(sched('time', 'epoch', { decay: 1 }), 0.01, 3, 1);
    const first = await drive(cb, ctx, { to: 3 });
    const second = await drive(cb, ctx, { to: 3 });
    expect(second).toEqual(first);
    expect(first.flat()).toEqual([0.01, 0.005, 0.01 / 3]);
  });

  it.each<[string, ScheduleConfig]>([
    ['cosine per batch', sched('cosine', 'batch')],
    ['step per epoch', sched('step', 'epoch', { rate: 0.7, steps: 1, staircase: 0 })],
  ])('%s: a run resumed from its saved state continues exactly', async (_name, schedule) => {
    const whole = setup(schedule, 0.01, 5, 4);
    const all = await drive(whole.cb, whole.ctx, { to: 5 });

    const a = setup(schedule, 0.01, 5, 4);
    const head = await drive(a.cb, a.ctx, { to: 2 });
    const saved = JSON.parse(JSON.stringify(a.cb.getState()));
    // The resumed run: a new callback and a new optimizer at the first rate; the loop calls
    // onTrainBegin, then setState, then goes on from epoch 2.
    const b = setup(schedule, 0.01, 5, 4);
    await b.cb.onTrainBegin!(b.ctx);
    b.cb.setState(saved);
    const tail = await drive(b.cb, b.ctx, { from: 2, to: 5, begin: false });
    expect([...head, ...tail]).toEqual(all);
  });
});

describe('lrSchedule, reduce on plateau', () => {
  const plateau = (params: Record<string, number>, monitor: ScheduleConfig['monitor'] = 'val_loss'): ScheduleConfig => ({
    ...sched('plateau', 'epoch', params),
    monitor,
  });
  it.each<[string, ScheduleConfig, number[], number[], number[]]>([
    // name, schedule, monitored value per epoch, rate in each epoch, epochs (1-based) with a reduction
    ['improving every epoch: no change', plateau({ patience: 2 }), [1, 0.9, 0.8, 0.7], [0.01, 0.01, 0.01, 0.01], []],
    [
      'patience 2: halves after two epochs without improvement, then counts again',
      plateau({ patience: 2, factor: 0.5 }),
      [1, 1.1, 1.2, 1.3, 1.4, 0.5],
      [0.01, 0.01, 0.01, 0.005, 0.005, 0.0025],
      [3, 5],
    ],
    [
      'min_delta: a gain smaller than it does not count',
      plateau({ patience: 1, factor: 0.5, minDelta: 0.05 }),
      [1, 0.97, 0.9],
      [0.01, 0.01, 0.005],
      [2],
    ],
    [
      // As Keras: the epoch that ends the cooldown counts again (without it: 2, 3, 4, 5).
      'cooldown: waits that many epochs after a reduction',
      plateau({ patience: 1, factor: 0.5, cooldown: 2 }),
      [1, 2, 2, 2, 2],
      [0.01, 0.01, 0.005, 0.005, 0.0025],
      [2, 4],
    ],
    [
      'min_lr: never below, and no reduction once there',
      plateau({ patience: 1, factor: 0.1, minLr: 0.0005 }),
      [1, 2, 2, 2],
      [0.01, 0.01, 0.001, 0.0005],
      [2, 3],
    ],
    [
      'accuracy is watched for a rise (mode auto = max)',
      plateau({ patience: 1, factor: 0.5 }, 'val_acc'),
      [0.5, 0.6, 0.55, 0.7],
      [0.01, 0.01, 0.01, 0.005],
      [3],
    ],
  ])('%s', async (_name, schedule, values, rates, reducedAt) => {
    const { cb, ctx } = setup(schedule, 0.01, values.length, 2);
    const monitor = schedule.monitor!;
    const seen = await drive(cb, ctx, { to: values.length }, (e) => ({ loss: 9, acc: 0, [monitor]: values[e]! }));
    expect(seen.map((r) => r[0])).toEqual(rates.map((r) => expect.closeTo(r, 15)));
    seen.forEach((r) => expect(r[1]).toBe(r[0])); // only epoch ends change it
    expect(ctx.events.map((e) => e.epoch)).toEqual(reducedAt);
    ctx.events.forEach((e) => expect(e.kind).toBe('lrReduced'));
  });

  it('explains each reduction in a sentence, with the new rate as the value', async () => {
    const { cb, ctx } = setup(plateau({ patience: 3, factor: 0.5 }), 0.001, 5, 1);
    await drive(cb, ctx, { to: 5 }, (e) => ({ loss: 1, acc: 0.5, val_loss: [0.5, 0.6, 0.6, 0.7, 0.8][e]! }));
    expect(ctx.events).toEqual([
      {
        kind: 'lrReduced',
        epoch: 4,
        value: 0.0005,
        message: 'Validation loss has not improved for 3 epochs: learning rate reduced from 0.001 to 0.0005.',
      },
    ]);
  });

  it('says so when the minimum is reached', async () => {
    const { cb, ctx } = setup(plateau({ patience: 0, factor: 0.1, minLr: 0.0005 }, 'acc'), 0.001, 2, 1);
    await drive(cb, ctx, { to: 2 }, () => ({ loss: 1, acc: 0.5 }));
    expect(ctx.events.map((e) => e.message)).toEqual([
      'Training accuracy has not improved for 1 epoch: learning rate reduced from 0.001 to 0.0005. ' +
        'That is the minimum learning rate set, so it will not drop further.',
    ]);
  });

  it('ignores epochs without the watched metric', async () => {
    const { cb, ctx } = setup(plateau({ patience: 0 }), 0.01, 3, 1);
    const seen = await drive(cb, ctx, { to: 3 });
    expect(seen.flat()).toEqual([0.01, 0.01, 0.01]);
    expect(ctx.events).toEqual([]);
  });

  it('resumes with its counters: the reduction comes when it would have without the break', async () => {
    const schedule = plateau({ patience: 3, factor: 0.5 });
    const values = [1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6];
    const logs = (e: number) => ({ loss: 1, acc: 0, val_loss: values[e]! });
    const whole = setup(schedule, 0.01, 7, 1);
    const all = await drive(whole.cb, whole.ctx, { to: 7 }, logs);

    const a = setup(schedule, 0.01, 7, 1);
    const head = await drive(a.cb, a.ctx, { to: 3 }, logs);
    const saved = JSON.parse(JSON.stringify(a.cb.getState()));
    expect(saved).toMatchObject({ best: 1, wait: 2 });
    const b = setup(schedule, 0.01, 7, 1);
    await b.cb.onTrainBegin!(b.ctx);
    b.cb.setState(saved);
    const tail = await drive(b.cb, b.ctx, { from: 3, to: 7, begin: false }, logs);
    expect([...head, ...tail]).toEqual(all);
    expect(b.ctx.events.map((e) => e.epoch)).toEqual(whole.ctx.events.map((e) => e.epoch));
    expect(whole.ctx.events.map((e) => e.epoch)).toEqual([4, 7]);
  });

  it('keeps its state when handed something that is not a saved state', async () => {
    const { cb, ctx } = setup(plateau({}), 0.01, 1, 1);
    await cb.onTrainBegin!(ctx);
    const before = cb.getState();
    cb.setState(null);
    cb.setState('garbage');
    expect(cb.getState()).toEqual(before);
  });
});
