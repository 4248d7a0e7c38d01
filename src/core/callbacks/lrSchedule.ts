import type { JsonValue, StatefulCallback, TrainContext } from './types';
import { isImprovement, MONITOR_LABELS, readMonitor, resolveMode, type MonitorId } from './monitor';
import { getLearningRate, setLearningRate } from '../optimizers/learningRate';
import { SCHEDULES, formatLr, isPlanned, resolveParams, totalSteps, type ScheduleConfig } from '../schedules/schedules';

export interface LrScheduleOptions {
  schedule: ScheduleConfig;
  /** The learning rate of the settings: where every schedule starts. */
  learningRate: number;
}

/** What a checkpoint keeps so that a resumed run continues the schedule exactly. */
interface LrScheduleState {
  /** Steps (batches or epochs) already given a rate. */
  position: number;
  /** Steps in the planned run, fixed when the run began (cosine depends on it). */
  total: number;
  /** The current rate of reduce-on-plateau. */
  lr: number;
  best: number | null;
  wait: number;
  cooldown: number;
}

/**
 * Sets the optimizer's learning rate by `schedule`: before each batch (`stepPer: 'batch'`) or
 * each epoch (`'epoch'`) for the planned schedules; reduce-on-plateau acts only at epoch ends
 * (Keras' ReduceLROnPlateau: monitor, factor, patience, min_delta, cooldown, min_lr) and
 * emits an 'lrReduced' event with the new rate each time it lowers it.
 */
export function lrSchedule(options: LrScheduleOptions): StatefulCallback {
  const { schedule, learningRate: lr0 } = options;
  const info = SCHEDULES[schedule.id];
  if (!info) throw new Error(`Unknown learning-rate schedule "${String(schedule.id)}".`);
  const params = resolveParams(schedule);
  const planned = isPlanned(schedule.id);
  const monitor: MonitorId = schedule.monitor ?? 'val_loss';
  const mode = resolveMode(monitor);
  let state: LrScheduleState = fresh(0);
  let optimizer: TrainContext['optimizer'] | null = null;

  function fresh(total: number): LrScheduleState {
    return { position: 0, total, lr: lr0, best: null, wait: 0, cooldown: 0 };
  }
  const apply = (lr: number) => {
    if (optimizer && getLearningRate(optimizer) !== lr) setLearningRate(optimizer, lr);
  };
  /** Gives the next planned step its rate. */
  const advance = () => {
    apply(info.lr!(state.position, { lr0, params, totalSteps: state.total }));
    state.position++;
  };

  return {
    stateKey: 'lrSchedule',
    onTrainBegin(ctx) {
      optimizer = ctx.optimizer;
      state = fresh(totalSteps(schedule.stepPer, ctx.epochs, ctx.batchesPerEpoch));
      apply(lr0);
    },
    onEpochBegin() {
      if (!planned) apply(state.lr);
      else if (schedule.stepPer === 'epoch') advance();
    },
    onBatchBegin() {
      if (planned && schedule.stepPer === 'batch') advance();
    },
    onEpochEnd(summary, ctx) {
      if (planned) return;
      const current = readMonitor(summary.logs, monitor);
      if (current === null) return;
      if (state.cooldown > 0) {
        state.cooldown--;
        state.wait = 0;
      }
      if (isImprovement(current, state.best, { mode, minDelta: params.minDelta })) {
        state.best = current;
        state.wait = 0;
        return;
      }
      if (state.cooldown > 0) return;
      state.wait++;
      if (state.wait < params.patience! || !(state.lr > params.minLr!)) return;
      const old = state.lr;
      const lr = Math.max(old * params.factor!, params.minLr!);
      const waited = state.wait;
      state.lr = lr;
      state.wait = 0;
      state.cooldown = params.cooldown!;
      apply(lr);
      const what = MONITOR_LABELS[monitor];
      ctx.emit({
        kind: 'lrReduced',
        epoch: summary.epoch + 1,
        value: lr,
        message:
          `${what[0]!.toUpperCase()}${what.slice(1)} has not improved for ${waited} epoch${waited === 1 ? '' : 's'}: ` +
          `learning rate reduced from ${formatLr(old)} to ${formatLr(lr)}.` +
          (lr <= params.minLr! ? ' That is the minimum learning rate set, so it will not drop further.' : ''),
      });
    },
    getState(): JsonValue {
      return { ...state };
    },
    setState(saved: JsonValue) {
      const s = saved as unknown as Partial<LrScheduleState> | null;
      const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
      if (!s || typeof s !== 'object') return;
      state = {
        position: num(s.position, state.position),
        total: num(s.total, state.total),
        lr: num(s.lr, state.lr),
        best: typeof s.best === 'number' ? s.best : null,
        wait: num(s.wait, 0),
        cooldown: num(s.cooldown, 0),
      };
      if (!planned) apply(state.lr);
    },
  };
}
