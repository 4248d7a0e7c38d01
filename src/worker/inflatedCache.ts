/**
 * The bundled datasets' inflated files in the browser's Cache Storage, so that a second visit
 * reads MNIST's 55 MB back in about 0.1 s instead of downloading and inflating it again
 * (about 1 s here). Where Cache Storage is missing (a page served over plain http from
 * another machine) or fails, files are simply downloaded each time.
 * Bump the name's version if the bundled files ever change.
 */
import { appUrl } from './appUrl';
import type { InflatedCache } from '../core/data/builtin';

const CACHE_NAME = 'playground-datasets-v1';

const url = appUrl;

function open(): Promise<Cache> | null {
  try {
    return typeof caches === 'undefined' ? null : caches.open(CACHE_NAME);
  } catch {
    return null; // e.g. storage blocked for this origin
  }
}

/** Writes not finished yet: a worker must not end before they are. */
const writing = new Set<Promise<unknown>>();

export const inflatedCache: InflatedCache & { written(): Promise<void> } = {
  async get(path) {
    const cache = await open();
    const hit = await cache?.match(url(path));
    return hit ? new Uint8Array(await hit.arrayBuffer()) : null;
  },
  put(path, bytes) {
    // A copy: the caller hands the buffer on (transferred) while the write is under way.
    const body = new Response(bytes.slice());
    const write = (open() ?? Promise.reject(new Error('no Cache Storage')))
      .then((cache) => cache.put(url(path), body))
      .catch(() => {}); // quota or no storage: the next visit downloads again
    writing.add(write);
    void write.then(() => writing.delete(write));
  },
  async written() {
    await Promise.all(writing);
  },
};
