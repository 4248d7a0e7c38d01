/**
 * Page object for the playground: drives the UI by accessible names (as a learner would) and
 * reads the app state through `window.__playground` for precise assertions.
 */
import { test as base, expect, type Page } from '@playwright/test';

export interface EpochPointView {
  epoch: number;
  loss: number;
  acc: number;
  val_loss?: number;
  val_acc?: number;
}

/** Issue 10's bounds while training: a store flush's cost (p95, max) and the Train click, in ms. */
export const BOUNDS = { flushP95Ms: 16, flushMaxMs: 40, clickMs: 16 } as const;

/**
 * Marks a test that times the page's main thread (long tasks, store flush costs): those run
 * one at a time after every other test (playwright.config.ts), so no other browser shares the
 * two cores with them.
 */
export const MAIN_THREAD = { tag: '@main-thread' } as const;

/**
 * A task of 50 ms or more on the page's main thread (Long Tasks API), with the CPU time the
 * thread spent in it (Chromium's trace: `tdur`), or null where the trace did not show it.
 */
export interface LongTask {
  start: number;
  duration: number;
  cpuMs?: number | null;
}

/** A long animation frame's scripts, as Chromium attributes them (LoAF API). */
export interface FrameScript {
  invoker: string;
  invokerType: string;
  sourceFunctionName: string;
  sourceURL: string;
  sourceCharPosition: number;
  duration: number;
  forcedStyleAndLayoutDuration: number;
}

export interface LongFrame {
  start: number;
  duration: number;
  blockingDuration: number;
  scripts: FrameScript[];
}

/** What the main thread did between two moments: long tasks, long frames, flush costs. */
export interface MainThreadReport {
  longTasks: LongTask[];
  /**
   * The long tasks in which the page's main thread itself worked 40 ms or more (BOUNDS.flushMaxMs),
   * or whose CPU time the trace did not give. On this 2-core machine, where the training worker
   * keeps one core busy, the other is shared by the page, the compositor, the GPU process and
   * the browser: a 10 ms render preempted for 40 ms is a long task by the clock, and CPU
   * profiles of such tasks show the thread off the CPU for most of them (no samples). Those are
   * left out here and printed; a task of our own work is not.
   */
  busyTasks: LongTask[];
  /** The long frames in which such a task (40 ms or more of CPU, or unknown) ran. */
  busyFrames: LongFrame[];
  longFrames: LongFrame[];
  /** Each store flush's cost (store update + React's synchronous render), from the app's meter. */
  flushes: { count: number; p95: number; max: number; mean: number; slowest?: { ms: number; what: string }[] };
  /** Time inside the event handlers of the click on Train, in ms (Event Timing API). */
  trainClickMs: number[];
}

type Watch = { longTasks: LongTask[]; longFrames: LongFrame[]; clicks: { start: number; processing: number; target: string }[] };

/** One complete event of Chromium's trace (µs), and the thread names of its metadata. */
type TraceEvent = { ph: string; name: string; cat?: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: { name?: string } };

export class Playground {
  constructor(readonly page: Page) {}

  /** Whether `watchMainThread` started Chromium's trace (stopped by `mainThread`). */
  private tracing = false;

  /** Stops the trace if a test ended before `mainThread` (the fixture's teardown). */
  async stopTracing(): Promise<Buffer | null> {
    if (!this.tracing) return null;
    this.tracing = false;
    return (await this.page.context().browser()?.stopTracing()) ?? null;
  }

  /**
   * Opens the app. Every test has a fresh browser profile, so the wasm thread probe would run
   * in each: the page gets `threads=1` (this machine's count before the probe existed) unless
   * the query names `threads` (`threads=auto` to measure).
   */
  async open(query = '?backend=wasm') {
    const params = new URLSearchParams(query);
    if (!params.has('threads')) params.set('threads', '1');
    await this.page.goto(`/?${params.toString()}`);
    await expect(this.page.getByRole('figure', { name: 'Sample images' })).toBeVisible();
  }

