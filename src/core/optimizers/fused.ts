/**
 * Optimizer steps as one pass per weight, where the backend can run them (wasm: see
 * ../kernels/wasmFusedUpdate.ts). Written with tensor ops, an Adam step for one weight is
 * about twelve kernels, each a full pass over the weight that allocates a new buffer: on the
 * chapter's MLP (670k weights) that was a third of a batch-32 training step on wasm. An
 * optimizer registers its rule here as a plain loop over Float32Arrays (`FusedLoop`); the
 * backend's kernel runs it over the weight, its gradient and its slots and returns new
 * tensors (never changing an input in place).
 *
 * This module holds no backend code, so the optimizers can use it anywhere; where no backend
 * registered the kernel, `canFuseUpdates()` is false and the tensor-op rules run.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * An optimizer rule over whole arrays: reads `w`, `g` and `slots`, writes `outW` and
 * `outSlots` (same length; never aliases of the inputs). `s` holds the step's scalars, in the
 * order the optimizer defines.
 */
export type FusedLoop = (
  w: Float32Array,
  g: Float32Array,
  slots: Float32Array[],
  outW: Float32Array,
  outSlots: Float32Array[],
  s: readonly number[],
) => void;

/** The kernel's name, as a backend registers it. */
export const FUSED_UPDATE = 'PlaygroundFusedUpdate';

/** The kernel's attributes. */
export interface FusedUpdateAttrs {
  loop: string;
  scalars: number[];
  slotCount: number;
}

const loops = new Map<string, FusedLoop>();
let calls = 0;

/** Makes `loop` available to the kernel under `name` (an optimizer's class name). */
export function registerFusedLoop(name: string, loop: FusedLoop): void {
  loops.set(name, loop);
}

/** The loop registered as `name`; counts the call (see `fusedUpdateCalls`). */
export function takeFusedLoop(name: string): FusedLoop {
  const loop = loops.get(name);
  if (!loop) throw new Error(`No fused optimizer loop named ${name}`);
  calls++;
  return loop;
}

/** How many fused updates ran so far (tests check that the fast path was really taken). */
export function fusedUpdateCalls(): number {
  return calls;
}

/** True when the active backend runs fused updates. */
export function canFuseUpdates(): boolean {
  return tf.getKernel(FUSED_UPDATE, tf.getBackend()) !== undefined;
}

/**
 * The new weight and slots from loop `loop`; call only when `canFuseUpdates()`, with float32
 * tensors of one shape. Returns new tensors (tracked by any enclosing tf.tidy).
 */
export function fusedUpdate(loop: string, value: tf.Tensor, gradient: tf.Tensor, slots: tf.Tensor[], scalars: number[]): { value: tf.Tensor; slots: tf.Tensor[] } {
  const inputs: Record<string, tf.Tensor> = { value, gradient };
  slots.forEach((s, i) => (inputs[`slot${i}`] = s));
  const attrs: FusedUpdateAttrs = { loop, scalars, slotCount: slots.length };
  const out = tf.engine().runKernel(FUSED_UPDATE, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  return { value: out[0]!, slots: out.slice(1) };
}
