/**
 * The training loop: seeded shuffles, mini-batches gathered on the device, one optimizer
 * step per batch, validation after every epoch in inference mode. It reads losses back in
 * groups (never one sync per batch) and yields to the event loop so Pause and Stop are
 * handled between batches.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng, deriveSeed, type Rng } from '../rng';
import {
  callbackList,
  isStateful,
  type Callback,
  type EpochLogs,
  type ResumePoint,
  type StopReason,
  type TrainContext,
  type TrainEvent,
} from '../callbacks/types';
import { correctCount, lossOf, type LossId } from './losses';
import { forwardForLoss } from './forward';
import { yieldToEventLoop } from './yield';
import { getLearningRate } from '../optimizers/learningRate';
import { inspectedLayers, inspectedStep, type InspectedLayer } from '../inspect/probe';
import { dropoutLayers } from '../model/build';
import { unpackStats } from '../inspect/stats';

/** Inputs [n, h, w, c] float32 and targets: int32 labels [n] or one-hot float32 [n, k]. */
export interface TensorData {
  x: tf.Tensor;
  y: tf.Tensor;
  count: number;
}

/** Lets the caller pause and stop a run from outside (the worker's messages). */
export interface TrainControl {
  isStopRequested(): boolean;
  /** Resolves at once unless paused; then when resumed (or stopped). */
  waitWhilePaused(): Promise<void>;
}

export interface TrainOptions {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  loss: LossId;
  train: TensorData;
  validation?: TensorData | null;
  epochs: number;
  batchSize: number;
  /** Seeds the per-epoch shuffles and the dropout masks. */
  seed: number;
  callbacks?: Callback[];
  control?: TrainControl;
  /** How often batch losses are read back, ms. */
  flushIntervalMs?: number;
  /**
   * Changes a training batch's inputs before the step (augmentation). Runs inside the
   * step's tf.tidy, so intermediate tensors are freed; never applied to validation.
   */
  transformBatch?: (x: tf.Tensor, info: { epoch: number; batch: number; step: number }) => tf.Tensor;
  /** Receives the events callbacks emit (markers for the charts). */
  onEvent?: (event: TrainEvent) => void;
  /** Train on only this many random batches per epoch (the first of its shuffle); null or absent = all. */
  stepsPerEpoch?: number | null;
  /**
   * Chooses per epoch which examples of `train` to train on and what to validate on, in place
   * of `validation` (cross-validation). Absent = every example, every epoch.
   */
  epochData?: (epoch: number) => EpochData;
  /**
   * Continues a run from a checkpoint (weights and optimizer slots already restored): starts
   * at `resume.epoch` with the saved step, RNG streams and callback states.
   */
  resume?: ResumePoint;
  /**
   * Every this many batches, measure each weight layer's gradient, weights and activations
   * on the step itself and report them through `onLayerStats` (core/inspect). 0 or absent: never.
   */
  inspectEvery?: number;
}

/** One epoch's share of the data, from `TrainOptions.epochData`; disposed after the epoch. */
export interface EpochData {
  /** Indices into `train` to shuffle and train on this epoch. */
  trainIds: Int32Array;
  validation: TensorData | null;
  dispose(): void;
}

/** Batches in an epoch of `count` examples, capped at `stepsPerEpoch` when set. */
export function batchesInEpoch(count: number, batchSize: number, stepsPerEpoch?: number | null): number {
  const all = Math.ceil(count / batchSize);
  return stepsPerEpoch != null && stepsPerEpoch >= 1 ? Math.min(all, stepsPerEpoch) : all;
}

export interface TrainResult {
  reason: StopReason;
  epochsCompleted: number;
  message?: string;
}

interface PendingBatch {
  epoch: number;
  batch: number;
  step: number;
  size: number;
  loss: tf.Scalar;
  correct: tf.Scalar;
  lr: number | undefined;
  /** Packed layer statistics of a sampled step (core/inspect/stats). */
  stats?: tf.Tensor;
}

const now = () => performance.now();
/** The rate for the logs; undefined for an optimizer without a plain learning rate. */
const rateOf = (optimizer: tf.Optimizer): number | undefined => {
  try {
    return getLearningRate(optimizer);
  } catch {
    return undefined;
  }
};
const YIELD_EVERY_MS = 25;

