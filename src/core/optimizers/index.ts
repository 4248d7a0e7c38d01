import * as tf from '@tensorflow/tfjs';
import { OPTIMIZER_CATALOG, type Hyperparameters, type OptimizerId } from './catalog';

export { OPTIMIZER_CATALOG, OPTIMIZER_IDS, type OptimizerId, type Hyperparameters } from './catalog';

type Creator = (h: Hyperparameters & { learningRate: number }) => tf.Optimizer;

const CREATORS: Record<OptimizerId, Creator> = {
  sgd: (h) => tf.train.sgd(h.learningRate),
  momentum: (h) => tf.train.momentum(h.learningRate, h.momentum, false),
  nesterov: (h) => tf.train.momentum(h.learningRate, h.momentum, true),
  adagrad: (h) => tf.train.adagrad(h.learningRate, h.initialAccumulatorValue),
  rmsprop: (h) => tf.train.rmsprop(h.learningRate, h.rho, 0, h.epsilon),
  adam: (h) => tf.train.adam(h.learningRate, h.beta1, h.beta2, h.epsilon),
  adamax: (h) => tf.train.adamax(h.learningRate, h.beta1, h.beta2, h.epsilon, 0),
};

/**
 * Builds optimizer `id`; `hyperparameters` must hold `learningRate` and may override any of
 * the catalog's defaults (Keras' values).
 */
export function createOptimizer(id: OptimizerId, hyperparameters: Hyperparameters & { learningRate: number }): tf.Optimizer {
  const info = OPTIMIZER_CATALOG[id];
  if (!info) {
    throw new Error(`Unknown optimizer "${id}". Choose one of: ${Object.keys(OPTIMIZER_CATALOG).join(', ')}.`);
  }
  return CREATORS[id]({ ...info.defaults, ...hyperparameters });
}
