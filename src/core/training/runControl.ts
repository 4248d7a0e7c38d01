import type { TrainControl } from './train';

/** Pause, resume and stop flags for one run, plus the time spent not paused. */
export class RunControl implements TrainControl {
  private stopped = false;
  private pausedAt: number | null = null;
  private pausedTotal = 0;
  private readonly startedAt = performance.now();
  private wake: (() => void) | null = null;

  pause() {
    if (this.pausedAt === null && !this.stopped) this.pausedAt = performance.now();
  }
  resume() {
    if (this.pausedAt === null) return;
    this.pausedTotal += performance.now() - this.pausedAt;
    this.pausedAt = null;
    this.wake?.();
  }
  stop() {
    this.stopped = true;
    this.resume();
  }
  isStopRequested() {
    return this.stopped;
  }
  waitWhilePaused(): Promise<void> {
    if (this.pausedAt === null) return Promise.resolve();
    return new Promise((resolve) => (this.wake = resolve));
  }
  /** Milliseconds since the run started, pauses excluded. */
  activeMs() {
    const pausedNow = this.pausedAt === null ? 0 : performance.now() - this.pausedAt;
    return performance.now() - this.startedAt - this.pausedTotal - pausedNow;
  }
}
