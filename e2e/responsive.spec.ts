/**
 * The page stays responsive while training (issue 10): every store flush is cheap, no task
 * blocks the page for 50 ms or more, and pressing Train returns at once. Each failure names
 * the work that was slow (Chromium's long-animation-frame script attribution).
 */
import { test, expect, BOUNDS, MAIN_THREAD, type MainThreadReport } from './fixtures';


const { flushP95Ms: FLUSH_P95_MS, flushMaxMs: FLUSH_MAX_MS, clickMs: CLICK_MS } = BOUNDS;

function explain(r: MainThreadReport): string {
  const frames = r.longFrames.map((f) => ({
    at: Math.round(f.start),
    ms: Math.round(f.duration),
    blocking: Math.round(f.blockingDuration),
    scripts: f.scripts
      .filter((s) => s.duration >= 5)
      .map((s) => `${s.invoker} → ${s.sourceFunctionName || '(anonymous)'} ${s.sourceURL}:${s.sourceCharPosition} ${s.duration} ms (layout ${s.forcedStyleAndLayoutDuration} ms)`),
  }));
  return JSON.stringify({ longTasks: r.longTasks, flushes: r.flushes, trainClickMs: r.trainClickMs, longFrames: frames }, null, 1);
}

function expectResponsive(r: MainThreadReport) {
  const why = explain(r);
  // Enough flushes that the 95th percentile is not simply the slowest one.
  expect(r.flushes.count, why).toBeGreaterThanOrEqual(20);
  expect(r.busyTasks, `long tasks of the page's own work while training: ${why}`).toEqual([]);
  expect(r.busyFrames, `frames blocked by the page's own script work while training: ${why}`).toEqual([]);
  expect(r.flushes.p95, `store flush p95: ${why}`).toBeLessThanOrEqual(FLUSH_P95_MS);
  expect(r.flushes.max, `slowest store flush: ${why}`).toBeLessThanOrEqual(FLUSH_MAX_MS);
  for (const ms of r.trainClickMs) expect(ms, `Train click handler: ${why}`).toBeLessThan(CLICK_MS);
}

for (const view of ['epoch', 'batch'] as const) {
  test(`responsive while training: the chapter MLP at batch 32, ${view} view`, MAIN_THREAD, async ({ playground: pg }) => {
    const r = await pg.trainWatched({ examples: 2000, epochs: 3, batch: 32, view });
    console.log(`MLP b32 ${view}: flushes ${JSON.stringify(r.flushes)}, Train click ${JSON.stringify(r.trainClickMs)} ms`);
    expectResponsive(r);
  });

  test(`responsive while training: the Small CNN at batch 64, ${view} view`, MAIN_THREAD, async ({ playground: pg }) => {
    // 120 batches, about 2 s: the 12 flushes of 640 examples × 2 epochs made the 95th
    // percentile the slowest flush, so one preempted frame on this 2-core machine failed
    // the p95 bound (CI twice).
    const r = await pg.trainWatched({ preset: 'Small CNN', examples: 1920, epochs: 6, batch: 64, view });
    console.log(`Small CNN b64 ${view}: flushes ${JSON.stringify(r.flushes)}, Train click ${JSON.stringify(r.trainClickMs)} ms`);
    expectResponsive(r);
  });
}
