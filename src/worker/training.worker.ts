/**
 * The training worker's entry: binds `self` to the training session (./session.ts), which
 * gets from here the way to post, the dataset cache (./datasets) and the backends
 * (./backend). tfjs takes about a second to load and start here, so the entry does not wait
 * for it: it answers dataset requests at once (download, inflate and describe need no tfjs)
 * while the session loads, and queues every other message for it. The page sees "ready" once
 * the whole worker is in.
 */
import { isToWorker, PROTOCOL_VERSION, type FromWorker } from '../protocol/messages';
import { describe, getDataset, loadersStarted } from './datasets';
import type { Post } from './sessionDeps';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent) => void) | null;
  postMessage(msg: FromWorker, transfer: Transferable[]): void;
};

const post: Post = (msg, transfer) => scope.postMessage(msg, transfer ?? []);

let handle: ((msg: unknown) => Promise<void>) | null = null;
const queued: unknown[] = [];

/** Settles when the page's first dataset request has come (it sends one at once), or soon after start. */
let asked = () => {};
const firstRequest = new Promise<void>((r) => {
  asked = r;
  setTimeout(r, 50);
});

/** Holds the page's life lock until this worker ends (see SetupRequest.lockName). */
function holdLifeLock(name: string) {
  const locks = (self as unknown as { navigator?: { locks?: LockManager } }).navigator?.locks;
  if (!locks) return; // no Web Locks: the page falls back to the error events alone
  void locks.request(name, () => {
    post({ type: 'lifeLock' });
    return new Promise<never>(() => {});
  });
}

scope.onmessage = (e: MessageEvent) => {
  const msg: unknown = e.data;
  if (isToWorker(msg) && msg.type === 'setup' && msg.lockName) holdLifeLock(msg.lockName);
  if (isToWorker(msg) && msg.type === 'describeDataset') {
    void describe(msg, { post, getDataset });
    return asked();
  }
  if (handle) void handle(msg);
  else queued.push(msg);
};

// First the page's dataset request, then tfjs once the dataset's own worker runs: starting a
// worker needs this thread, which loading tfjs holds for most of a second.
void firstRequest
  .then(() => loadersStarted(300))
  .then(() => Promise.all([import('./session'), import('./backend')]))
  .then(
  ([{ createTrainingSession }, backend]) => {
    handle = createTrainingSession({ post, getDataset, backend }).handle;
    for (const msg of queued.splice(0)) void handle(msg);
    post({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
  },
  (err: unknown) => {
    // Thrown outside the promise, so the page's onerror sees it and says the worker failed.
    setTimeout(() => {
      throw err instanceof Error ? err : new Error(String(err));
    });
  },
  );