  /**
   * Records, from the page's first script on, every long task, every long animation frame with
   * its script attribution, and every click's handler time. Call before `open`.
   */
  async watchMainThread() {
    // Chromium's trace of the page's tasks, for each long task's CPU time (see `busyTasks`).
    const browser = this.page.context().browser();
    if (browser && !this.tracing) {
      await browser.startTracing(this.page, { categories: ['toplevel', 'blink.user_timing'] });
      this.tracing = true;
    }
    await this.page.addInitScript(() => {
      const w: Watch = { longTasks: [], longFrames: [], clicks: [] };
      (window as unknown as { __watch: Watch }).__watch = w;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as unknown as (PerformanceEntry & { blockingDuration: number; scripts: FrameScript[] })[]) {
          w.longFrames.push({
            start: e.startTime,
            duration: e.duration,
            blockingDuration: e.blockingDuration,
            scripts: e.scripts.map((x) => ({
              invoker: x.invoker,
              invokerType: x.invokerType,
              sourceFunctionName: x.sourceFunctionName,
              sourceURL: x.sourceURL.replace(location.origin, ''),
              sourceCharPosition: x.sourceCharPosition,
              duration: Math.round(x.duration),
              forcedStyleAndLayoutDuration: Math.round(x.forcedStyleAndLayoutDuration),
            })),
          });
        }
      }).observe({ type: 'long-animation-frame', buffered: true });
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as PerformanceEventTiming[]) {
          if (e.name !== 'click') continue;
          const t = e.target as HTMLElement | null;
          w.clicks.push({ start: e.startTime, processing: e.processingEnd - e.processingStart, target: t?.textContent ?? '' });
        }
      }).observe({ type: 'event', durationThreshold: 16, buffered: true } as PerformanceObserverInit);
    });
  }

  /**
   * A request to the training worker and its answer: whatever the worker posted before it
   * handled the request (a batch, a phase) has reached the page when this resolves.
   */
  async workerRoundTrip(): Promise<void> {
    await this.page.evaluate(async () => {
      const p = (window as unknown as {
        __playground: { client: { describeDataset(id: string): Promise<unknown> }; store: { getState(): { config: { datasetId: string } } } };
      }).__playground;
      await p.client.describeDataset(p.store.getState().config.datasetId);
      // …and the store has applied it (the app flushes once per animation frame).
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    });
  }

  /** Now, on the page's clock. */
  now(): Promise<number> {
    return this.page.evaluate(() => performance.now());
  }

  /** Forgets the flush costs measured so far (e.g. those of page load). */
  resetFlushCosts(): Promise<void> {
    return this.page.evaluate(() => (window as unknown as { __playground: { frames: { reset(): void } } }).__playground.frames.reset());
  }

  /**
   * Each long task's CPU time from the trace: a mark on the page's clock places the trace's
   * clock, and a task is the page main thread's top-level task that starts and lasts as long.
   */
  private async withCpuTimes(tasks: LongTask[]): Promise<{ tasks: LongTask[]; busy: { start: number; end: number }[] | null }> {
    const unknown = { tasks: tasks.map((t) => ({ ...t, cpuMs: null })), busy: null };
    const markAt = await this.page.evaluate(() => performance.mark('playground-trace-sync').startTime);
    const buffer = await this.stopTracing();
    if (!buffer) return unknown;
    const parsed = JSON.parse(buffer.toString()) as { traceEvents?: TraceEvent[] } | TraceEvent[];
    const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
    const mark = events.find((e) => e.name === 'playground-trace-sync');
    if (!mark) return unknown;
    const offsetMs = mark.ts / 1000 - markAt;
    const runs = events.filter(
      (e) => e.ph === 'X' && e.pid === mark.pid && e.tid === mark.tid && e.name === 'ThreadControllerImpl::RunTask' && (e.dur ?? 0) >= 40_000,
    );
    // Tasks of 40 ms or more of the thread's own CPU time (or of unknown CPU time), page clock.
    const busy = runs
      .filter((e) => e.tdur === undefined || e.tdur >= BOUNDS.flushMaxMs * 1000)
      .map((e) => ({ start: e.ts / 1000 - offsetMs, end: (e.ts + e.dur!) / 1000 - offsetMs }));
    return {
      tasks: tasks.map((t) => {
        const run = runs.find((e) => Math.abs(e.ts / 1000 - offsetMs - t.start) < 3 && Math.abs(e.dur! / 1000 - t.duration) < 3);
        return { ...t, cpuMs: run?.tdur === undefined ? null : Math.round(run.tdur / 100) / 10 };
      }),
      busy,
    };
  }

  /** What `watchMainThread` saw between `from` and `to` (page clock), and the flush costs. */
  async mainThread(from: number, to: number): Promise<MainThreadReport> {
    // Observers are told of a long frame after it ends: give the last ones time to arrive.
    await this.page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    const report = await this.rawMainThread(from, to);
    const { tasks: longTasks, busy } = await this.withCpuTimes(report.longTasks);
    const busyTasks = longTasks.filter((t) => t.cpuMs === null || t.cpuMs === undefined || t.cpuMs >= BOUNDS.flushMaxMs);
    const busyFrames =
      busy === null ? report.longFrames : report.longFrames.filter((f) => busy.some((b) => b.start < f.start + f.duration && b.end > f.start));
    if (longTasks.length > busyTasks.length || report.longFrames.length > busyFrames.length) {
      console.log(
        `long tasks and frames by the clock, the page's main thread mostly off the CPU in them: ` +
          `${JSON.stringify(longTasks.filter((t) => !busyTasks.includes(t)))}, ${report.longFrames.length - busyFrames.length} frames`,
      );
    }
    return { ...report, longTasks, busyTasks, busyFrames };
  }

  private rawMainThread(from: number, to: number): Promise<Omit<MainThreadReport, 'busyTasks' | 'busyFrames'>> {
    return this.page.evaluate(
      ([a, b]) => {
        const w = (window as unknown as { __watch: Watch }).__watch;
        const frames = (window as unknown as { __playground: { frames: { stats(): MainThreadReport['flushes'] } } }).__playground.frames;
        const inside = (t: { start: number }) => t.start >= a! && t.start <= b!;
        return {
          longTasks: w.longTasks.filter(inside),
          // Frames that blocked input, or ran a script of 40 ms or more.
          longFrames: w.longFrames.filter((f) => inside(f) && (f.blockingDuration > 0 || f.scripts.some((x) => x.duration >= 40))),
          flushes: frames.stats(),
          trainClickMs: w.clicks.filter((c) => c.target.trim() === 'Train').map((c) => c.processing),
        };
      },
      [from, to],
    );
  }

  /**
   * Trains with the page watched (`watchMainThread`) and returns what the main thread did from
   * the first batch to the end of the run. `preset` is a preset's label.
   */
  async trainWatched(s: { preset?: string; examples: number; epochs: number; batch: number; view: 'epoch' | 'batch'; timeout?: number }) {
    await this.watchMainThread();
    await this.open('?backend=wasm');
    if (s.preset) await this.field('Model preset').selectOption({ label: s.preset });
    await this.configure({ examples: s.examples, epochs: s.epochs, batch: s.batch });
    if (s.view === 'batch') await this.page.getByRole('radio', { name: 'Per batch' }).check();
    await this.resetFlushCosts();
    await this.train();
    await expect.poll(() => this.state<number>('batchCount'), { timeout: 60_000 }).toBeGreaterThan(0);
    const from = await this.now();
    await this.waitForStatus('finished', s.timeout ?? 170_000);
    return this.mainThread(from, await this.now());
  }

  field(label: string) {
    return this.page.getByLabel(label, { exact: true });
  }

  async set(label: string, value: string | number) {
    const el = this.field(label);
    const tag = await el.evaluate((e) => e.tagName);
    if (tag === 'SELECT') await el.selectOption({ label: String(value) });
    else await el.fill(String(value));
  }

  /**
   * Presses Train and waits until the run has started (the page starts it after the next
   * paint, so right after the click the status may still be the last run's).
   */
  async train() {
    const before = await this.state<number | null>('runId');
    await this.button('Train').click();
    await expect.poll(() => this.state<number | null>('runId')).not.toBe(before);
  }

  button(name: string) {
    return this.page.getByRole('button', { name, exact: true });
  }

  /** The visible status line (the live region for screen readers is a quieter copy of it). */
  status() {
    return this.page.getByTestId('run-status');
  }

  /** Fills the data and training fields for a short run. */
  async configure(s: { examples?: number; epochs?: number; batch?: number; backend?: string; seed?: number }) {
    if (s.examples !== undefined) await this.set('Training examples', s.examples);
    if (s.epochs !== undefined) await this.set('Epochs', s.epochs);
    if (s.batch !== undefined) await this.set('Batch size', s.batch);
    if (s.seed !== undefined) await this.set('Seed', s.seed);
    if (s.backend !== undefined) await this.field('Backend').selectOption(s.backend);
  }

  async state<T>(pick: string): Promise<T> {
    return this.page.evaluate((p) => {
      const s = (window as unknown as { __playground: { store: { getState(): Record<string, unknown> } } }).__playground.store.getState();
      return p.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], s);
    }, pick) as Promise<T>;
  }

  epochPoints() {
    return this.state<EpochPointView[]>('epochPoints');
  }

  async waitForStatus(status: string, timeout = 120_000) {
    await expect.poll(() => this.state<string>('status'), { timeout }).toBe(status);
  }
}

export const test = base.extend<{ playground: Playground }>({
  playground: async ({ page }, use) => {
    page.on('pageerror', (e) => console.log('[pageerror]', e.message));
    // The built app ships a Content-Security-Policy: anything it blocks fails the test.
    const violations: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) violations.push(m.text().slice(0, 300));
    });
    const pg = new Playground(page);
    await use(pg);
    await pg.stopTracing().catch(() => null);
    expect(violations, 'Content-Security-Policy violations').toEqual([]);
  },
});
export { expect };
export type { Page };
