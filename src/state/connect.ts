import type { ClientEvent, TrainingClient } from '../client/trainingClient';
import type { AppStore } from './store';

/**
 * Feeds client events into the store at most once per animation frame, so a burst of
 * worker messages costs one React render, not one per message.
 */
export function connectClient(store: AppStore, client: Pick<TrainingClient, 'subscribe'>): () => void {
  let queue: ClientEvent[] = [];
  let scheduled = false;
  const frame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame : (f: () => void) => setTimeout(f, 16);
  const flush = () => {
    scheduled = false;
    const events = queue;
    queue = [];
    store.getState().applyEvents(events);
  };
  return client.subscribe((event) => {
    queue.push(event);
    if (!scheduled) {
      scheduled = true;
      frame(flush);
    }
  });
}
