/**
 * Two moments the chapter wants a class to see that no other callback names:
 * - **Not learning**: a whole epoch at the loss of uniform guessing, ln(classes) (2.30 for
 *   10 classes), with chance accuracy. In a deep stack that is vanishing gradients (the first
 *   layers barely change); with a tiny learning rate, steps too small to matter.
 * - **A loss spike** within an epoch: one batch's loss several times the recent level, the
 *   mark of a step that overshot (a learning rate too high), before any divergence.
 * Both only explain (they never stop training); each is reported once per onset.
 */
import type { Callback, StatefulCallback } from './types';

export interface NotLearningOptions {
  numClasses: number;
  /** Weight layers of the model (Dense, Conv2D), to say which cause is likelier. */
  weightLayers: number;
  learningRate: number;
  /** How close to ln(classes) the epoch loss must be, as a share of it (default 3%). */
  tolerance?: number;
}

const pct = (v: number) => `${Math.round(v * 100)}%`;

/** Marks the first epoch whose loss stays at ln(classes) with chance accuracy. */
export function notLearning(o: NotLearningOptions): Callback & StatefulCallback {
  const chanceLoss = Math.log(o.numClasses);
  const tolerance = (o.tolerance ?? 0.03) * chanceLoss;
  let reported = false;
  return {
    stateKey: 'notLearning',
    getState: () => ({ reported }),
    setState(s) {
      reported = (s as { reported?: unknown } | null)?.reported === true;
    },
    onTrainBegin() {
      reported = false;
    },
    onEpochEnd({ epoch, logs }, ctx) {
      if (reported || !Number.isFinite(logs.loss)) return;
      if (Math.abs(logs.loss - chanceLoss) > tolerance || logs.acc > 1.5 / o.numClasses) return;
      reported = true;
      const deep = o.weightLayers >= 10;
      const tiny = o.learningRate < 1e-4;
      const causes = deep
        ? `With ${o.weightLayers} weight layers the gradients can shrink layer by layer until the first layers barely change ` +
          '(vanishing gradients): add BatchNormalization after each Dense layer, or use fewer layers.' +
          (tiny ? ` The learning rate ${o.learningRate} is also very small.` : '')
        : tiny
          ? `The learning rate ${o.learningRate} makes every step tiny: try one 10 to 100 times larger.`
          : 'Usually the gradients vanish before they reach the first layers (a deep stack: add BatchNormalization) ' +
            'or the learning rate is too small to move the weights (try a larger one).';
      ctx.emit({
        kind: 'notLearning',
        epoch: epoch + 1,
        value: logs.loss,
        message:
          `The training loss stayed at ${logs.loss.toFixed(2)} all through epoch ${epoch + 1}: the loss of giving every class the ` +
          `same probability, ln ${o.numClasses} = ${chanceLoss.toFixed(2)}, and accuracy is at chance (${pct(logs.acc)}). ` +
          `The network is not learning. ${causes}`,
      });
    },
  };
}

export interface LossSpikeOptions {
  /** A batch loss above this many times the recent level is a spike (default 3)… */
  factor?: number;
  /** …and at least this much above it (default 1, so noise on a small loss is not one). */
  minJump?: number;
  /** Batches averaged before spikes are looked for (default 20). */
  warmupBatches?: number;
}

/** Marks a batch whose loss jumps far above the recent level: at most one per epoch. */
export function lossSpike(o: LossSpikeOptions = {}): Callback {
  const factor = o.factor ?? 3;
  const minJump = o.minJump ?? 1;
  const warmup = o.warmupBatches ?? 20;
  let level: number | null = null;
  let seen = 0;
  let lastEpoch = -1;
  return {
    onTrainBegin() {
      level = null;
      seen = 0;
      lastEpoch = -1;
    },
    onBatchEnd(log, ctx) {
      if (!Number.isFinite(log.loss)) return;
      const before = level;
      if (before !== null && seen >= warmup && log.epoch !== lastEpoch && log.loss > factor * before && log.loss - before >= minJump) {
        lastEpoch = log.epoch;
        ctx.emit({
          kind: 'lossSpike',
          epoch: log.epoch + 1,
          step: log.step,
          value: log.loss,
          message:
            `The loss jumped from about ${before.toFixed(2)} to ${log.loss.toFixed(2)} at batch ${log.batch + 1} of epoch ${log.epoch + 1}: ` +
            'a step overshot. The learning rate is probably too high for this optimizer: try one 10 times lower.',
        });
      }
      // The recent level: an average that a single spike moves little.
      level = before === null ? log.loss : 0.9 * before + 0.1 * Math.min(log.loss, factor * before);
      seen++;
    },
  };
}
