/**
 * A training client that does nothing (Node tests of store slices that never reach the
 * worker): every command is a no-op, every request is refused.
 */
import type { createAppStore } from '../../state/store';

const noop = () => 0;
const refuse = () => Promise.reject(new Error('no worker in this test'));

export const silentClient = {
  train: noop,
  pause: noop,
  resume: noop,
  stop: noop,
  evaluate: noop,
  describeDataset: refuse,
  exportModel: refuse,
  loadModel: refuse,
  previewAugmentation: refuse,
  invariance: noop,
} as unknown as Parameters<typeof createAppStore>[0];
