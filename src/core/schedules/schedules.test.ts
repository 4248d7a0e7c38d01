import { describe, expect, it } from 'vitest';
import {
  SCHEDULES,
  SCHEDULE_IDS,
  defaultParams,
  defaultSchedule,
  formatLr,
  resolveParams,
  scheduleIssues,
  totalSteps,
  type ScheduleConfig,
  type ScheduleId,
} from './schedules';
import { plannedBatchesPerEpoch, schedulePreview } from './preview';

const lrAt = (id: ScheduleId, t: number, params: Record<string, number> = {}, lr0 = 0.1, total = 100) =>
  SCHEDULES[id].lr!(t, { lr0, params: { ...defaultParams(id), ...params }, totalSteps: total });

describe('SCHEDULES formulas (the chapter’s, step t = updates already taken)', () => {
  it.each<[string, ScheduleId, number, Record<string, number>, number]>([
    ['constant', 'constant', 57, {}, 0.1],
    ['fixed: lr0 − decay·t', 'fixed', 10, { decay: 0.001 }, 0.09],
    ['fixed: floored at a small positive rate', 'fixed', 1000, { decay: 0.001, floor: 1e-6 }, 1e-6],
    ['time-based: lr0 / (1 + decay·t)', 'time', 4, { decay: 0.5 }, 0.1 / 3],
    ['step, continuous: lr0 · rate^(t/N)', 'step', 3, { rate: 0.5, steps: 2, staircase: 0 }, 0.1 * 0.5 ** 1.5],
    ['step, staircase: lr0 · rate^floor(t/N)', 'step', 3, { rate: 0.5, steps: 2, staircase: 1 }, 0.05],
    ['step with N = 1 is the chapter’s lr0 · decay^t', 'step', 4, { rate: 0.9, steps: 1, staircase: 0 }, 0.1 * 0.9 ** 4],
    ['cosine starts at lr0', 'cosine', 0, { minLr: 0.001 }, 0.1],
    ['cosine is halfway at half the run', 'cosine', 50, { minLr: 0.02 }, 0.06],
    ['cosine with min 0 is the chapter’s c·(1 + cos(πt/T)), c = lr0/2', 'cosine', 25, { minLr: 0 }, 0.05 * (1 + Math.cos(Math.PI / 4))],
    ['cosine stays at the minimum past the planned end', 'cosine', 150, { minLr: 0.01 }, 0.01],
  ])('%s', (_name, id, t, params, expected) => {
    expect(lrAt(id, t, params)).toBeCloseTo(expected, 12);
  });

  it('every planned schedule starts exactly at lr0 and never rises', () => {
    for (const id of SCHEDULE_IDS.filter((i) => SCHEDULES[i].lr)) {
      const values = Array.from({ length: 101 }, (_, t) => lrAt(id, t, id === 'cosine' ? { minLr: 0.001 } : {}, 0.01));
      expect(values[0], id).toBe(0.01);
      values.slice(1).forEach((v, i) => expect(v, `${id} at ${i + 1}`).toBeLessThanOrEqual(values[i]! + 1e-15));
      values.forEach((v) => expect(v, id).toBeGreaterThanOrEqual(0));
    }
  });

  it('each schedule has a label, one sentence, and defaults inside its own bounds', () => {
    for (const id of SCHEDULE_IDS) {
      const info = SCHEDULES[id];
      expect(info.id).toBe(id);
      expect(info.description).toMatch(/^[A-Z].*\.$/);
      for (const p of info.params) expect(p.default >= p.min && p.default <= p.max, `${id}.${p.key}`).toBe(true);
      expect(scheduleIssues({ id, stepPer: 'batch', params: defaultParams(id) }, { learningRate: 0.001, validationSplit: 0.1 })).toEqual([]);
    }
  });

  it('counts the planned steps per batch or per epoch', () => {
    expect(totalSteps('batch', 3, 9)).toBe(27);
    expect(totalSteps('epoch', 3, 9)).toBe(3);
  });

  it('fills missing parameters with defaults and ignores unknown ones', () => {
    expect(resolveParams({ id: 'step', stepPer: 'epoch', params: { rate: 0.2, bogus: 3 } })).toEqual({ rate: 0.2, steps: 3, staircase: 1 });
    expect(defaultSchedule()).toEqual({ id: 'constant', stepPer: 'epoch', params: {} });
  });

  it.each([
    [0.001, '0.001'],
    [0.0005, '0.0005'],
    [0.1 / 3, '0.0333'],
    [2.4471741852423235e-5, '0.0000245'],
    [1e-7, '1e-7'],
  ])('formatLr(%s) = %s', (v, s) => expect(formatLr(v)).toBe(s));
});

