/**
 * Lets queued messages (Pause, Stop) run between batches. A MessageChannel round trip is a
 * real macrotask without the 4 ms clamp that nested `setTimeout(0)` calls get.
 */
let channel: MessageChannel | null = null;
const waiting: Array<() => void> = [];

export function yieldToEventLoop(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((r) => setTimeout(r, 0));
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
    // In Node an open port would keep the process alive after the tests.
    (channel.port1 as unknown as { unref?: () => void }).unref?.();
  }
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel!.port2.postMessage(0);
  });
}
