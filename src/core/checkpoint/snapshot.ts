/**
 * A checkpoint as plain data: the model's weights and the optimizer's slots as typed arrays
 * with their names and shapes, where the loop stands (epoch, step, RNG streams, stateful
 * callbacks), the experiment config and the metric history. `serializeSnapshot` packs it
 * into one ArrayBuffer and a JSON manifest for storage. No tfjs here (the page imports it
 * through storage/); capture.ts reads and restores the tensors.
 */
import * as v from 'valibot';
import type { BatchLog, EpochLogs, JsonValue, ResumePoint } from '../callbacks/types';
import type { ExperimentConfig } from '../training/config';
import { defaultConfig } from '../training/defaults';
import { configSchema } from '../share/experimentSchema';
import { check } from '../schema/check';
import { count } from '../schema/model';

/** Bump when the manifest or the packing changes. */
export const SNAPSHOT_FORMAT = 1;

export interface NamedArray {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  values: Float32Array | Int32Array;
}

/** One epoch's point on the curves (0-based epoch, as train() counts). */
export interface HistoryEpoch {
  epoch: number;
  logs: EpochLogs;
  samples: number;
  trainMs: number;
}

export interface MetricHistory {
  epochs: HistoryEpoch[];
  /** Batch points; thinned (every k-th kept) when a run has many. */
  batches: BatchLog[];
}

export interface CheckpointSnapshot {
  resume: ResumePoint;
  config: ExperimentConfig;
  history: MetricHistory;
  weights: NamedArray[];
  optimizer: { className: string; weights: NamedArray[] };
}

interface ArraySpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  offset: number;
  length: number;
}

/** What is stored beside the packed arrays: everything but the numbers themselves. */
export interface SnapshotManifest {
  format: number;
  resume: ResumePoint;
  config: ExperimentConfig;
  history: MetricHistory;
  optimizerClass: string;
  weights: ArraySpec[];
  optimizerWeights: ArraySpec[];
}

export interface SerializedSnapshot {
  manifest: SnapshotManifest;
  data: ArrayBuffer;
}

/** Packs every array into one ArrayBuffer (4-byte elements), described by the manifest. */
export function serializeSnapshot(snap: CheckpointSnapshot): SerializedSnapshot {
  const all = [...snap.weights, ...snap.optimizer.weights];
  const total = all.reduce((n, a) => n + a.values.length, 0);
  const data = new ArrayBuffer(total * 4);
  let offset = 0;
  const pack = (a: NamedArray): ArraySpec => {
    const view = a.dtype === 'int32' ? new Int32Array(data, offset, a.values.length) : new Float32Array(data, offset, a.values.length);
    view.set(a.values);
    const spec = { name: a.name, shape: [...a.shape], dtype: a.dtype, offset, length: a.values.length };
    offset += a.values.length * 4;
    return spec;
  };
  return {
    manifest: {
      format: SNAPSHOT_FORMAT,
      resume: structuredClone(snap.resume),
      config: structuredClone(snap.config),
      history: structuredClone(snap.history),
      optimizerClass: snap.optimizer.className,
      weights: snap.weights.map(pack),
      optimizerWeights: snap.optimizer.weights.map(pack),
    },
    data,
  };
}

const DAMAGED = 'This checkpoint is damaged or incomplete, so it cannot be loaded. Delete it and use another one.';

/** A metric value: NaN is kept (a diverging run's last points), as IndexedDB stores it. */
const metric = v.number();
const arraySpecSchema = v.object({
  name: v.pipe(v.string(), v.maxLength(500)),
  shape: v.pipe(v.array(count), v.maxLength(8)),
  dtype: v.picklist(['float32', 'int32'] as const),
  offset: count,
  length: count,
});
const jsonSchema: v.GenericSchema<JsonValue> = v.lazy(() =>
  v.union([v.null(), v.boolean(), v.number(), v.string(), v.array(jsonSchema), v.record(v.string(), jsonSchema)]),
);
const epochLogsSchema = v.object({ loss: metric, acc: metric, val_loss: v.optional(metric), val_acc: v.optional(metric), lr: v.optional(metric) });
/** Everything a checkpoint keeps beside its numbers, checked before any of it is trusted. */
const manifestSchema = v.object({
  format: v.literal(SNAPSHOT_FORMAT),
  resume: v.object({
    epoch: count,
    step: count,
    rng: v.object({ shuffle: v.array(v.number()), dropout: v.array(v.number()) }),
    callbackStates: v.record(v.string(), jsonSchema),
  }),
  config: v.object({ ...configSchema.entries, datasetId: v.pipe(v.string(), v.maxLength(200)) }),
  history: v.optional(
    v.object({
      epochs: v.array(v.object({ epoch: count, logs: epochLogsSchema, samples: count, trainMs: v.number() })),
      batches: v.array(
        v.object({ epoch: count, batch: count, step: count, size: count, loss: metric, acc: metric, lr: v.optional(metric) }),
      ),
    }),
    { epochs: [], batches: [] },
  ),
  optimizerClass: v.optional(v.string(), ''),
  weights: v.array(arraySpecSchema),
  optimizerWeights: v.array(arraySpecSchema),
});

/**
 * The stored form back as a snapshot, every field of the manifest checked first (a damaged
 * or hand-edited record says which field, and nothing is restored from it). A config saved
 * before a setting existed gets that setting's default.
 */
export function deserializeSnapshot(s: SerializedSnapshot): CheckpointSnapshot {
  const raw = s?.manifest as unknown;
  if (!raw || typeof raw !== 'object' || (raw as { format?: unknown }).format !== SNAPSHOT_FORMAT) {
    throw new Error('This checkpoint was saved by another version of the app in a format it cannot read. Delete it and train anew.');
  }
  if (!(s.data instanceof ArrayBuffer)) throw new Error(DAMAGED);
  const m0 = raw as Record<string, unknown>;
  const withDefaults = m0.config && typeof m0.config === 'object' ? { ...m0, config: { ...defaultConfig(), ...(m0.config as object) } } : m0;
  const r = check(manifestSchema, withDefaults, 'This checkpoint');
  if (!r.ok) throw new Error(`${r.problem} It cannot be loaded: delete it and use another one.`);
  const m = r.value;
  const unpack = (spec: ArraySpec): NamedArray => {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (size !== spec.length || spec.offset % 4 !== 0 || spec.offset + spec.length * 4 > s.data.byteLength) throw new Error(DAMAGED);
    const values = spec.dtype === 'int32'
      ? new Int32Array(s.data.slice(spec.offset, spec.offset + spec.length * 4))
      : new Float32Array(s.data.slice(spec.offset, spec.offset + spec.length * 4));
    return { name: spec.name, shape: [...spec.shape], dtype: spec.dtype, values };
  };
  return {
    resume: m.resume,
    config: m.config,
    history: m.history,
    weights: m.weights.map(unpack),
    optimizer: { className: m.optimizerClass, weights: m.optimizerWeights.map(unpack) },
  };
}

/** Bytes a serialized snapshot takes: the arrays plus the manifest as JSON. */
export function serializedBytes(s: SerializedSnapshot): number {
  return s.data.byteLength + JSON.stringify(s.manifest satisfies SnapshotManifest as unknown as JsonValue).length;
}
