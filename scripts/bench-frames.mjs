/**
 * The responsiveness entries of `npm run bench` (issue 10), measured in the app itself as a
 * learner uses it: what each store flush costs the page's main thread while training (p95 and
 * max, from the app's own meter: the store update and React's synchronous render of it), every
 * task of 50 ms or more, the Train click handler's time, and at page load the longest task
 * before the app is ready to train (the dataset's sample images shown). BENCH_FRAMES=0 skips it.
 *
 * BENCH_LONG_RUN=EXAMPLESxEPOCHS (e.g. 60000x10) adds a run at batch size 1 of that size,
 * with the tab's memory (performance.measureUserAgentSpecificMemory: page and workers) at its
 * end. Off by default: the full-size run takes the better part of an hour here.
 */

/** Watches long tasks and the click's handler time, from the page's first script on. */
const WATCH = () => {
  const w = { longTasks: [], clicks: [] };
  window.__watch = w;
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) w.longTasks.push({ start: Math.round(e.startTime), duration: Math.round(e.duration) });
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) {
      if (e.name === 'click' && e.target?.textContent?.trim() === 'Train') w.clicks.push(e.processingEnd - e.processingStart);
    }
  }).observe({ type: 'event', durationThreshold: 16, buffered: true });
};

const round = (x) => Number(x.toFixed(2));

async function open(browser, base) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.addInitScript(WATCH);
  await page.goto(`${base}/?backend=wasm&threads=1`);
  // Ready: the dataset is described (its sample images shown) and Train can start.
  await page.getByRole('figure', { name: 'Sample images' }).waitFor({ timeout: 120_000 });
  return page;
}

async function trainWatched(page, { preset, examples, epochs, batch, view }) {
  if (preset) await page.getByLabel('Model preset', { exact: true }).selectOption(preset);
  await page.getByLabel('Training examples', { exact: true }).fill(String(examples));
  await page.getByLabel('Epochs', { exact: true }).fill(String(epochs));
  await page.getByLabel('Batch size', { exact: true }).fill(String(batch));
  if (view === 'batch') await page.getByRole('radio', { name: 'Per batch' }).check();
  await page.evaluate(() => window.__playground.frames.reset());
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.waitForFunction(() => window.__playground.store.getState().batchCount > 0, null, { timeout: 120_000, polling: 50 });
  const from = await page.evaluate(() => performance.now());
  await page.waitForFunction(
    () => ['finished', 'stopped', 'error'].includes(window.__playground.store.getState().status),
    null,
    { timeout: 0, polling: 500 },
  );
  return page.evaluate((t0) => {
    const s = window.__playground.frames.stats();
    const st = window.__playground.store.getState();
    return {
      status: st.status,
      batches: st.batchCount,
      flushes: s.count,
      frameP95Ms: s.p95,
      frameMaxMs: s.max,
      frameMeanMs: s.mean,
      longTasks: window.__watch.longTasks.filter((t) => t.start >= t0),
      trainClickMs: window.__watch.clicks,
    };
  }, from);
}

export async function benchFrames(browser, base) {
  if (process.env.BENCH_FRAMES === '0') return null;
  const cases = [];
  for (const [model, preset, batch, examples, epochs] of [
    ['mlp', null, 32, 2000, 3],
    ['small-cnn', 'small-cnn', 64, 640, 2],
  ]) {
    for (const view of ['epoch', 'batch']) {
      const page = await open(browser, base);
      const r = await trainWatched(page, { preset, examples, epochs, batch, view });
      await page.close();
      const c = { model, batch, view, ...r, frameP95Ms: round(r.frameP95Ms), frameMaxMs: round(r.frameMaxMs), frameMeanMs: round(r.frameMeanMs) };
      console.error(`frames ${model} b${batch} ${view}: p95 ${c.frameP95Ms} ms, max ${c.frameMaxMs} ms over ${c.flushes} flushes, ${c.longTasks.length} long tasks`);
      cases.push(c);
    }
  }
  // Page load: the longest task from navigation to ready (dataset shown, Train enabled).
  const page = await open(browser, base);
  const load = await page.evaluate(() => {
    const ready = performance.now();
    const tasks = window.__watch.longTasks.filter((t) => t.start < ready);
    return { readyMs: Math.round(ready), loadLongestTaskMs: Math.max(0, ...tasks.map((t) => t.duration)), loadLongTasks: tasks };
  });
  await page.close();
  console.error(`page load: ready after ${load.readyMs} ms, longest task ${load.loadLongestTaskMs} ms`);

  let longRun = null;
  const spec = process.env.BENCH_LONG_RUN;
  if (spec) {
    const [examples, epochs] = spec.split('x').map(Number);
    const page = await open(browser, base);
    const t0 = Date.now();
    const r = await trainWatched(page, { preset: null, examples, epochs, batch: 1, view: 'batch' });
    const memory = await page.evaluate(async () => (await performance.measureUserAgentSpecificMemory()).bytes);
    await page.close();
    longRun = { examples, epochs, batch: 1, minutes: round((Date.now() - t0) / 60000), ...r, tabMemoryMB: Math.round(memory / 2 ** 20) };
    console.error(`long run ${examples}x${epochs} b1: p95 ${round(r.frameP95Ms)} ms, max ${round(r.frameMaxMs)} ms, ${r.longTasks.length} long tasks, ${longRun.tabMemoryMB} MB`);
  }
  return {
    frameP95Ms: Math.max(...cases.map((c) => c.frameP95Ms)),
    frameMaxMs: Math.max(...cases.map((c) => c.frameMaxMs)),
    cases,
    ...load,
    ...(longRun ? { longRun } : {}),
  };
}
