/**
 * A tf.Optimizer whose per-variable state is a fixed set of named slots (Adam's m and v,
 * Adadelta's two accumulators…), written once so that every optimizer built on it saves and
 * restores its whole state: `getWeights()` returns the iteration count followed by every slot
 * (slot-major, as Keras orders them) and `setWeights()` on a fresh instance continues exactly
 * where the saved one stopped. The update rules live in `./rules.ts`.
 */
import * as tf from '@tensorflow/tfjs';
import { canFuseUpdates, fusedUpdate } from './fused';

type NamedTensor = { name: string; tensor: tf.Tensor };

interface SlotVariable {
  originalName: string;
  variable: tf.Variable;
}

/** One update: the new weight value and the new value of every slot, in `slotNames` order. */
export interface SlotUpdate {
  value: tf.Tensor;
  slots: tf.Tensor[];
}

type Config = tf.serialization.ConfigDict;

export abstract class SlotOptimizer extends tf.Optimizer {
  /**
   * The constructor's arguments after the learning rate, by name and in order (each also a
   * field of the instance): getConfig and fromConfig are written once from this list.
   */
  static configKeys: readonly string[] = [];

  /** Per slot name, per variable (in the order the variables are passed). */
  private slotVars: SlotVariable[][];

  constructor(
    public learningRate: number,
    private readonly slotNames: readonly string[],
  ) {
    super();
    this.slotVars = slotNames.map(() => []);
  }

  getConfig(): Config {
    const keys = (this.constructor as typeof SlotOptimizer).configKeys;
    const fields = this as unknown as Record<string, number>;
    return { learningRate: this.learningRate, ...Object.fromEntries(keys.map((k) => [k, fields[k]!])) };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    c: Config,
  ): T {
    const keys = (cls as unknown as typeof SlotOptimizer).configKeys;
    const Ctor = cls as unknown as new (learningRate: number, ...rest: number[]) => T;
    return new Ctor(c.learningRate as number, ...keys.map((k) => c[k] as number));
  }

  /** The starting value of slot `slot` for a weight shaped like `value` (zeros by default). */
  protected initialSlot(_slot: string, value: tf.Tensor): tf.Tensor {
    return tf.zerosLike(value);
  }

  /** One step for one weight; `t` counts steps from 1. Runs inside a tf.tidy. */
  protected abstract update(value: tf.Tensor, gradient: tf.Tensor, slots: tf.Tensor[], t: number): SlotUpdate;

  /** Scalars shared by every weight in step `t` (e.g. Nadam's momentum schedule); called once per step. */
  protected beginStep(_t: number): void {}

  /**
   * The scalars of step `t` for this rule's fused loop (registered under the class name with
   * `registerFusedLoop`, in ./fused.ts), or null where the rule has none. Where the backend
   * runs fused updates (wasm), the loop replaces `update`; both follow the same rule.
   */
  protected fusedScalars(_t: number): number[] | null {
    return null;
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    const t = this.iterations + 1;
    this.beginStep(t);
    const scalars = canFuseUpdates() ? this.fusedScalars(t) : null;
    const loop = this.getClassName();
    const registered = tf.engine().registeredVariables;
    names.forEach((name, i) => {
      const value = registered[name];
      if (!value) throw new Error(`The optimizer was given a gradient for "${name}", which is not a variable.`);
      this.slotNames.forEach((slot, s) => {
        this.slotVars[s]![i] ??= {
          originalName: `${name}/${slot}`,
          variable: tf.tidy(() => this.initialSlot(slot, value).variable(false)),
        };
      });
      const gradient = Array.isArray(variableGradients) ? variableGradients[i]!.tensor : variableGradients[name];
      if (gradient == null) return;
      tf.tidy(() => {
        const slots = this.slotVars.map((vars) => vars[i]!.variable);
        const next =
          scalars && gradient.dtype === 'float32' && value.dtype === 'float32'
            ? fusedUpdate(loop, value, gradient, slots, scalars)
            : this.update(value, gradient, slots, t);
        slots.forEach((v, s) => v.assign(next.slots[s]!));
        value.assign(next.value);
      });
    });
    this.incrementIterations();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const all = this.slotVars.flat();
    return [await this.saveIterations(), ...all.map((v) => ({ name: v.originalName, tensor: v.variable }))];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    const k = this.slotNames.length;
    if (k === 0 ? rest.length !== 0 : rest.length % k !== 0) {
      throw new Error(
        `This ${this.getClassName()} optimizer keeps ${k} value(s) per weight, but the saved state holds ${rest.length}: ` +
          'it was saved by a different optimizer. Start the run again, or pick the optimizer it was saved with.',
      );
    }
    this.disposeSlots();
    const perSlot = k === 0 ? 0 : rest.length / k;
    this.slotVars = this.slotNames.map((_, s) =>
      rest.slice(s * perSlot, (s + 1) * perSlot).map((w) => ({ originalName: w.name, variable: w.tensor.variable(false) })),
    );
  }

  private disposeSlots(): void {
    this.slotVars.forEach((vars) => vars.forEach((v) => v.variable.dispose()));
    this.slotVars = this.slotNames.map(() => []);
  }

  override dispose(): void {
    this.disposeSlots();
  }
}
