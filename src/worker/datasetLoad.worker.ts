/**
 * Downloads and inflates one bundled dataset, in a worker of its own started by the training
 * worker (./datasets.ts): fetching and inflating MNIST's 55 MB takes about a second here, and
 * the training worker spends that time loading tfjs. The inflated files are kept in Cache
 * Storage for the next visit (./inflatedCache.ts). The arrays come back transferred (no copy).
 */
import { loadBuiltinDataset } from '../core/data/builtin';
import type { Dataset } from '../core/data/types';
import { fetchBytes } from './fetchBytes';
import { inflatedCache } from './inflatedCache';

export type DatasetLoadRequest = { id: string };
export type DatasetLoadReply =
  | { started: true }
  | { ok: true; dataset: Dataset }
  | { ok: false; message: string; name: string };

const scope = self as unknown as {
  postMessage(msg: DatasetLoadReply, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<DatasetLoadRequest>) => void) | null;
};

scope.postMessage({ started: true }); // the parent may now get busy: this worker runs
scope.onmessage = async ({ data }) => {
  try {
    const dataset = await loadBuiltinDataset(data.id, fetchBytes, inflatedCache);
    const buffers = new Set<ArrayBuffer>();
    for (const set of [dataset.train, dataset.test]) {
      buffers.add(set.images.buffer as ArrayBuffer);
      buffers.add(set.labels.buffer as ArrayBuffer);
    }
    scope.postMessage({ ok: true, dataset }, [...buffers]);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    scope.postMessage({ ok: false, message: e.message, name: e.name });
  }
};
