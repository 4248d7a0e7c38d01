/**
 * The training worker's datasets, loaded once per worker and shared by every request. Free of
 * tfjs, so the worker entry can fetch and decode a dataset (and describe it to the page) while
 * tfjs is still loading.
 */
import { isBuiltinDatasetId, isSyntheticDatasetId, loadBuiltinDataset } from '../core/data/builtin';
import { DataFormatError } from '../core/data/types';
import { fetchBytes } from './fetchBytes';
import { inflatedCache } from './inflatedCache';
import type { DatasetLoadReply, DatasetLoadRequest } from './datasetLoad.worker';
import type { Dataset } from '../core/data/types';
import type { DescribeDatasetRequest } from '../protocol/messages';
import { describeDataset } from '../core/data/describe';
import { isImportedDatasetId, loadImportedDataset, onImportedDatasetDeleted } from '../storage/datasets';
import type { GetDataset, Post } from './sessionDeps';

const datasets = new Map<string, Promise<Dataset>>();
onImportedDatasetDeleted((id) => datasets.delete(id)); // frees a deleted import's memory

/**
 * A bundled dataset, downloaded and inflated in a worker of its own (./datasetLoad.worker.ts)
 * so that it overlaps with tfjs loading here; in the same thread where no worker can start.
 */
/** Settle when each dataset worker started so far has begun its work (see `loadersStarted`). */
const starting: Promise<void>[] = [];

/**
 * Settles once every dataset worker started so far runs (or after `capMs`). A worker starts
 * only through its parent's event loop: the entry waits for this before it loads tfjs, which
 * holds that loop for most of a second.
 */
export function loadersStarted(capMs: number): Promise<void> {
  return Promise.race([Promise.all(starting).then(() => {}), new Promise<void>((r) => setTimeout(r, capMs))]);
}

function loadBundled(id: string): Promise<Dataset> {
  if (typeof Worker === 'undefined' || isSyntheticDatasetId(id) || !isBuiltinDatasetId(id)) return loadBuiltinDataset(id, fetchBytes, inflatedCache);
  return new Promise<Dataset>((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./datasetLoad.worker.ts', import.meta.url), { type: 'module', name: `dataset ${id}` });
    } catch {
      return resolve(loadBuiltinDataset(id, fetchBytes, inflatedCache));
    }
    let running = () => {};
    starting.push(new Promise<void>((r) => (running = r)));
    worker.onmessage = ({ data }: MessageEvent<DatasetLoadReply>) => {
      if ('started' in data) return running();
      running(); // the worker ends itself once it has stored the files for the next visit
      if (data.ok) return resolve(data.dataset);
      const err = data.name === 'DataFormatError' ? new DataFormatError(data.message) : new Error(data.message);
      reject(err);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      running();
      worker.terminate();
      resolve(loadBuiltinDataset(id, fetchBytes, inflatedCache)); // the worker itself failed to load: do it here
    };
    worker.postMessage({ id } satisfies DatasetLoadRequest);
  });
}

/** The dataset `id` (built-in or imported), loaded on first use. */
export function getDataset(id: string): Promise<Dataset> {
  let p = datasets.get(id);
  if (!p) {
    p = isImportedDatasetId(id) ? loadImportedDataset(id) : loadBundled(id);
    datasets.set(id, p);
    p.catch(() => datasets.delete(id)); // a failed download may work next time
  }
  return p;
}

/** Answers a `describeDataset` request: loads the dataset (once, through `getDataset`) and posts its description. */
export async function describe(
  { datasetId, requestId }: DescribeDatasetRequest,
  { post, getDataset }: { post: Post; getDataset: GetDataset },
): Promise<void> {
  try {
    const info = describeDataset(await getDataset(datasetId));
    post({ type: 'datasetInfo', requestId, info }, info.samples.map((s) => s.pixels.buffer as ArrayBuffer));
  } catch (err) {
    post({ type: 'datasetError', requestId, message: err instanceof Error ? err.message : String(err) });
  }
}
