import type { RunStatus } from './runSlice';

/** True while a run holds the worker: settings are locked and Train is unavailable. */
export function isBusy(status: RunStatus): boolean {
  return status === 'preparing' || status === 'training' || status === 'paused' || status === 'evaluating';
}