/** Trains `model` in place and reports through `callbacks`. */
export async function train(opts: TrainOptions): Promise<TrainResult> {
  const { model, optimizer, loss, train: data, epochs, batchSize } = opts;
  const cbs = callbackList(opts.callbacks ?? []);
  const flushEvery = opts.flushIntervalMs ?? 200;
  const shuffleRng = createRng(deriveSeed(opts.seed, 'shuffle'));
  const dropoutRng = createRng(deriveSeed(opts.seed, 'dropout'));
  const dropouts = dropoutLayers(model);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const inspectEvery = Math.max(0, Math.floor(opts.inspectEvery ?? 0));
  const inspected = inspectEvery > 0 ? inspectedLayers(model) : [];
  let batchesPerEpoch = batchesInEpoch(data.count, batchSize, opts.stepsPerEpoch);
  let plan: EpochData | null = null;
  const ctx: TrainContext = {
    model,
    optimizer,
    epochs,
    batchesPerEpoch,
    stopTraining: false,
    emit: (event) => opts.onEvent?.(event),
  };

  let pending: PendingBatch[] = [];
  let sums = { loss: 0, correct: 0, samples: 0 };
  let lastLr = rateOf(optimizer);
  let lastFlush = now();
  let lastYield = now();
  let step = opts.resume?.step ?? 0;
  if (opts.resume) {
    shuffleRng.setState(opts.resume.rng.shuffle);
    dropoutRng.setState(opts.resume.rng.dropout);
  }
  const stateful = (opts.callbacks ?? []).filter(isStateful);
  let nextEpoch = opts.resume?.epoch ?? 0;
  ctx.resumePoint = () => ({
    epoch: nextEpoch,
    step,
    rng: { shuffle: shuffleRng.getState(), dropout: dropoutRng.getState() },
    callbackStates: Object.fromEntries(stateful.map((cb) => [cb.stateKey, cb.getState()])),
  });

  // Batch metrics are read back in one transfer per flush, and that read is awaited only at
  // the next flush: the device keeps a queue of work instead of draining at every read.
  // Reads stay in order because each flush first waits for the one before it.
  let inflight: Promise<void> | null = null;
  const deliver = async (batches: PendingBatch[], packed: tf.Tensor) => {
    const values = await packed.data();
    packed.dispose();
    for (let i = 0; i < batches.length; i++) {
      const p = batches[i]!;
      const batchLoss = values[2 * i]!;
      const correct = values[2 * i + 1]!;
      sums.loss += batchLoss * p.size;
      sums.correct += correct;
      sums.samples += p.size;
      await cbs.onBatchEnd(
        { epoch: p.epoch, batch: p.batch, step: p.step, size: p.size, loss: batchLoss, acc: correct / p.size, lr: p.lr },
        ctx,
      );
      if (p.stats) {
        const stats = await p.stats.data();
        p.stats.dispose();
        await cbs.onLayerStats(unpackStats(stats, p.step, p.epoch), ctx);
      }
    }
  };
  /** Starts reading the pending metrics; with `wait`, also finishes every read. */
  const flush = async (wait: boolean) => {
    lastFlush = now();
    const batches = pending;
    pending = [];
    if (inflight) await inflight;
    inflight = null;
    if (batches.length > 0) {
      const packed = tf.stack(batches.flatMap((p) => [p.loss, p.correct]));
      batches.forEach((p) => (p.loss.dispose(), p.correct.dispose()));
      inflight = deliver(batches, packed);
    }
    if (wait && inflight) {
      await inflight;
      inflight = null;
    }
  };

  const stopRequested = () => ctx.stopTraining || (opts.control?.isStopRequested() ?? false);
  let reason: StopReason = 'completed';
  let epochsCompleted = 0;

  await cbs.onTrainBegin(ctx);
  if (opts.resume) {
    for (const cb of stateful) {
      const saved = opts.resume.callbackStates[cb.stateKey];
      if (saved !== undefined) cb.setState(saved);
    }
  }
  try {
    for (let epoch = opts.resume?.epoch ?? 0; epoch < epochs && !stopRequested(); epoch++) {
      await cbs.onEpochBegin(epoch, ctx);
      plan?.dispose();
      plan = opts.epochData?.(epoch) ?? null;
      const order = shuffleRng.shuffle(plan ? plan.trainIds.slice() : Int32Array.from({ length: data.count }, (_, i) => i));
      ctx.batchesPerEpoch = batchesPerEpoch = batchesInEpoch(order.length, batchSize, opts.stepsPerEpoch);
      const epochSamples = Math.min(order.length, batchesPerEpoch * batchSize);
      sums = { loss: 0, correct: 0, samples: 0 };
      let trainMs = 0;
      let segmentStart = now();
      for (let b = 0; b < batchesPerEpoch; b++) {
        if (opts.control) {
          trainMs += now() - segmentStart;
          await opts.control.waitWhilePaused();
          segmentStart = now();
        }
        if (stopRequested()) break;
        const ids = order.subarray(b * batchSize, Math.min(order.length, (b + 1) * batchSize));
        const info = { epoch, batch: b, step };
        await cbs.onBatchBegin(info, ctx);
        setDropoutSeeds(dropouts, dropoutRng);
        const sampled = inspected.length > 0 && step % inspectEvery === 0 ? inspected : null;
        const [batchLoss, correct, stats] = trainStep(model, optimizer, variables, loss, data, ids, (x) =>
          opts.transformBatch ? opts.transformBatch(x, info) : x,
        sampled);
        lastLr = rateOf(optimizer);
        pending.push({ epoch, batch: b, step: step++, size: ids.length, loss: batchLoss, correct, lr: lastLr, stats });
        const t = now();
        if (t - lastFlush >= flushEvery) await flush(false);
        if (t - lastYield >= YIELD_EVERY_MS) {
          await yieldToEventLoop();
          lastYield = now();
        }
      }
      await flush(true);
      trainMs += now() - segmentStart;
      if (stopRequested() && sums.samples < epochSamples) break; // a partial epoch gets no epoch point
      const logs: EpochLogs = { loss: sums.loss / sums.samples, acc: sums.correct / sums.samples, lr: lastLr };
      const validation = plan ? plan.validation : opts.validation;
      if (validation && validation.count > 0) {
        const val = await evaluate(model, validation, loss, Math.max(batchSize, 256));
        logs.val_loss = val.loss;
        logs.val_acc = val.acc;
      }
      epochsCompleted = epoch + 1;
      nextEpoch = epoch + 1;
      await cbs.onEpochEnd(
        { epoch, logs, samples: sums.samples, trainMs, numTensors: tf.memory().numTensors },
        ctx,
      );
    }
    if (ctx.stopTraining) reason = 'callback';
    else if (opts.control?.isStopRequested()) reason = 'stopped';
  } catch (err) {
    await (inflight as Promise<void> | null)?.catch(() => {}); // a read in flight still owns its tensors
    pending.forEach((p) => (p.loss.dispose(), p.correct.dispose(), p.stats?.dispose()));
    (plan as EpochData | null)?.dispose();
    await cbs.onTrainEnd('error', ctx);
    throw err;
  }
  (plan as EpochData | null)?.dispose();
  await cbs.onTrainEnd(reason, ctx);
  return { reason, epochsCompleted, message: ctx.stopMessage };
}

