/**
 * The optimizers this app implements itself, on `SlotOptimizer` (so each saves and restores
 * its whole state), each registered for tf.serialization. Update rules, t = step from 1,
 * g = gradient (the reference rules of `reference/optimizer-trajectories.json`, tf.keras 2.x):
 *
 * - adam:     m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; w -= lr·(m/(1−β1^t))/(√(v/(1−β2^t)) + ε)
 *             (tfjs' own Adam follows it too; ours adds the fused wasm step below)
 * - adagrad:  acc += g²  (acc starts at initialAccumulatorValue); w -= lr·g/(√acc + ε)
 * - rmsprop:  ms = ρ·ms + (1−ρ)·g²; w -= lr·g/(√ms + ε)
 *             (tfjs' own RMSprop adds ε inside the root, which differs for a large ε)
 * - adadelta: Eg = ρ·Eg + (1−ρ)·g²; d = √(Ed+ε)/√(Eg+ε)·g; Ed = ρ·Ed + (1−ρ)·d²; w -= lr·d
 *             (tfjs' own Adadelta divides by Eg from *before* this step and diverges)
 * - adamax:   m = β1·m + (1−β1)·g; u = max(β2·u, |g|); w -= lr/(1−β1^t)·m/(u + ε)
 *             (tfjs' own Adamax cannot save or restore its state)
 * - amsgrad:  Adam with v̂ = max(v̂, v) in place of v in the step
 * - nadam:    μt = β1·(1 − ½·0.96^(0.004·t)), Pt = Pt−1·μt; m, v as Adam;
 *             w -= lr·(μt+1·m/(1 − Pt·μt+1) + (1−μt)·g/(1 − Pt)) / (√(v/(1−β2^t)) + ε)
 *
 * - momentum, nesterov: tfjs' own rule, with a leak fixed (see MomentumOptimizer below)
 *
 * Step-dependent factors are computed in float64 on the CPU from the iteration count, so a
 * restored optimizer (which gets the count back) repeats them exactly.
 *
 * Adam, the default, is also written as one loop over the arrays (`registerFusedLoop`, used
 * where the backend runs fused steps: wasm, see ./fused.ts), checked against the same
 * reference (trajectories.test.ts). The other rules were too, but their JavaScript loops
 * measured no faster than tensor ops on wasm; Adam's runs in WebAssembly SIMD.
 */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type SlotUpdate } from './slotOptimizer';
import { registerFusedLoop } from './fused';

export class AdagradOptimizer extends SlotOptimizer {
  static className = 'PlaygroundAdagrad';
  static override configKeys = ['initialAccumulatorValue', 'epsilon'];
  constructor(
    learningRate: number,
    readonly initialAccumulatorValue = 0.1,
    readonly epsilon = 1e-7,
  ) {
    super(learningRate, ['accumulator']);
  }
  protected override initialSlot(_slot: string, value: tf.Tensor): tf.Tensor {
    return tf.fill(value.shape, this.initialAccumulatorValue);
  }
  protected update(w: tf.Tensor, g: tf.Tensor, [acc]: tf.Tensor[]): SlotUpdate {
    const acc2 = tf.add(acc!, tf.square(g));
    const step = tf.div(tf.mul(g, this.learningRate), tf.add(tf.sqrt(acc2), this.epsilon));
    return { value: tf.sub(w, step), slots: [acc2] };
  }
}

export class AdadeltaOptimizer extends SlotOptimizer {
  static className = 'PlaygroundAdadelta';
  static override configKeys = ['rho', 'epsilon'];
  constructor(
    learningRate: number,
    readonly rho = 0.95,
    readonly epsilon = 1e-7,
  ) {
    super(learningRate, ['accum_grad', 'accum_var']);
  }
  protected update(w: tf.Tensor, g: tf.Tensor, [eg, ed]: tf.Tensor[]): SlotUpdate {
    const { rho, epsilon } = this;
    const eg2 = tf.add(tf.mul(eg!, rho), tf.mul(tf.square(g), 1 - rho));
    const d = tf.mul(tf.div(tf.sqrt(tf.add(ed!, epsilon)), tf.sqrt(tf.add(eg2, epsilon))), g);
    const ed2 = tf.add(tf.mul(ed!, rho), tf.mul(tf.square(d), 1 - rho));
    return { value: tf.sub(w, tf.mul(d, this.learningRate)), slots: [eg2, ed2] };
  }
}

