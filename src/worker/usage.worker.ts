/**
 * Measures what the site stores (storage/usage.ts `storedUsage`) off the page's main thread:
 * it reads every record, weights included. One request, one answer, then the page ends it.
 */
import { storedUsage } from '../storage/usage';

storedUsage().then(
  (usage) => self.postMessage({ usage }),
  (err: unknown) => self.postMessage({ error: err instanceof Error ? err.message : String(err) }),
);
