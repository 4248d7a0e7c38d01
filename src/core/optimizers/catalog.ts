/**
 * What the UI shows about each optimizer. Pure data (no tfjs), so components can import it;
 * `./index.ts` maps the same ids to tfjs implementations.
 *
 * All ten optimizers of the chapter, in the order it introduces them. Hyperparameters other
 * than the learning rate default to Keras' values; names match
 * `reference/optimizer-trajectories.json`.
 */
export type OptimizerId =
  | 'sgd'
  | 'momentum'
  | 'nesterov'
  | 'adagrad'
  | 'adadelta'
  | 'rmsprop'
  | 'adam'
  | 'adamax'
  | 'amsgrad'
  | 'nadam';

export type Hyperparameters = Record<string, number>;

/** One hyperparameter besides the learning rate, as the form shows it. */
export interface HyperparameterInfo {
  key: string;
  /** The field's accessible name ("Beta 1"). */
  label: string;
  min: number;
  max: number;
  /** Whether `min` itself is allowed (epsilon must stay above 0, a decay rate below 1…). */
  minInclusive: boolean;
  maxInclusive: boolean;
  hint: string;
}

export interface OptimizerInfo {
  id: OptimizerId;
  label: string;
  description: string;
  /** Hyperparameters besides the learning rate, with Keras' defaults. */
  defaults: Hyperparameters;
  /** How the form shows each key of `defaults`, in display order. */
  params: HyperparameterInfo[];
}

const P = {
  momentum: {
    key: 'momentum',
    label: 'Momentum',
    min: 0,
    max: 1,
    minInclusive: true,
    maxInclusive: false,
    hint: 'share of the last step kept (0 – <1; 0.5 – 0.99 is typical)',
  },
  rho: { key: 'rho', label: 'Rho', min: 0, max: 1, minInclusive: true, maxInclusive: false, hint: 'decay of the squared-gradient average (0 – <1)' },
  beta1: { key: 'beta1', label: 'Beta 1', min: 0, max: 1, minInclusive: true, maxInclusive: false, hint: 'decay of the gradient average (0 – <1, usually 0.9)' },
  beta2: { key: 'beta2', label: 'Beta 2', min: 0, max: 1, minInclusive: true, maxInclusive: false, hint: 'decay of the squared-gradient average (0 – <1, usually 0.999)' },
  epsilon: { key: 'epsilon', label: 'Epsilon', min: 0, max: 1, minInclusive: false, maxInclusive: true, hint: 'tiny number that avoids dividing by zero (>0, e.g. 1e-7)' },
  initialAccumulatorValue: {
    key: 'initialAccumulatorValue',
    label: 'Initial accumulator value',
    min: 0,
    max: 10,
    minInclusive: true,
    maxInclusive: true,
    hint: 'starting sum of squared gradients (0 – 10)',
  },
} satisfies Record<string, HyperparameterInfo>;

const adamLike = { defaults: { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, params: [P.beta1, P.beta2, P.epsilon] };

export const OPTIMIZER_CATALOG: Record<OptimizerId, OptimizerInfo> = {
  sgd: { id: 'sgd', label: 'SGD', description: 'Plain gradient descent: each step moves the weights by learning rate × gradient, downhill.', defaults: {}, params: [] },
  momentum: {
    id: 'momentum',
    label: 'Momentum',
    description: 'Keeps a running velocity, like a ball rolling downhill: it speeds up along steady slopes and damps zig-zags.',
    defaults: { momentum: 0.9 },
    params: [P.momentum],
  },
  nesterov: {
    id: 'nesterov',
    label: 'Nesterov',
    description: 'Momentum that looks ahead: it corrects the step using where the velocity is about to carry the weights.',
    defaults: { momentum: 0.9 },
    params: [P.momentum],
  },
  adagrad: {
    id: 'adagrad',
    label: 'Adagrad',
    description: "Gives each weight its own step size, shrinking it by the sum of that weight's past squared gradients (steps only get smaller).",
    defaults: { initialAccumulatorValue: 0.1, epsilon: 1e-7 },
    params: [P.initialAccumulatorValue, P.epsilon],
  },
  adadelta: {
    id: 'adadelta',
    label: 'Adadelta',
    description: 'Adagrad with a moving average instead of a growing sum, scaled by recent step sizes; works with a learning rate near 1.',
    defaults: { rho: 0.95, epsilon: 1e-7 },
    params: [P.rho, P.epsilon],
  },
  rmsprop: {
    id: 'rmsprop',
    label: 'RMSprop',
    description: 'Divides each step by a moving average of recent squared gradients, so steps stay useful instead of shrinking forever.',
    defaults: { rho: 0.9, epsilon: 1e-7 },
    params: [P.rho, P.epsilon],
  },
  adam: {
    id: 'adam',
    label: 'Adam',
    description: 'Momentum plus RMSprop-style per-weight scaling, with bias correction for the first steps. A good default.',
    ...adamLike,
  },
  adamax: {
    id: 'adamax',
    label: 'Adamax',
    description: 'Adam that scales by the largest recent gradient instead of the squared average; steadier with rare large gradients.',
    ...adamLike,
  },
  amsgrad: {
    id: 'amsgrad',
    label: 'AMSGrad',
    description: 'Adam that never lets the squared-gradient average shrink, so step sizes cannot suddenly grow again.',
    ...adamLike,
  },
  nadam: {
    id: 'nadam',
    label: 'Nadam',
    description: "Adam with Nesterov's look-ahead momentum: often a little faster in the first epochs.",
    ...adamLike,
  },
};

export const OPTIMIZER_IDS = Object.keys(OPTIMIZER_CATALOG) as OptimizerId[];

/** The optimizer's hyperparameters with `overrides` applied to the catalog defaults (unknown keys dropped). */
export function resolveHyperparameters(id: OptimizerId, overrides: Hyperparameters = {}): Hyperparameters {
  const info = OPTIMIZER_CATALOG[id];
  const out: Hyperparameters = { ...info.defaults };
  for (const p of info.params) if (typeof overrides[p.key] === 'number') out[p.key] = overrides[p.key]!;
  return out;
}

/** Why `value` is not allowed for hyperparameter `p`, in a sentence for the learner, or null when it is fine. */
export function hyperparameterProblem(optimizer: OptimizerInfo, p: HyperparameterInfo, value: number): string | null {
  const aboveMin = p.minInclusive ? value >= p.min : value > p.min;
  const belowMax = p.maxInclusive ? value <= p.max : value < p.max;
  if (Number.isFinite(value) && aboveMin && belowMax) return null;
  const range = `${p.minInclusive ? 'at least' : 'above'} ${p.min} and ${p.maxInclusive ? 'at most' : 'below'} ${p.max}`;
  return `${optimizer.label}'s ${p.label} must be a number ${range}; its usual value is ${optimizer.defaults[p.key]}.`;
}
