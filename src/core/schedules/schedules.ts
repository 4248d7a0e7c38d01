/**
 * Learning-rate schedules, keyed by id (`SCHEDULES`): what the UI shows about each one, its
 * parameters, and for the planned ones a pure `lr(t)` over the run's planned steps. Pure data
 * and arithmetic (no tfjs), so components, the worker and Node tests share it; the callback
 * that applies a schedule to an optimizer is `core/callbacks/lrSchedule.ts`.
 *
 * A step `t` counts the updates already taken (0 for the first), per batch or per epoch:
 * per batch, t is the batch index since training began; per epoch, the epoch index.
 */
import { MONITOR_LABELS, monitorProblem, type MonitorId } from '../callbacks/monitor';

export type ScheduleId = 'constant' | 'fixed' | 'time' | 'step' | 'cosine' | 'plateau';
export type StepPer = 'batch' | 'epoch';

/** A schedule as plain data, as the config, the URL and saved experiments hold it. */
export interface ScheduleConfig {
  id: ScheduleId;
  /** When a planned schedule moves one step; reduce-on-plateau always acts at epoch ends. */
  stepPer: StepPer;
  /** Values of the schedule's parameters by key; a missing key takes the default. */
  params: Record<string, number>;
  /** What reduce-on-plateau watches (default val_loss). */
  monitor?: MonitorId;
}

export interface ScheduleParam {
  key: string;
  label: string;
  default: number;
  /** Inclusive bounds. */
  min: number;
  max: number;
  integer?: boolean;
  /** A yes/no switch stored as 0 or 1 (the staircase option). */
  toggle?: boolean;
  /** A few words under the field. */
  hint?: string;
}

/** What a planned schedule's formula needs besides the step. */
export interface PlanInputs {
  /** The learning rate set in the form: the schedule's starting rate. */
  lr0: number;
  params: Record<string, number>;
  /** Steps in the whole planned run (epochs × batches per epoch, or epochs). */
  totalSteps: number;
}

export interface ScheduleInfo {
  id: ScheduleId;
  label: string;
  /** One sentence for the learner, with the formula. */
  description: string;
  params: ScheduleParam[];
  /** The rate at step t; absent for reactive schedules (reduce-on-plateau). */
  lr?(t: number, p: PlanInputs): number;
}

const P = (p: PlanInputs, key: string) => p.params[key]!;

export const SCHEDULES: Record<ScheduleId, ScheduleInfo> = {
  constant: {
    id: 'constant',
    label: 'Constant',
    description: 'The learning rate stays as set for the whole run.',
    params: [],
    lr: (_t, p) => p.lr0,
  },
  fixed: {
    id: 'fixed',
    label: 'Fixed decay',
    description:
      'Subtracts the same amount after every step, lr = lr0 − decay·t, until it reaches a small positive floor.',
    params: [
      { key: 'decay', label: 'Decay per step', default: 0.00005, min: 0, max: 1, hint: 'subtracted after each step' },
      { key: 'floor', label: 'Floor', default: 0.000001, min: 1e-10, max: 1, hint: 'the rate never goes below this' },
    ],
    lr: (t, p) => Math.max(P(p, 'floor'), p.lr0 - P(p, 'decay') * t),
  },
  time: {
    id: 'time',
    label: 'Time-based decay',
    description: 'Keras’ classic decay: lr = lr0 / (1 + decay·t), fast at first, then ever slower.',
    params: [{ key: 'decay', label: 'Decay', default: 0.1, min: 0, max: 1000, hint: 'at t = 1/decay the rate is halved' }],
    lr: (t, p) => p.lr0 / (1 + P(p, 'decay') * t),
  },
  step: {
    id: 'step',
    label: 'Step (exponential) decay',
    description:
      'Multiplies the rate by the decay rate every N steps, lr = lr0 · rate^(t / N); with staircase it drops in whole steps.',
    params: [
      { key: 'rate', label: 'Decay rate', default: 0.5, min: 0.01, max: 1, hint: 'factor applied every N steps' },
      { key: 'steps', label: 'Every N steps', default: 3, min: 1, max: 1e9, integer: true },
      { key: 'staircase', label: 'Staircase (drop in whole steps)', default: 1, min: 0, max: 1, integer: true, toggle: true },
    ],
    lr: (t, p) => {
      const k = t / P(p, 'steps');
      return p.lr0 * P(p, 'rate') ** (P(p, 'staircase') ? Math.floor(k) : k);
    },
  },
  cosine: {
    id: 'cosine',
    label: 'Cosine',
    description:
      'Follows half a cosine from lr0 down to the minimum over the planned run: lr = min + (lr0 − min)·(1 + cos(π·t / total))/2.',
    params: [
      { key: 'minLr', label: 'Minimum learning rate', default: 0, min: 0, max: 10, hint: 'reached at the end of the run' },
    ],
    lr: (t, p) => {
      const min = P(p, 'minLr');
      const total = Math.max(1, p.totalSteps);
      const w = (1 + Math.cos((Math.PI * Math.min(t, total)) / total)) / 2;
      return w * p.lr0 + (1 - w) * min; // = min + (lr0 − min)·w, exactly lr0 at t = 0
    },
  },
  plateau: {
    id: 'plateau',
    label: 'Reduce on plateau',
    description:
      'Keeps the rate until the watched metric stops improving for “patience” epochs, then multiplies it by the factor.',
    params: [
      { key: 'factor', label: 'Factor', default: 0.5, min: 0.01, max: 0.99, hint: 'new rate = rate × factor' },
      { key: 'patience', label: 'Patience (epochs)', default: 3, min: 0, max: 1000, integer: true },
      { key: 'minDelta', label: 'Minimum change', default: 0.0001, min: 0, max: 1000, hint: 'smaller changes do not count as improving' },
      { key: 'cooldown', label: 'Cooldown (epochs)', default: 0, min: 0, max: 1000, integer: true, hint: 'epochs to wait after a reduction' },
      { key: 'minLr', label: 'Minimum learning rate', default: 0, min: 0, max: 10 },
    ],
  },
};

