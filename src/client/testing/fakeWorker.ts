/**
 * Test helper (never imported by the app): a stand-in for the training worker that records
 * what the page sends and lets a test reply as the worker would.
 */
import type { FromWorker, ToWorker } from '../../protocol/messages';

export class FakeWorker {
  sent: ToWorker[] = [];
  terminated = false;
  onmessage: ((e: { data: FromWorker }) => void) | null = null;
  onerror: ((e: { message: string; preventDefault(): void }) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  postMessage(m: ToWorker) {
    this.sent.push(m);
  }
  terminate() {
    this.terminated = true;
  }
  /** Delivers `m` to the page as if the worker had posted it. */
  reply(m: FromWorker) {
    this.onmessage?.({ data: m });
  }
  /** The last message of `type` the page sent. */
  last<T extends ToWorker['type']>(type: T) {
    return this.sent.filter((m) => m.type === type).at(-1) as Extract<ToWorker, { type: T }>;
  }
}
