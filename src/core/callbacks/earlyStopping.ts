/**
 * Early stopping with Keras semantics (monitor, mode, patience, min_delta, baseline,
 * restore_best_weights), and a restore that works: tfjs 4.22's own
 * `tf.callbacks.earlyStopping({restoreBestWeights: true})` throws "not implemented".
 *
 * One difference from Keras, for learners: Keras restores the best weights only when it stops
 * early; this callback also restores them when the run ends any other way (all epochs done,
 * Stop pressed, another callback stopped it) while the model is not at its best epoch, and
 * says so in the run's message.
 */
import * as tf from '@tensorflow/tfjs';
import { isImprovement, MONITOR_LABELS, readMonitor, resolveMode, type MonitorId, type MonitorMode } from './monitor';
import type { JsonValue, StatefulCallback, StopReason, TrainContext } from './types';

export interface EarlyStoppingOptions {
  monitor?: MonitorId;
  mode?: MonitorMode;
  /** Epochs without improvement before stopping (Keras `patience`). */
  patience?: number;
  /** Smallest change that counts as an improvement (absolute, Keras `min_delta`). */
  minDelta?: number;
  /** The monitored value must beat this too before the patience count resets. */
  baseline?: number | null;
  /** Keep a copy of the best epoch's weights and put them back at the end. */
  restoreBestWeights?: boolean;
  /**
   * Measures the monitored value again after the best weights were restored (e.g. evaluates
   * the validation split); its result goes in the 'restoredBest' event, so the learner (and
   * the tests) can see that the restored model really scores like the best epoch.
   */
  remeasure?: () => Promise<number | null>;
}

/** What a checkpoint stores so that a resumed run goes on counting where it stopped. */
export interface EarlyStoppingState {
  best: number | null;
  /** 0-based epoch of `best`, or -1 before the first epoch. */
  bestEpoch: number;
  wait: number;
}

export interface EarlyStoppingCallback extends StatefulCallback {
  /**
   * The best epoch's weights (in `model.getWeights()` order) or null. Borrowed: the callback
   * owns and disposes them; clone them to keep them.
   */
  getBestWeights(): tf.Tensor[] | null;
  /**
   * Replaces the kept best weights with clones of `weights` (the caller keeps its own), e.g.
   * when resuming from a checkpoint; `epoch` (0-based) is the epoch they come from, by default
   * the best epoch of the state.
   */
  setBestWeights(weights: tf.Tensor[] | null, epoch?: number): void;
  /** Frees the kept weights (also done at the end of every run). */
  dispose(): void;
}

const fmt = (v: number) => (Math.abs(v) >= 0.001 || v === 0 ? v.toFixed(3) : v.toPrecision(3));