export const SCHEDULE_IDS = Object.keys(SCHEDULES) as ScheduleId[];
export const MONITOR_IDS = Object.keys(MONITOR_LABELS) as MonitorId[];

/** The default: no schedule, the rate stays as set. */
export function defaultSchedule(): ScheduleConfig {
  return { id: 'constant', stepPer: 'epoch', params: {} };
}

/** The default parameters of schedule `id`. */
export function defaultParams(id: ScheduleId): Record<string, number> {
  return Object.fromEntries((SCHEDULES[id]?.params ?? []).map((p) => [p.key, p.default]));
}

/** The schedule's parameters with defaults filled in for missing keys (older saved configs). */
export function resolveParams(s: ScheduleConfig): Record<string, number> {
  const out = defaultParams(s.id);
  for (const key of Object.keys(out)) if (typeof s.params?.[key] === 'number') out[key] = s.params[key]!;
  return out;
}

/** Steps in the planned run: one per batch, or one per epoch. */
export function totalSteps(stepPer: StepPer, epochs: number, batchesPerEpoch: number): number {
  return stepPer === 'batch' ? epochs * batchesPerEpoch : epochs;
}

/** True for schedules whose rate is known in advance (all but reduce-on-plateau). */
export function isPlanned(id: ScheduleId): boolean {
  return typeof SCHEDULES[id]?.lr === 'function';
}

/** A learning rate in few digits: 0.001, 0.0005, 2.45e-5. */
export function formatLr(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return String(Number(v.toPrecision(3)));
}

/** One problem with a schedule setting; `param` names the parameter field when it is one. */
export interface ScheduleIssue {
  param?: string;
  message: string;
}

/** Every problem with `s`, in words for a learner; empty when it can run. */
export function scheduleIssues(
  s: ScheduleConfig,
  c: { learningRate: number; validationSplit: number },
): ScheduleIssue[] {
  const info = SCHEDULES[s.id];
  if (!info) {
    const names = SCHEDULE_IDS.map((id) => SCHEDULES[id].label).join(', ');
    return [{ message: `The learning-rate schedule "${String(s.id)}" is unknown. Choose one of: ${names}.` }];
  }
  const issues: ScheduleIssue[] = [];
  if (s.stepPer !== 'batch' && s.stepPer !== 'epoch') {
    issues.push({ message: 'Choose whether the schedule steps once per batch or once per epoch.' });
  }
  const params = resolveParams(s);
  for (const p of info.params) {
    const v = params[p.key]!;
    const ok = Number.isFinite(v) && v >= p.min && v <= p.max && (!p.integer || Number.isInteger(v));
    if (ok) continue;
    const range = p.toggle ? 'on or off' : `${p.integer ? 'a whole number' : 'a number'} from ${formatLr(p.min)} to ${formatLr(p.max)}`;
    issues.push({ param: p.key, message: `${p.label} must be ${range}${p.hint ? ` (${p.hint})` : ''}.` });
  }
  const lr0 = c.learningRate;
  const below = (key: string, what: string, why: string) => {
    const v = params[key]!;
    if (Number.isFinite(lr0) && lr0 > 0 && Number.isFinite(v) && v >= lr0) {
      issues.push({
        param: key,
        message: `The ${what} (${formatLr(v)}) must be below the learning rate (${formatLr(lr0)}): ${why} Lower it, or raise the learning rate.`,
      });
    }
  };
  if (s.id === 'fixed') below('floor', 'floor', 'the rate starts at the learning rate and decays down to the floor.');
  if (s.id === 'cosine') below('minLr', 'minimum learning rate', 'the cosine goes down from the learning rate to the minimum.');
  if (s.id === 'plateau') {
    below('minLr', 'minimum learning rate', 'otherwise the rate could never be reduced.');
    const monitor = s.monitor ?? 'val_loss';
    if (!MONITOR_IDS.includes(monitor)) {
      issues.push({ message: `Reduce on plateau cannot watch "${String(monitor)}": choose validation or training loss or accuracy.` });
    } else {
      const problem = monitorProblem(monitor, c.validationSplit > 0);
      if (problem) issues.push({ param: 'monitor', message: `Reduce on plateau cannot work this way. ${problem}` });
    }
  }
  return issues;
}