export class RmspropOptimizer extends SlotOptimizer {
  static className = 'PlaygroundRMSprop';
  static override configKeys = ['rho', 'epsilon'];
  constructor(
    learningRate: number,
    readonly rho = 0.9,
    readonly epsilon = 1e-7,
  ) {
    super(learningRate, ['rms']);
  }
  protected update(w: tf.Tensor, g: tf.Tensor, [ms]: tf.Tensor[]): SlotUpdate {
    const ms2 = tf.add(tf.mul(ms!, this.rho), tf.mul(tf.square(g), 1 - this.rho));
    const step = tf.div(tf.mul(g, this.learningRate), tf.add(tf.sqrt(ms2), this.epsilon));
    return { value: tf.sub(w, step), slots: [ms2] };
  }
  protected override fusedScalars(): number[] {
    return [this.learningRate, this.rho, this.epsilon];
  }
}
// One pass instead of six kernels; and like Adam's loop it stores no subnormal float: the
// mean square of a rarely lit pixel's gradient decays by rho every step, and at batch size 1 the
// tensor-op rule slowed from 6 to 9.5 ms per step over 2,400 steps of the chapter MLP.
registerFusedLoop(RmspropOptimizer.className, (w, g, [ms], out, [msOut], [lr, rho, eps]) => {
  const a = 1 - rho!;
  const n = w.length;
  const s0 = ms!, s1 = msOut!;
  for (let i = 0; i < n; i++) {
    const gi = Math.abs(g[i]!) < 1e-18 ? 0 : g[i]!;
    let si = rho! * s0[i]! + a * gi * gi;
    if (si < 1e-30) si = 0;
    s1[i] = si;
    out[i] = w[i]! - (lr! * gi) / (Math.sqrt(si) + eps!);
  }
});

/** Shared constructor and config of the Adam family (beta1, beta2, epsilon). */
abstract class AdamFamily extends SlotOptimizer {
  static override configKeys = ['beta1', 'beta2', 'epsilon'];
  constructor(
    learningRate: number,
    readonly beta1: number,
    readonly beta2: number,
    readonly epsilon: number,
    slots: string[],
  ) {
    super(learningRate, slots);
  }
  /** m = β1·m + (1−β1)·g */
  protected firstMoment(m: tf.Tensor, g: tf.Tensor): tf.Tensor {
    return tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
  }
  /** v = β2·v + (1−β2)·g² */
  protected secondMoment(v: tf.Tensor, g: tf.Tensor): tf.Tensor {
    return tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
  }
}

export class AdamOptimizer extends AdamFamily {
  static className = 'PlaygroundAdam';
  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7) {
    super(learningRate, beta1, beta2, epsilon, ['m', 'v']);
  }
  protected update(w: tf.Tensor, g: tf.Tensor, [m, v]: tf.Tensor[], t: number): SlotUpdate {
    const m2 = this.firstMoment(m!, g);
    const v2 = this.secondMoment(v!, g);
    const mHat = tf.div(m2, 1 - this.beta1 ** t);
    const vHat = tf.div(v2, 1 - this.beta2 ** t);
    return { value: tf.sub(w, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon)), this.learningRate)), slots: [m2, v2] };
  }
  protected override fusedScalars(t: number): number[] {
    return [this.learningRate, this.beta1, this.beta2, this.epsilon, 1 - this.beta1 ** t, 1 - this.beta2 ** t];
  }
}
registerFusedLoop(AdamOptimizer.className, (w, g, [m, v], out, [mOut, vOut], [lr, b1, b2, eps, c1, c2]) => {
  const a1 = 1 - b1!;
  const a2 = 1 - b2!;
  const step = lr! / c1!;
  const vScale = 1 / c2!;
  const n = w.length;
  const m0 = m!, v0 = v!, m1 = mOut!, v1 = vOut!;
  for (let i = 0; i < n; i++) {
    // As the SIMD loop does (kernels/simd/adam.wat): numbers too small to matter become 0, so
    // that no subnormal float is stored (x86 computes on them about 100 times slower). A NaN is kept.
    const gi = Math.abs(g[i]!) < 1e-18 ? 0 : g[i]!;
    let mi = b1! * m0[i]! + a1 * gi;
    let vi = b2! * v0[i]! + a2 * gi * gi;
    if (Math.abs(mi) < 1e-30) mi = 0;
    if (vi < 1e-30) vi = 0;
    m1[i] = mi;
    v1[i] = vi;
    out[i] = w[i]! - (step * mi) / (Math.sqrt(vi * vScale) + eps!);
  }
});

