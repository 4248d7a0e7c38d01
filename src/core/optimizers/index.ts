import * as tf from '@tensorflow/tfjs';
import { OPTIMIZER_CATALOG, resolveHyperparameters, type Hyperparameters, type OptimizerId } from './catalog';
import { MomentumOptimizer, RmspropOptimizer, AdadeltaOptimizer, AdagradOptimizer, AdamOptimizer, AdamaxOptimizer, AmsgradOptimizer, NadamOptimizer } from './rules';

export {
  OPTIMIZER_CATALOG,
  OPTIMIZER_IDS,
  resolveHyperparameters,
  hyperparameterProblem,
  type OptimizerId,
  type Hyperparameters,
  type HyperparameterInfo,
  type OptimizerInfo,
} from './catalog';

type Creator = (h: Hyperparameters & { learningRate: number }) => tf.Optimizer;

/**
 * tfjs' built-ins where they follow the reference rules and save and restore their state
 * (checked in index.test.ts); our own (./rules.ts) where tfjs has none (AMSGrad, Nadam),
 * where a fused wasm step pays (Adam, the default: ./fused.ts),
 * follows another rule (Adadelta), cannot save its state (Adamax), ignores epsilon (Adagrad), puts it inside the root (RMSprop) or leaks a tensor (Momentum).
 */
const CREATORS: Record<OptimizerId, Creator> = {
  sgd: (h) => tf.train.sgd(h.learningRate),
  momentum: (h) => new MomentumOptimizer(h.learningRate, h.momentum!, false),
  nesterov: (h) => new MomentumOptimizer(h.learningRate, h.momentum!, true),
  adagrad: (h) => new AdagradOptimizer(h.learningRate, h.initialAccumulatorValue, h.epsilon),
  adadelta: (h) => new AdadeltaOptimizer(h.learningRate, h.rho, h.epsilon),
  rmsprop: (h) => new RmspropOptimizer(h.learningRate, h.rho, h.epsilon),
  adam: (h) => new AdamOptimizer(h.learningRate, h.beta1, h.beta2, h.epsilon),
  adamax: (h) => new AdamaxOptimizer(h.learningRate, h.beta1, h.beta2, h.epsilon),
  amsgrad: (h) => new AmsgradOptimizer(h.learningRate, h.beta1, h.beta2, h.epsilon),
  nadam: (h) => new NadamOptimizer(h.learningRate, h.beta1, h.beta2, h.epsilon),
};

/**
 * Builds optimizer `id`; `hyperparameters` must hold `learningRate` and may override any of
 * the catalog's defaults (Keras' values), with the names of `reference/optimizer-trajectories.json`.
 */
export function createOptimizer(id: OptimizerId, hyperparameters: Hyperparameters & { learningRate: number }): tf.Optimizer {
  const info = OPTIMIZER_CATALOG[id];
  if (!info) {
    throw new Error(`Unknown optimizer "${id}". Choose one of: ${Object.keys(OPTIMIZER_CATALOG).join(', ')}.`);
  }
  return CREATORS[id]({ ...resolveHyperparameters(id, hyperparameters), learningRate: hyperparameters.learningRate });
}

/** Reading and changing the learning rate between steps lives in ./learningRate (schedules use it). */
export { getLearningRate, setLearningRate } from './learningRate';
