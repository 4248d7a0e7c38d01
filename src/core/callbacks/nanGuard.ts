import type { Callback, JsonValue, StatefulCallback, TrainContext, TrainEvent } from './types';
import { formatCount } from '../format';

/** Cross-entropy of a confidently wrong answer: probabilities are clipped at 1e-7. */
export const CLIPPED_LOSS_MAX = -Math.log(1e-7); // ≈ 16.1

export interface NanGuardOptions {
  /** A batch loss above max(factor × the run's early loss, floor)… */
  explodeFactor?: number;
  explodeFloor?: number;
  /** …for this many batches in a row means the loss exploded. */
  explodeBatches?: number;
  /** An epoch loss above this means the loss exploded. */
  epochLossLimit?: number;
  /**
   * An epoch loss at or above this share of the clipped maximum (≈ 16.1) that is no lower
   * than the epoch before means the classifier diverged and is stuck at the clip.
   */
  plateauShare?: number;
  /**
   * Whether the loss is computed from clipped probabilities (default true). A model that ends
   * in a softmax has its loss computed from the logits, as Keras does: never clipped, so there
   * is no plateau to detect, and a diverging loss grows until the other rules stop it.
   */
  clippedLoss?: boolean;
}

/** The first batches whose losses set the run's early-loss reference. */
const REFERENCE_BATCHES = 5;

const CAUSES =
  'Usually the learning rate is too high, or the inputs are unscaled (raw 0–255 pixels). ' +
  'Lower the learning rate (e.g. divide it by 10) or pick a preprocessing, then train again. ' +
  'If checkpoints are on, you can also restore the last good one from the Checkpoints panel.';

const fmt = (v: number) => (Math.abs(v) >= 100 ? formatCount(v) : v.toFixed(2));

/**
 * Stops training, with an explanation, when the loss becomes NaN or infinite (every weight it
 * touches becomes NaN too, so going on would only waste time), when it explodes (many times
 * its early value for several batches, or an epoch loss in the thousands), or when a
 * classifier has diverged onto the clipped cross-entropy plateau near 16, where the loss stays
 * finite and a NaN check never fires.
 */
export function nanGuard(options: NanGuardOptions = {}): Callback & StatefulCallback {
  const factor = options.explodeFactor ?? 10;
  const floor = options.explodeFloor ?? 50;
  const needed = options.explodeBatches ?? 5;
  const epochLimit = options.epochLossLimit ?? 1e4;
  const plateau = options.clippedLoss === false ? Infinity : (options.plateauShare ?? 0.8) * CLIPPED_LOSS_MAX;

  let early: number[] = [];
  let over = 0;
  let previousEpochLoss: number | null = null;

  const stop = (ctx: TrainContext, event: Omit<TrainEvent, 'message'>, what: string) => {
    if (ctx.stopTraining) return;
    const message = `${what} ${CAUSES}`;
    ctx.stopTraining = true;
    ctx.stopMessage = message;
    ctx.emit({ ...event, message });
  };
  const reference = () => (early.length > 0 ? Math.min(...early) : null);

  return {
    stateKey: 'nanGuard',
    getState: () => ({ early, previousEpochLoss }) as unknown as JsonValue,
    setState(s) {
      const o = (s ?? {}) as { early?: unknown; previousEpochLoss?: unknown };
      early = Array.isArray(o.early) ? o.early.filter((v): v is number => typeof v === 'number') : [];
      previousEpochLoss = typeof o.previousEpochLoss === 'number' ? o.previousEpochLoss : null;
      over = 0;
    },

    onTrainBegin() {
      early = [];
      over = 0;
      previousEpochLoss = null;
    },

    onBatchEnd(log, ctx) {
      if (ctx.stopTraining) return;
      const where = `epoch ${log.epoch + 1}, batch ${log.batch + 1}`;
      if (!Number.isFinite(log.loss)) {
        return stop(
          ctx,
          { kind: 'nan', epoch: log.epoch + 1, step: log.step, value: log.loss },
          `The loss became ${log.loss} at ${where}: training diverged.`,
        );
      }
      if (early.length < REFERENCE_BATCHES) {
        early.push(log.loss);
        return;
      }
      const limit = Math.max(factor * reference()!, floor);
      over = log.loss > limit ? over + 1 : 0;
      if (over >= needed) {
        stop(
          ctx,
          { kind: 'divergence', epoch: log.epoch + 1, step: log.step, value: log.loss },
          `The loss exploded: ${over} batches in a row above ${fmt(limit)} (${factor} times its early value of ` +
            `${fmt(reference()!)}), ${fmt(log.loss)} at ${where}. Training diverged.`,
        );
      }
    },

    onEpochEnd({ epoch, logs }, ctx) {
      const loss = logs.loss;
      const previous = previousEpochLoss;
      previousEpochLoss = loss;
      if (ctx.stopTraining || !Number.isFinite(loss)) return;
      const event = { kind: 'divergence' as const, epoch: epoch + 1, value: loss };
      if (loss > epochLimit) {
        return stop(ctx, event, `The training loss of epoch ${epoch + 1} is ${fmt(loss)}: the loss exploded and training diverged.`);
      }
      if (previous !== null && loss >= plateau && loss >= previous * 0.98) {
        stop(
          ctx,
          event,
          `The training loss is stuck near ${fmt(loss)} (epoch ${epoch + 1}), close to ${fmt(CLIPPED_LOSS_MAX)}, ` +
            'the most cross-entropy can charge: the network gives almost every example a confident wrong answer. ' +
            'Training diverged.',
        );
      }
    },
  };
}
