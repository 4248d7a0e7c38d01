import { test, expect } from './fixtures';

type ThreadsReport = {
  threads: number;
  chosen: 'measured' | 'cached' | 'asked' | 'only' | 'provisional';
  reason: string;
  speeds?: { threads: number; samplesPerSec: number }[];
  probeMs?: number;
};
type Report = { backend: string; wasmThreads?: ThreadsReport };

// vite preview sends the COOP/COEP headers: the page is cross-origin isolated, threads can run.
test('wasm threads: a first visit trains at once on 1 thread, the counts are timed after the run, and the next runs use the faster', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm&threads=auto');
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  test.skip(cores < 2, 'one logical core: there is nothing to measure');
  await pg.configure({ examples: 200, epochs: 1, batch: 32 });
  await pg.train();
  await pg.waitForStatus('finished');
  // The first run did not wait for the timing: 1 thread, saying so.
  expect((await pg.state<Report>('backend')).wasmThreads).toMatchObject({ threads: 1, chosen: 'provisional' });
  await expect(page.getByText(/wasm runs on 1 thread for now: how many threads train fastest/)).toBeVisible();
  // Then, with the page idle, the counts are timed and the choice is shown.
  await expect.poll(() => pg.state<ThreadsReport | null>('threadsMeasured'), { timeout: 60_000 }).not.toBeNull();
  const measured = (await pg.state<ThreadsReport>('threadsMeasured'))!;
  console.log('wasm threads, measured after the first run:', JSON.stringify(measured));
  expect(measured.chosen).toBe('measured');
  const counts = measured.speeds!.map((s) => s.threads).sort((a, b) => a - b);
  expect(counts[0]).toBe(1);
  expect(counts.at(-1)).toBe(Math.min(cores, 8));
  // More threads only when at least 10% faster than the count with fewer.
  const rate = (n: number) => measured.speeds!.find((s) => s.threads === n)!.samplesPerSec;
  for (const n of counts.filter((c) => c < measured.threads)) expect(rate(measured.threads)).toBeGreaterThanOrEqual(rate(n) * 1.1);
  for (const n of counts.filter((c) => c > measured.threads)) expect(rate(n)).toBeLessThan(rate(measured.threads) * 1.1);
  expect(measured.probeMs).toEqual(expect.any(Number)); // how long it takes is the bench's business
  await expect(page.getByText(`The next run uses ${measured.threads} thread`)).toBeVisible();

  // The next run in this page runs on the measured count (a fresh worker where it differs:
  // tfjs reports the count it really started).
  await pg.train();
  await pg.waitForStatus('finished');
  const second = (await pg.state<Report>('backend')).wasmThreads!;
  expect(second).toMatchObject({ chosen: 'cached', threads: measured.threads, speeds: measured.speeds });
  expect(await pg.state('threadsMeasured')).toBeNull();
  await expect(page.getByText(/wasm runs on .*\(measured earlier on this device\)/)).toBeVisible();

  // The page loaded again (a new training worker, the same browser profile) reads the choice too.
  await pg.open('?backend=wasm&threads=auto');
  await pg.configure({ examples: 200, epochs: 1, batch: 32 });
  await pg.train();
  await pg.waitForStatus('finished');
  expect((await pg.state<Report>('backend')).wasmThreads).toMatchObject({ chosen: 'cached', threads: measured.threads });
  await page.waitForTimeout(2500); // past the delay after which a pending timing would start
  expect(await pg.state('threadsMeasured'), 'nothing is timed again').toBeNull();
});

test('a run started before the thread counts are timed ends the timing; they are timed after it', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm&threads=auto');
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  test.skip(cores < 2, 'one logical core: there is nothing to measure');
  // Runs longer than the 1.5 s after which the timing would start, plus the timing itself.
  await pg.configure({ examples: 3000, epochs: 2, batch: 32 });
  await pg.train();
  await pg.waitForStatus('finished', 120_000);
  await pg.train(); // at once: the timing due after the first run must not share the cores with this one
  await pg.waitForStatus('finished', 120_000);
  expect((await pg.state<Report>('backend')).wasmThreads).toMatchObject({ threads: 1, chosen: 'provisional' });
  // Nothing was timed during the second run (its backend report cleared any earlier result)...
  expect(await pg.state('threadsMeasured')).toBeNull();
  // ...but after it.
  await expect.poll(() => pg.state<ThreadsReport | null>('threadsMeasured'), { timeout: 60_000 }).not.toBeNull();
});

test('?threads=2 skips the probe and wasm really runs two threads', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm&threads=2');
  await pg.configure({ examples: 200, epochs: 1, batch: 32 });
  await pg.train();
  await pg.waitForStatus('finished');
  const report = await pg.state<Report>('backend');
  // `threads` is what tfjs reports it started (getThreadsCount), not what was asked for.
  expect(report.wasmThreads).toEqual({ threads: 2, chosen: 'asked', reason: '2 threads: asked for in the address (?threads=2)' });
  await expect(page.getByText('wasm runs on 2 threads: asked for in the address (?threads=2).')).toBeVisible();
  expect((await pg.epochPoints()).length).toBe(1);
});
