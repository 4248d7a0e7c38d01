/**
 * The browser peer of `npm run bench` (issue 15, item 4): the chapter MLP (784-512-512-10,
 * ReLU, softmax) trained with @jax-js/jax, the only other library found that trains in a
 * browser, on its WebAssembly backend, in the same page as ours. jax-js compiles the whole
 * training step (forward, backward and the optimizer) with `jit`. Its optimizer package
 * (@jax-js/optax) is not on npm, so Adam is written here with the rule our app (and Keras,
 * and tfjs) uses: the bias corrections folded into the step size and epsilon (1e-7) added
 * outside the square root.
 *
 * jax-js arrays are reference-counted: every use consumes one reference and `.ref` adds one,
 * so each array below is used exactly once or `.ref`-ed before its other uses.
 */
import { defaultDevice, init, jit, nn, numpy as np, tree, valueAndGrad } from '@jax-js/jax';

export type MlpWeights = { kernels: Float32Array[]; biases: Float32Array[]; dims: number[] };
type Params = Record<string, np.Array>;

const KEYS = ['w1', 'b1', 'w2', 'b2', 'w3', 'b3'] as const;
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-7;

let ready: Promise<void> | null = null;
function start(): Promise<void> {
  ready ??= (async () => {
    await init('wasm');
    defaultDevice('wasm');
  })();
  return ready;
}

function paramsFrom(w: MlpWeights): Params {
  const p: Params = {};
  for (let l = 0; l < 3; l++) {
    p[`w${l + 1}`] = np.array(new Float32Array(w.kernels[l]!)).reshape([w.dims[l]!, w.dims[l + 1]!]);
    p[`b${l + 1}`] = np.array(new Float32Array(w.biases[l]!));
  }
  return p;
}

/** Mean sparse categorical cross-entropy of one batch; `y` one-hot. */
function lossOf(p: Params, x: np.Array, y: np.Array): np.Array {
  const batch = x.shape[0]!;
  const h1 = nn.relu(np.dot(x, p.w1!).add(p.b1!));
  const h2 = nn.relu(np.dot(h1, p.w2!).add(p.b2!));
  const logp = nn.logSoftmax(np.dot(h2, p.w3!).add(p.b3!));
  return logp.mul(y).sum().mul(-1 / batch);
}

/** One Adam step; `lrT` is the step's learning rate with both bias corrections. */
const trainStep = jit((p: Params, m: Params, v: Params, x: np.Array, y: np.Array, lrT: np.Array) => {
  const [loss, g] = valueAndGrad(lossOf)(tree.ref(p), x, y) as [np.Array, Params];
  const np1: Params = {};
  const nm: Params = {};
  const nv: Params = {};
  for (const k of KEYS) {
    const gk = g[k]!;
    const mk = m[k]!.mul(BETA1).add(gk.ref.mul(1 - BETA1));
    const vk = v[k]!.mul(BETA2).add(gk.ref.mul(gk).mul(1 - BETA2));
    np1[k] = p[k]!.sub(mk.ref.mul(lrT.ref).div(np.sqrt(vk.ref).add(EPSILON)));
    nm[k] = mk;
    nv[k] = vk;
  }
  lrT.dispose();
  return [loss, np1, nm, nv] as const;
});

export interface JaxPeerResult {
  name: string;
  samplesPerSec: number;
  epochMs: number[];
  /** The losses of the first `checkSteps` steps, read back one by one (not timed). */
  firstLosses: number[];
}

/**
 * Trains `epochs` epochs over `images` (n×784, already scaled) in order, batch by batch, from
 * `weights`; samples/s is taken over the epochs after the first, as ours is. Before timing,
 * `checkSteps` steps from the same weights report their losses for the correctness check.
 */
export async function jaxPeerRun(opts: {
  images: Float32Array;
  labels: Int32Array;
  batchSize: number;
  epochs: number;
  learningRate: number;
  weights: MlpWeights;
  checkSteps: number;
}): Promise<JaxPeerResult> {
  await start();
  const { batchSize, learningRate } = opts;
  const n = opts.labels.length;
  const steps = Math.floor(n / batchSize);
  const onehot = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) onehot[i * 10 + opts.labels[i]!] = 1;
  const X = np.array(new Float32Array(opts.images)).reshape([n, 784]);
  const Y = np.array(onehot).reshape([n, 10]);
  const zeros = (p: Params): Params => Object.fromEntries(KEYS.map((k) => [k, np.zerosLike(p[k]!.ref)]));
  let p = paramsFrom(opts.weights);
  let m = zeros(p);
  let v = zeros(p);
  let t = 0;
  const stepOnce = (i: number) => {
    t++;
    const lrT = np.array(new Float32Array([(learningRate * Math.sqrt(1 - BETA2 ** t)) / (1 - BETA1 ** t)])).reshape([]);
    const x = X.ref.slice([i * batchSize, (i + 1) * batchSize]);
    const y = Y.ref.slice([i * batchSize, (i + 1) * batchSize]);
    const [loss, np1, nm, nv] = trainStep(p, m, v, x, y, lrT);
    p = np1;
    m = nm;
    v = nv;
    return loss;
  };
  try {
    const firstLosses: number[] = [];
    for (let s = 0; s < opts.checkSteps; s++) firstLosses.push((await stepOnce(s % steps).jsAsync()) as number);
    const epochMs: number[] = [];
    for (let e = 0; e < opts.epochs; e++) {
      const t0 = performance.now();
      let last: np.Array | null = null;
      for (let i = 0; i < steps; i++) {
        last?.dispose();
        last = stepOnce(i);
      }
      await last!.jsAsync(); // waits for every step of the epoch
      epochMs.push(performance.now() - t0);
    }
    const later = epochMs.slice(1).sort((a, b) => a - b);
    const median = later[Math.floor(later.length / 2)] ?? epochMs[0]!;
    return { name: '@jax-js/jax 0.1.25 (wasm, jit)', samplesPerSec: (steps * batchSize * 1000) / median, epochMs, firstLosses };
  } finally {
    tree.dispose([p, m, v]);
    X.dispose();
    Y.dispose();
  }
}