export function earlyStopping(options: EarlyStoppingOptions = {}): EarlyStoppingCallback {
  const monitor = options.monitor ?? 'val_loss';
  const mode = resolveMode(monitor, options.mode ?? 'auto');
  const patience = Math.max(0, Math.floor(options.patience ?? 0));
  const minDelta = Math.abs(options.minDelta ?? 0);
  const baseline = options.baseline ?? null;
  const restore = options.restoreBestWeights ?? false;
  const label = MONITOR_LABELS[monitor];

  let state: EarlyStoppingState = { best: null, bestEpoch: -1, wait: 0 };
  let bestWeights: tf.Tensor[] | null = null;
  /** The 0-based epoch `bestWeights` come from (differs from state.bestEpoch after a resume without them). */
  let weightsEpoch = -1;
  /** True while the model holds the best epoch's weights (no batch has run since). */
  let atBest = false;
  let stoppedEpoch = -1;
  let lastEpoch = -1;

  const keep = (weights: tf.Tensor[] | null, epoch = state.bestEpoch) => {
    if (bestWeights) tf.dispose(bestWeights);
    bestWeights = weights ? weights.map((w) => tf.clone(w)) : null;
    weightsEpoch = weights ? epoch : -1;
  };

  return {
    stateKey: 'earlyStopping',
    getState: () => ({ ...state }) as unknown as JsonValue,
    setState(s) {
      const o = (s ?? {}) as Partial<EarlyStoppingState>;
      state = {
        best: typeof o.best === 'number' ? o.best : null,
        bestEpoch: typeof o.bestEpoch === 'number' ? o.bestEpoch : -1,
        wait: typeof o.wait === 'number' ? o.wait : 0,
      };
    },
    getBestWeights: () => bestWeights,
    setBestWeights: keep,
    dispose: () => keep(null),

    onTrainBegin() {
      state = { best: null, bestEpoch: -1, wait: 0 };
      keep(null);
      atBest = false;
      stoppedEpoch = -1;
      lastEpoch = -1;
    },

    onBatchBegin() {
      atBest = false;
    },

    onEpochEnd({ epoch, logs }, ctx) {
      lastEpoch = epoch;
      const current = readMonitor(logs, monitor);
      if (current === null) return;
      // As Keras: without any improvement at all, the first epoch's weights are the fallback.
      // (After a resume without the best weights, this epoch's are the fallback instead.)
      if (restore && bestWeights === null) {
        if (state.best === null) state.bestEpoch = epoch;
        keep(ctx.model.getWeights(), epoch);
        atBest = true;
      }
      state.wait += 1;
      if (isImprovement(current, state.best, { mode, minDelta })) {
        state.best = current;
        state.bestEpoch = epoch;
        if (restore) keep(ctx.model.getWeights(), epoch);
        atBest = true;
        // Only a value that also beats the baseline restarts the count.
        if (baseline === null || isImprovement(current, baseline, { mode, minDelta })) state.wait = 0;
        return;
      }
      if (state.wait >= patience && epoch > 0 && !ctx.stopTraining) {
        stoppedEpoch = epoch;
        ctx.stopTraining = true;
        const since =
          state.best === null
            ? `${label} was never a number`
            : baseline !== null && !isImprovement(state.best, baseline, { mode, minDelta })
              ? `${label} never beat the baseline ${fmt(baseline)} (best ${fmt(state.best)} at epoch ${state.bestEpoch + 1})`
              : `${label} has not improved${minDelta > 0 ? ` by more than ${minDelta}` : ''} for ${state.wait} epoch${state.wait === 1 ? '' : 's'} since its best, ${fmt(state.best)} at epoch ${state.bestEpoch + 1}`;
        const message = `Stopped early after epoch ${epoch + 1}: ${since} (patience ${patience}).`;
        ctx.stopMessage = message;
        ctx.emit({ kind: 'earlyStop', epoch: epoch + 1, message, value: current });
      }
    },

    async onTrainEnd(reason: StopReason, ctx: TrainContext) {
      try {
        if (reason === 'error' || state.best === null) return;
        const bestText = `${label} ${fmt(state.best)}`;
        // Sparingly: one best-epoch marker per run, and only when there was a choice.
        if (lastEpoch > 0) {
          ctx.emit({
            kind: 'bestEpoch',
            epoch: state.bestEpoch + 1,
            message: `Best epoch: ${state.bestEpoch + 1} (${bestText}).`,
            value: state.best,
          });
        }
        if (!restore || !bestWeights || atBest) return;
        ctx.model.setWeights(bestWeights);
        atBest = true;
        const measured = options.remeasure ? await options.remeasure() : null;
        const check = measured === null ? '' : ` Measured again after restoring: ${fmt(measured)}.`;
        const why = stoppedEpoch >= 0 ? '' : ' The model had moved on from its best epoch, so it now holds the best epoch\'s weights again.';
        const message =
          weightsEpoch === state.bestEpoch
            ? `Restored the weights of epoch ${state.bestEpoch + 1} (${bestText}).${why}${check}`
            : `Restored the weights of epoch ${weightsEpoch + 1}, the best since the run resumed; the best epoch, ` +
              `${state.bestEpoch + 1} (${bestText}), came before the resume: restore its checkpoint to get it back.${check}`;
        ctx.emit({ kind: 'restoredBest', epoch: lastEpoch + 1, message, value: measured ?? state.best });
        const done = lastEpoch + 1;
        const before =
          ctx.stopMessage ??
          (reason === 'stopped' ? `Stopped after ${done} complete epoch${done === 1 ? '' : 's'}; the curves are kept.` : null);
        ctx.stopMessage = before ? `${before} ${message}` : message;
      } finally {
        keep(null);
      }
    },
  };
}
