/**
 * Callbacks are small objects with optional hooks, as in Keras: each feature (progress,
 * NaN guard, and later early stopping, checkpoints…) is one of them, and a list of callbacks
 * is itself a callback. A callback stops training by setting `ctx.stopTraining`.
 */
import type * as tf from '@tensorflow/tfjs';
import type { LayerStatsSample } from '../inspect/stats';

/** Metrics of one batch, read back from the device. */
export interface BatchLog {
  epoch: number;
  /** Batch index within the epoch. */
  batch: number;
  /** Batches run since training began (across epochs). */
  step: number;
  size: number;
  loss: number;
  acc: number;
  /** Learning rate this batch's step used (read from the optimizer, no device sync). */
  lr?: number;
}

/** Keras-style epoch metrics; `val_*` only when a validation split exists. */
export interface EpochLogs {
  loss: number;
  acc: number;
  val_loss?: number;
  val_acc?: number;
  /** Learning rate of the epoch's last batch. */
  lr?: number;
}

export interface EpochSummary {
  epoch: number;
  logs: EpochLogs;
  /** Training samples seen this epoch and the time spent on them (validation excluded). */
  samples: number;
  trainMs: number;
  /** tf.memory().numTensors after the epoch: flat from the second epoch on, or we leak. */
  numTensors: number;
}

export type StopReason = 'completed' | 'stopped' | 'callback' | 'error';

/** Where a batch is about to run; `onBatchBegin` gets it before the optimizer step. */
export interface BatchInfo {
  epoch: number;
  batch: number;
  step: number;
}

/**
 * Something a learner should notice, drawn as a marker on the charts and listed beside them
 * with its one-sentence explanation. Rare (a few per run), so each is sent at once.
 */
export const TRAIN_EVENT_KINDS = [
  'overfitting',
  'divergence',
  'notLearning',
  'lossSpike',
  'bestEpoch',
  'checkpoint',
  'earlyStop',
  'restoredBest',
  'lrReduced',
  'nan',
  'resumed',
  'storage',
  'explodingGradients',
] as const;
export type TrainEventKind = (typeof TRAIN_EVENT_KINDS)[number];

export interface TrainEvent {
  kind: TrainEventKind;
  /** 1-based epoch the event belongs to, as the charts count epochs. */
  epoch: number;
  /** Batches run since training began, for batch-scale charts; absent for epoch events. */
  step?: number;
  /** One sentence a learner can read: what happened and what it means. */
  message: string;
  /** Optional number behind the event (the new learning rate, the monitored value…). */
  value?: number;
}

export interface TrainContext {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  epochs: number;
  batchesPerEpoch: number;
  /** Set by a callback to end training after the current batch. */
  stopTraining: boolean;
  /** Why a callback stopped training, in a sentence for the learner. */
  stopMessage?: string;
  /** Reports an event to the UI (a no-op when nobody listens). */
  emit(event: TrainEvent): void;
  /**
   * Where the loop stands, for a checkpoint: valid in onEpochEnd, where it describes the
   * start of the next epoch. Absent outside train() (unit-test contexts).
   */
  resumePoint?(): ResumePoint;
}

/**
 * Everything besides weights and optimizer slots that train() needs to continue a run
 * exactly: the next epoch (0-based), the global step, the RNG streams' states and every
 * stateful callback's state by its stateKey.
 */
export interface ResumePoint {
  epoch: number;
  step: number;
  rng: { shuffle: number[]; dropout: number[] };
  callbackStates: Record<string, JsonValue>;
}

export interface Callback {
  onTrainBegin?(ctx: TrainContext): void | Promise<void>;
  onEpochBegin?(epoch: number, ctx: TrainContext): void | Promise<void>;
  /** Called right before each optimizer step (e.g. to set the learning rate). Keep it cheap. */
  onBatchBegin?(info: BatchInfo, ctx: TrainContext): void | Promise<void>;
  /**
   * Called for every batch, in order, but possibly a few batches late: losses are read back
   * from the GPU in groups so that reading them never stalls training.
   */
  onBatchEnd?(log: BatchLog, ctx: TrainContext): void | Promise<void>;
  onEpochEnd?(summary: EpochSummary, ctx: TrainContext): void | Promise<void>;
  /**
   * Per-layer gradient and activation statistics of a sampled step (every `inspectEvery`
   * batches; see core/inspect), read back with the batch losses, so also a little late.
   */
  onLayerStats?(sample: LayerStatsSample, ctx: TrainContext): void | Promise<void>;
  onTrainEnd?(reason: StopReason, ctx: TrainContext): void | Promise<void>;
}

/** JSON-safe data: what a checkpoint can store. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * A callback whose memory must survive a checkpoint and resume (early stopping's best value
 * and patience count, a schedule's position, reduce-on-plateau's counters…). Checkpoints
 * save `getState()` under `stateKey` and a resumed run calls `setState` after onTrainBegin
 * would have reset it.
 */
export interface StatefulCallback extends Callback {
  readonly stateKey: string;
  getState(): JsonValue;
  setState(state: JsonValue): void;
}

export function isStateful(cb: Callback): cb is StatefulCallback {
  return typeof (cb as StatefulCallback).stateKey === 'string' && typeof (cb as StatefulCallback).getState === 'function';
}

/** Runs several callbacks as one, in order. */
export function callbackList(callbacks: Callback[]): Required<Callback> {
  const each =
    <K extends keyof Callback>(key: K) =>
    async (...args: Parameters<NonNullable<Callback[K]>>) => {
      for (const cb of callbacks) {
        const hook = cb[key] as ((...a: unknown[]) => unknown) | undefined;
        if (hook) await hook.apply(cb, args);
      }
    };
  return {
    onTrainBegin: each('onTrainBegin'),
    onEpochBegin: each('onEpochBegin'),
    onBatchBegin: each('onBatchBegin'),
    onBatchEnd: each('onBatchEnd'),
    onEpochEnd: each('onEpochEnd'),
    onLayerStats: each('onLayerStats'),
    onTrainEnd: each('onTrainEnd'),
  };
}
