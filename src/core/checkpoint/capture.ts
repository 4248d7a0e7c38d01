/**
 * Reads a model's and optimizer's state into a CheckpointSnapshot and loads one back into a
 * freshly built model and optimizer. Pure core: tfjs only, runs in Node and the worker.
 */
import * as tf from '@tensorflow/tfjs';
import type { ResumePoint } from '../callbacks/types';
import type { ExperimentConfig } from '../training/config';
import type { CheckpointSnapshot, MetricHistory, NamedArray } from './snapshot';

async function toNamedArray(name: string, t: tf.Tensor): Promise<NamedArray> {
  const dtype = t.dtype === 'int32' ? 'int32' : 'float32';
  const data = await t.data();
  const values = dtype === 'int32' ? Int32Array.from(data as ArrayLike<number>) : Float32Array.from(data as ArrayLike<number>);
  return { name, shape: [...t.shape], dtype, values };
}

/** Reads the model's and the optimizer's state into a snapshot (no tensor is kept). */
export async function captureSnapshot(opts: {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  resume: ResumePoint;
  config: ExperimentConfig;
  history: MetricHistory;
}): Promise<CheckpointSnapshot> {
  const weights = await Promise.all(opts.model.weights.map((w) => toNamedArray(w.originalName, w.read())));
  const slots = await opts.optimizer.getWeights();
  let optimizerWeights: NamedArray[];
  try {
    optimizerWeights = await Promise.all(slots.map((s) => toNamedArray(s.name, s.tensor)));
  } finally {
    // getWeights() returns the slot variables themselves plus a fresh iterations scalar.
    slots.forEach((s) => s.tensor instanceof tf.Variable || s.tensor.dispose());
  }
  return {
    resume: structuredClone(opts.resume),
    config: structuredClone(opts.config),
    history: structuredClone(opts.history),
    weights,
    optimizer: { className: opts.optimizer.getClassName(), weights: optimizerWeights },
  };
}

const sameShape = (a: readonly (number | null)[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Loads a snapshot's weights into `model` and its slots into `optimizer` (which must be
 * the same kind, built from the snapshot's config). Throws a learner-facing message when the
 * snapshot does not fit the model; then nothing is changed.
 */
export async function restoreSnapshot(model: tf.LayersModel, optimizer: tf.Optimizer, snap: CheckpointSnapshot): Promise<void> {
  const targets = model.weights;
  if (targets.length !== snap.weights.length || targets.some((w, i) => !sameShape(w.shape, snap.weights[i]!.shape))) {
    throw new Error(
      `This checkpoint holds ${snap.weights.length} weight arrays that do not fit this model's ${targets.length}: ` +
        'it was saved from a different network. Resume it as its own run (its settings are in the checkpoint) or train anew.',
    );
  }
  if (snap.optimizer.className !== optimizer.getClassName()) {
    throw new Error(
      `This checkpoint was saved with the ${snap.optimizer.className} optimizer, but the run uses ${optimizer.getClassName()}. ` +
        'Resume it with its own settings, or train anew.',
    );
  }
  const tensors = snap.weights.map((w) => tf.tensor(w.values, w.shape, w.dtype));
  try {
    model.setWeights(tensors);
  } finally {
    tf.dispose(tensors);
  }
  if (snap.optimizer.weights.length === 0) return;
  const old = await optimizer.getWeights();
  const named = snap.optimizer.weights.map((w) => ({ name: w.name, tensor: tf.tensor(w.values, w.shape, w.dtype) }));
  try {
    await optimizer.setWeights(named);
  } finally {
    // setWeights wraps each tensor in a new variable that shares its data; the slots it
    // replaced are no longer referenced.
    tf.dispose(named.map((n) => n.tensor));
    tf.dispose(old.map((o) => o.tensor));
  }
}