/**
 * One optimizer step on the examples `ids`; returns the batch loss and correct count, and with
 * `inspect` the packed statistics of those layers (the same step, measured).
 */
function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  loss: LossId,
  data: TensorData,
  ids: Int32Array,
  transform: (x: tf.Tensor) => tf.Tensor,
  inspect: readonly InspectedLayer[] | null = null,
): [tf.Scalar, tf.Scalar, tf.Tensor?] {
  return tf.tidy(() => {
    const idx = tf.tensor1d(ids, 'int32');
    const xb = transform(tf.gather(data.x, idx));
    const yb = tf.gather(data.y, idx);
    let correct: tf.Scalar | null = null;
    if (inspect) {
      const step = inspectedStep(optimizer, variables, inspect, (tap) => {
        const out = forwardForLoss(model, xb, true, tap);
        correct = tf.keep(correctCount(yb, out.logits ?? out.probs));
        return lossOf(loss, yb, out);
      });
      return [step.loss, correct!, step.stats];
    }
    const batchLoss = optimizer.minimize(
      () => {
        const out = forwardForLoss(model, xb, true);
        correct = tf.keep(correctCount(yb, out.logits ?? out.probs));
        return lossOf(loss, yb, out);
      },
      true,
      variables,
    ) as tf.Scalar;
    return [batchLoss, correct!];
  });
}

/**
 * tfjs's Dropout draws its mask from `layer.seed` when set (the same mask every call), or
 * from Math.random. Giving each layer a fresh seed from our stream before every batch makes
 * the masks differ per batch yet repeat exactly for the same run seed.
 */
function setDropoutSeeds(layers: tf.layers.Layer[], rng: Rng) {
  for (const layer of layers) (layer as unknown as { seed?: number }).seed = rng.int(2 ** 31);
}

/** Mean loss and accuracy over `data` in inference mode (dropout off, batch-norm frozen). */
export async function evaluate(
  model: tf.LayersModel,
  data: TensorData,
  loss: LossId,
  batchSize = 512,
): Promise<{ loss: number; acc: number; count: number }> {
  let totals = tf.zeros([2]);
  let lastYield = now();
  for (let start = 0; start < data.count; start += batchSize) {
    const size = Math.min(batchSize, data.count - start);
    const next = tf.tidy(() => {
      const xb = tf.slice(data.x, start, size);
      const yb = tf.slice(data.y, start, size);
      const out = forwardForLoss(model, xb, false);
      const part = tf.stack([tf.mul(lossOf(loss, yb, out), size), correctCount(yb, out.logits ?? out.probs)]);
      return tf.add(totals, part);
    });
    totals.dispose();
    totals = next;
    if (now() - lastYield >= YIELD_EVERY_MS) {
      await yieldToEventLoop();
      lastYield = now();
    }
  }
  const [lossSum, correct] = await totals.data();
  totals.dispose();
  return { loss: lossSum! / data.count, acc: correct! / data.count, count: data.count };
}
