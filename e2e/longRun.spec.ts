/**
 * A long run at batch size 1 (issue 10): tens of thousands of batch points reach the page, in
 * the per-batch view, and the page stays responsive with the tab's memory bounded. The
 * full-size run (60,000 examples × 10 epochs) is `BENCH_LONG_RUN=60000x10 npm run bench`;
 * this one is sized for CI.
 */
import { test, expect, BOUNDS, MAIN_THREAD } from './fixtures';

const EXAMPLES = 3000;
const EPOCHS = 4;
/** The tab (page and workers), measured by the browser. */
const MEMORY_LIMIT_MB = 1024;

test.describe(() => {
  test('batch size 1 over a long run: responsive, every point kept, memory bounded', MAIN_THREAD, async ({ playground: pg, page }) => {
    test.setTimeout(480_000);
    const r = await pg.trainWatched({ examples: EXAMPLES, epochs: EPOCHS, batch: 1, view: 'batch', timeout: 420_000 });

    const split = await pg.state<{ trainCount: number }>('split');
    const count = await pg.state<number>('batchCount');
    expect(count).toBe(split.trainCount * EPOCHS);
    // The chart draws a bounded number of points however many batches there were.
    const drawn = await page.getByRole('img', { name: 'Loss chart' }).locator('path.recharts-curve').first().getAttribute('d');
    expect((drawn ?? '').split('L').length).toBeLessThanOrEqual(400);
    await expect(page.getByText(/Each point averages up to \d+ batches/)).toBeVisible();

    const why = JSON.stringify({ ...r, longFrames: r.longFrames.slice(0, 5) });
    console.log(`batch 1, ${count} batches: flushes ${JSON.stringify(r.flushes)}`);
    expect(r.busyTasks, `long tasks of the page's own work while training: ${why}`).toEqual([]);
    expect(r.flushes.p95, why).toBeLessThanOrEqual(BOUNDS.flushP95Ms);
    expect(r.flushes.max, why).toBeLessThanOrEqual(BOUNDS.flushMaxMs);

    const bytes = await page.evaluate(async () => {
      const p = performance as Performance & { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> };
      return p.measureUserAgentSpecificMemory ? (await p.measureUserAgentSpecificMemory()).bytes : null;
    });
    console.log(`tab memory after the run: ${bytes === null ? 'not measurable' : `${Math.round(bytes / 2 ** 20)} MB`}`);
    expect(bytes, 'performance.measureUserAgentSpecificMemory needs a cross-origin isolated page').not.toBeNull();
    expect(bytes! / 2 ** 20).toBeLessThan(MEMORY_LIMIT_MB);
  });
});
