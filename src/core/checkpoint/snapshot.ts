/**
 * A checkpoint as plain data: the model's weights and the optimizer's slots as typed arrays
 * with their names and shapes, where the loop stands (epoch, step, RNG streams, stateful
 * callbacks), the experiment config and the metric history. `serializeSnapshot` packs it
 * into one ArrayBuffer and a JSON manifest for storage. No tfjs here (the page imports it
 * through storage/); capture.ts reads and restores the tensors.
 */
import type { BatchLog, EpochLogs, JsonValue, ResumePoint } from '../callbacks/types';
import type { ExperimentConfig } from '../training/config';

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

/** The inverse of serializeSnapshot; throws a learner-facing message on damaged data. */
export function deserializeSnapshot(s: SerializedSnapshot): CheckpointSnapshot {
  const m = s.manifest as Partial<SnapshotManifest> | undefined;
  if (!m || m.format !== SNAPSHOT_FORMAT) {
    throw new Error('This checkpoint was saved by another version of the app in a format it cannot read. Delete it and train anew.');
  }
  if (!(s.data instanceof ArrayBuffer) || !Array.isArray(m.weights) || !Array.isArray(m.optimizerWeights) || !m.resume || !m.config) {
    throw new Error(DAMAGED);
  }
  const unpack = (spec: ArraySpec): NamedArray => {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (size !== spec.length || spec.offset < 0 || spec.offset + spec.length * 4 > s.data.byteLength) throw new Error(DAMAGED);
    const values = spec.dtype === 'int32'
      ? new Int32Array(s.data.slice(spec.offset, spec.offset + spec.length * 4))
      : new Float32Array(s.data.slice(spec.offset, spec.offset + spec.length * 4));
    return { name: spec.name, shape: [...spec.shape], dtype: spec.dtype, values };
  };
  return {
    resume: m.resume,
    config: m.config,
    history: m.history ?? { epochs: [], batches: [] },
    weights: m.weights.map(unpack),
    optimizer: { className: m.optimizerClass ?? '', weights: m.optimizerWeights.map(unpack) },
  };
}

/** Bytes a serialized snapshot takes: the arrays plus the manifest as JSON. */
export function serializedBytes(s: SerializedSnapshot): number {
  return s.data.byteLength + JSON.stringify(s.manifest satisfies SnapshotManifest as unknown as JsonValue).length;
}