describe('scheduleIssues', () => {
  const base = { learningRate: 0.01, validationSplit: 0.1 };
  const s = (id: ScheduleId, params: Record<string, number> = {}, extra: Partial<ScheduleConfig> = {}): ScheduleConfig => ({
    id,
    stepPer: 'epoch',
    params: { ...defaultParams(id), ...params },
    ...extra,
  });
  it.each<[string, ScheduleConfig, Partial<typeof base>, RegExp | null, string?]>([
    ['valid cosine', s('cosine'), {}, null],
    ['unknown id', { id: 'warmup' as ScheduleId, stepPer: 'epoch', params: {} }, {}, /"warmup" is unknown\. Choose one of: Constant, .*Reduce on plateau\./],
    ['bad step unit', s('time', {}, { stepPer: 'week' as never }), {}, /once per batch or once per epoch/],
    ['empty field (NaN)', s('time', { decay: Number.NaN }), {}, /^Decay must be a number from 0 to 1000/, 'decay'],
    ['negative decay', s('fixed', { decay: -1 }), {}, /Decay per step must be a number from 0 to 1/, 'decay'],
    ['fractional N', s('step', { steps: 2.5 }), {}, /Every N steps must be a whole number from 1/, 'steps'],
    ['cosine minimum above lr0', s('cosine', { minLr: 0.05 }), {}, /minimum learning rate \(0\.05\) must be below the learning rate \(0\.01\)/, 'minLr'],
    ['fixed floor above lr0', s('fixed', { floor: 0.5 }), {}, /floor \(0\.5\) must be below/, 'floor'],
    ['plateau on val_loss without validation', s('plateau'), { validationSplit: 0 }, /validation split is 0/, 'monitor'],
    ['plateau on training loss without validation', s('plateau', {}, { monitor: 'loss' }), { validationSplit: 0 }, null],
    ['factor 1 would never reduce', s('plateau', { factor: 1 }), {}, /Factor must be a number from 0\.01 to 0\.99/, 'factor'],
  ])('%s', (_name, sched, over, message, param) => {
    const issues = scheduleIssues(sched, { ...base, ...over });
    if (!message) return expect(issues).toEqual([]);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toMatch(message);
    expect(issues[0]!.param).toBe(param);
  });
});

describe('schedulePreview', () => {
  const cfg = (schedule: ScheduleConfig, epochs = 4) => ({ schedule, learningRate: 0.01, epochs });

  it('per batch: one point per step while few, ending at the last epoch, matching the formula', () => {
    const p = schedulePreview(cfg({ id: 'cosine', stepPer: 'batch', params: { minLr: 0 } }), 5)!;
    expect(p.totalSteps).toBe(20);
    expect(p.points).toHaveLength(21);
    expect(p.points[0]).toEqual({ x: 0, lr: 0.01 });
    expect(p.points[10]!.x).toBe(2);
    expect(p.points[10]!.lr).toBeCloseTo(0.005, 12);
    expect(p.points.at(-1)!.x).toBe(4);
    expect(p.end).toBeCloseTo(0.005 * (1 + Math.cos((Math.PI * 19) / 20)), 12);
  });

  it('per epoch: one point per epoch', () => {
    const p = schedulePreview(cfg({ id: 'time', stepPer: 'epoch', params: { decay: 1 } }), 500)!;
    expect(p.points.map((q) => q.x)).toEqual([0, 1, 2, 3, 4]);
    expect(p.points.map((q) => q.lr)).toEqual([0.01, 0.005, 0.01 / 3, 0.0025, 0.0025]);
  });

  it('keeps a long per-batch run to about maxPoints points, with exact staircase edges', () => {
    const p = schedulePreview(cfg({ id: 'step', stepPer: 'batch', params: { rate: 0.5, steps: 1000, staircase: 1 } }, 10), 1688, 200)!;
    expect(p.totalSteps).toBe(16880);
    expect(p.points.length).toBeLessThan(240);
    const before = p.points.find((q) => q.x === 999 / 1688)!;
    const after = p.points.find((q) => q.x === 1000 / 1688)!;
    expect([before.lr, after.lr]).toEqual([0.01, 0.005]);
  });

  it('explains the floor when fixed decay reaches it', () => {
    const p = schedulePreview(cfg({ id: 'fixed', stepPer: 'epoch', params: { decay: 0.004, floor: 0.001 } }), 10)!;
    expect(p.points.map((q) => q.lr)).toEqual([0.01, 0.006, 0.002, 0.001, 0.001].map((v) => expect.closeTo(v, 12)));
    expect(p.notes[0]).toMatch(/^From epoch 4 on, .*stays at the floor 0\.001: at zero the weights would stop changing/);
  });

  it('warns where the rate becomes too small to move the weights', () => {
    const p = schedulePreview(cfg({ id: 'step', stepPer: 'batch', params: { rate: 0.5, steps: 3, staircase: 1 } }, 10), 100)!;
    // 0.01 · 0.5^k < 1e-7 first for k = 17, at step 51: batch 52, in epoch 1.
    expect(p.notes).toEqual(['The rate falls below 1e-7 at batch 52 (epoch 1): from there on the weights barely change. Step per epoch, or decay more slowly.']);
    const gentle = schedulePreview(cfg({ id: 'step', stepPer: 'epoch', params: { rate: 0.5, steps: 3, staircase: 1 } }, 10), 100)!;
    expect(gentle.notes).toEqual([]);
    const cosine = schedulePreview(cfg({ id: 'cosine', stepPer: 'batch', params: { minLr: 0 } }, 10), 1000)!;
    expect(cosine.end).toBeLessThan(1e-7);
    expect(cosine.notes).toEqual([]);
  });

  it('shows reduce-on-plateau as the starting rate and says it drops reactively', () => {
    const p = schedulePreview(cfg({ id: 'plateau', stepPer: 'epoch', params: defaultParams('plateau') }), 10)!;
    expect(p.points).toEqual([{ x: 0, lr: 0.01 }, { x: 4, lr: 0.01 }]);
    expect(p.notes[0]).toMatch(/cannot be planned.*by 0\.5 whenever the validation loss has not improved for 3 epochs/);
  });

  it('gives no curve for settings that cannot run', () => {
    expect(schedulePreview({ ...cfg(defaultSchedule()), learningRate: Number.NaN }, 10)).toBeNull();
    expect(schedulePreview(cfg({ id: 'time', stepPer: 'epoch', params: { decay: Number.NaN } }), 10)).toBeNull();
  });

  it('plans batches per epoch from the settings', () => {
    expect(plannedBatchesPerEpoch({ trainingExamples: 500, validationSplit: 0.1, batchSize: 50 })).toBe(9);
    expect(plannedBatchesPerEpoch({ trainingExamples: 60000, validationSplit: 0.1, batchSize: 32 })).toBe(1688);
  });
});
