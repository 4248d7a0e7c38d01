/**
 * What the UI shows about each optimizer. Pure data (no tfjs), so components can import it;
 * `./index.ts` maps the same ids to tfjs implementations.
 *
 * The foundation ships the optimizers tfjs 4.22 has built in. (Its Adadelta reads the
 * squared-gradient accumulator from before the current step, unlike Keras, so it is left out
 * until a corrected one exists; AMSGrad and Nadam come with the training-control work.)
 */
export type OptimizerId = 'sgd' | 'momentum' | 'nesterov' | 'adagrad' | 'rmsprop' | 'adam' | 'adamax';

export type Hyperparameters = Record<string, number>;

export interface OptimizerInfo {
  id: OptimizerId;
  label: string;
  description: string;
  /** Hyperparameters besides the learning rate, with Keras' defaults. */
  defaults: Hyperparameters;
}

export const OPTIMIZER_CATALOG: Record<OptimizerId, OptimizerInfo> = {
  sgd: { id: 'sgd', label: 'SGD', description: 'Plain gradient descent: w -= lr × grad.', defaults: {} },
  momentum: {
    id: 'momentum',
    label: 'Momentum',
    description: 'Keeps a running velocity: v = m·v − lr·grad; w += v.',
    defaults: { momentum: 0.9 },
  },
  nesterov: {
    id: 'nesterov',
    label: 'Nesterov',
    description: 'Momentum that looks ahead along the velocity before stepping.',
    defaults: { momentum: 0.9 },
  },
  adagrad: {
    id: 'adagrad',
    label: 'Adagrad',
    description: "Shrinks each weight's step by the sum of its past squared gradients.",
    defaults: { initialAccumulatorValue: 0.1 },
  },
  rmsprop: {
    id: 'rmsprop',
    label: 'RMSprop',
    description: 'Scales each step by a moving average of recent squared gradients.',
    defaults: { rho: 0.9, epsilon: 1e-7 },
  },
  adam: {
    id: 'adam',
    label: 'Adam',
    description: 'Momentum plus per-weight scaling by squared gradients, bias-corrected. A good default.',
    defaults: { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  },
  adamax: {
    id: 'adamax',
    label: 'Adamax',
    description: 'Adam with the largest past gradient in place of the squared average.',
    defaults: { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  },
};

export const OPTIMIZER_IDS = Object.keys(OPTIMIZER_CATALOG) as OptimizerId[];
