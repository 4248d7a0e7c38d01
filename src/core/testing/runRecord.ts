/**
 * Test helper (never imported by the app): a finished run's record as the Runs list stores it
 * (core/runs/record), three epochs of the chapter MLP on MNIST, for tests to patch.
 */
import { readRunRecord, RUN_RECORD_SCHEMA, type RunRecord } from '../runs/record';
import { defaultConfig } from '../training/defaults';

export function runRecord(patch: Partial<RunRecord> = {}): RunRecord {
  return {
    id: 'run-1',
    kind: 'run',
    schema: RUN_RECORD_SCHEMA,
    name: 'raw pixels',
    nameEdited: false,
    createdAt: 1,
    endedAt: 2,
    durationMs: 1000,
    datasetName: 'MNIST',
    config: defaultConfig(),
    epochs: [
      { epoch: 1, loss: 0.5, acc: 0.85, val_loss: 0.3, val_acc: 0.9, lr: 0.001 },
      { epoch: 2, loss: 0.2, acc: 0.95, val_loss: 0.25, val_acc: 0.93, lr: 0.001 },
      { epoch: 3, loss: 0.1, acc: 0.97, val_loss: 0.28, val_acc: 0.92, lr: 0.001 },
    ],
    batches: [{ step: 0, epochFraction: 0.1, loss: 2.3, acc: 10 }],
    events: [],
    test: { loss: 0.27, acc: 0.925, count: 10000 },
    backend: 'wasm',
    outcome: 'completed',
    compared: false,
    baseline: false,
    ...patch,
  };
}

/** Why `value` is not a run record this app can show, naming the field; null when it is one. */
export function runRecordProblem(value: unknown): string | null {
  const r = readRunRecord(value);
  return r.ok ? null : r.problem;
}
