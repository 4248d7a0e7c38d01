/**
 * What the training session (./session.ts) is given rather than takes from the browser: the
 * way to post to the page, the dataset cache and the backend choice. The worker's entry
 * passes `self.postMessage`, ./datasets and ./backend; the session's tests a recorder, a small
 * generated dataset and the cpu backend.
 */
import type { Dataset } from '../core/data/types';
import type { FromWorker } from '../protocol/messages';

/** Posts a typed message to the page, transferring `transfer`. */
export type Post = (msg: FromWorker, transfer?: Transferable[]) => void;

/** The dataset `id` (built-in or imported), loaded on first use and shared by every request. */
export type GetDataset = (id: string) => Promise<Dataset>;

/** What the session uses of ./backend (tfjs backends, wasm threads timed in nested workers). */
export type Backends = Pick<typeof import('./backend'), 'selectBackend' | 'warmUpWasm' | 'threadsToTimePending' | 'timeThreadsWhenIdle'>;

export interface SessionDeps {
  post: Post;
  getDataset: GetDataset;
  backend: Backends;
}