export class AdamaxOptimizer extends AdamFamily {
  static className = 'PlaygroundAdamax';
  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7) {
    super(learningRate, beta1, beta2, epsilon, ['m', 'u']);
  }
  protected update(w: tf.Tensor, g: tf.Tensor, [m, u]: tf.Tensor[], t: number): SlotUpdate {
    const m2 = this.firstMoment(m!, g);
    const u2 = tf.maximum(tf.mul(u!, this.beta2), tf.abs(g));
    const lrT = this.learningRate / (1 - this.beta1 ** t);
    return { value: tf.sub(w, tf.mul(tf.div(m2, tf.add(u2, this.epsilon)), lrT)), slots: [m2, u2] };
  }
}

export class AmsgradOptimizer extends AdamFamily {
  static className = 'AMSGrad';
  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7) {
    super(learningRate, beta1, beta2, epsilon, ['m', 'v', 'vhat']);
  }
  protected update(w: tf.Tensor, g: tf.Tensor, [m, v, vhat]: tf.Tensor[], t: number): SlotUpdate {
    const m2 = this.firstMoment(m!, g);
    const v2 = this.secondMoment(v!, g);
    const vhat2 = tf.maximum(vhat!, v2);
    const lrT = (this.learningRate * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    return { value: tf.sub(w, tf.mul(tf.div(m2, tf.add(tf.sqrt(vhat2), this.epsilon)), lrT)), slots: [m2, v2, vhat2] };
  }
}

/** μt of Nadam's momentum schedule (Dozat 2016, as tf.keras 2.x). */
const nadamMu = (beta1: number, t: number) => beta1 * (1 - 0.5 * 0.96 ** (0.004 * t));

export class NadamOptimizer extends AdamFamily {
  static className = 'Nadam';
  private step = { muT: 0, muT1: 0, prodT: 1, t: 0 };
  /** P_t for the last step computed, so consecutive steps cost one multiplication. */
  private cache = { t: 0, prod: 1 };
  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7) {
    super(learningRate, beta1, beta2, epsilon, ['m', 'v']);
  }
  /** The product P_t = μ1·…·μt is recomputed from t, so it survives save and restore. */
  protected override beginStep(t: number): void {
    if (this.cache.t !== t - 1) this.cache = { t: 0, prod: 1 }; // restored: rebuild from step 1
    let prod = this.cache.prod;
    for (let i = this.cache.t + 1; i <= t; i++) prod *= nadamMu(this.beta1, i);
    this.cache = { t, prod };
    this.step = { muT: nadamMu(this.beta1, t), muT1: nadamMu(this.beta1, t + 1), prodT: prod, t };
  }
  protected update(w: tf.Tensor, g: tf.Tensor, [m, v]: tf.Tensor[], t: number): SlotUpdate {
    const { muT, muT1, prodT } = this.step;
    const m2 = this.firstMoment(m!, g);
    const v2 = this.secondMoment(v!, g);
    const mBar = tf.add(tf.mul(m2, muT1 / (1 - prodT * muT1)), tf.mul(g, (1 - muT) / (1 - prodT)));
    const denom = tf.add(tf.sqrt(tf.mul(v2, 1 / (1 - this.beta2 ** t))), this.epsilon);
    return { value: tf.sub(w, tf.mul(tf.div(mBar, denom), this.learningRate)), slots: [m2, v2] };
  }
}

/**
 * tfjs' Momentum (and Nesterov) with one fix: its dispose() forgets the cached learning-rate
 * scalar that SGD keeps, which leaked one tensor per run.
 */
export class MomentumOptimizer extends tf.MomentumOptimizer {
  static override get className() {
    return 'PlaygroundMomentum';
  }
  override dispose(): void {
    super.dispose();
    this.c.dispose();
  }
}

for (const cls of [MomentumOptimizer, AdagradOptimizer, RmspropOptimizer, AdadeltaOptimizer, AdamOptimizer, AdamaxOptimizer, AmsgradOptimizer, NadamOptimizer]) {
  tf.serialization.registerClass(cls as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);
}
