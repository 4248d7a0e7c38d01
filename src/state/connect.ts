import type { ClientEvent, TrainingClient } from '../client/trainingClient';
import type { FrameMeter } from './frameMeter';
import type { AppStore } from './store';

export interface ConnectOptions {
  /** Records what each flush costs (store update plus React's synchronous render of it). */
  meter?: FrameMeter;
  /** Clock for the meter; `performance.now` by default. */
  now?: () => number;
}

/**
 * Feeds client events into the store at most once per animation frame, so a burst of
 * worker messages costs one React render, not one per message.
 */
export function connectClient(store: AppStore, client: Pick<TrainingClient, 'subscribe'>, options: ConnectOptions = {}): () => void {
  const { meter } = options;
  const now = options.now ?? (() => performance.now());
  let queue: ClientEvent[] = [];
  let scheduled = false;
  const frame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame : (f: () => void) => setTimeout(f, 16);
  const flush = () => {
    scheduled = false;
    const events = queue;
    queue = [];
    const start = meter ? now() : 0;
    store.getState().applyEvents(events);
    // React renders a store update in a microtask it queued during `applyEvents`; this one
    // runs after it, so the cost includes that render.
    if (meter) queueMicrotask(() => meter.record(now() - start, [...new Set(events.map((e) => e.type))].join(',')));
  };
  return client.subscribe((event) => {
    queue.push(event);
    if (!scheduled) {
      scheduled = true;
      frame(flush);
    }
  });
}
