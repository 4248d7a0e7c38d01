/**
 * Reads and changes a tfjs optimizer's learning rate between steps (for schedules).
 * SGD and Momentum (also Nesterov) multiply by a cached scalar `c = -lr` that only their
 * `setLearningRate` refreshes; Adagrad, RMSprop, Adam and Adamax read `this.learningRate` at
 * every step, so setting the field is enough.
 */
import type * as tf from '@tensorflow/tfjs';

interface WithRate {
  learningRate?: number;
  setLearningRate?(lr: number): void;
}

/** Sets the rate the optimizer uses from its next step on (0 freezes the weights). Throws on a negative or non-finite rate. */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  if (!(lr >= 0) || !Number.isFinite(lr)) {
    throw new RangeError(`A learning rate must be a number of at least 0, got ${lr}.`);
  }
  const o = optimizer as unknown as WithRate;
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else o.learningRate = lr;
}

/** The rate the optimizer's next step will use. A plain number: no device read. */
export function getLearningRate(optimizer: tf.Optimizer): number {
  const lr = (optimizer as unknown as WithRate).learningRate;
  if (typeof lr !== 'number') throw new TypeError(`${optimizer.getClassName()} has no learning rate.`);
  return lr;
}
