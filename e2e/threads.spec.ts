import { test, expect } from './fixtures';

type ThreadsReport = {
  threads: number;
  chosen: 'measured' | 'cached' | 'asked' | 'only';
  reason: string;
  speeds?: { threads: number; samplesPerSec: number }[];
  probeMs?: number;
};
type Report = { backend: string; wasmThreads?: ThreadsReport };

// vite preview sends the COOP/COEP headers: the page is cross-origin isolated, threads can run.
test('wasm threads: measured once per device, the faster count taken, the decision reported', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm&threads=auto');
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  test.skip(cores < 2, 'one logical core: there is nothing to measure');
  await pg.configure({ examples: 200, epochs: 1, batch: 32 });
  await pg.train();
  await pg.waitForStatus('finished');
  const first = (await pg.state<Report>('backend')).wasmThreads!;
  console.log('wasm threads, measured:', JSON.stringify(first));
  expect(first.chosen).toBe('measured');
  const counts = first.speeds!.map((s) => s.threads).sort((a, b) => a - b);
  expect(counts[0]).toBe(1);
  expect(counts.at(-1)).toBe(Math.min(cores, 8));
  // More threads only when at least 10% faster than the count with fewer.
  const rate = (n: number) => first.speeds!.find((s) => s.threads === n)!.samplesPerSec;
  for (const n of counts.filter((c) => c < first.threads)) expect(rate(first.threads)).toBeGreaterThanOrEqual(rate(n) * 1.1);
  for (const n of counts.filter((c) => c > first.threads)) expect(rate(n)).toBeLessThan(rate(first.threads) * 1.1);
  // The probe ran (its duration is reported; how long it takes is the bench's business).
  expect(first.probeMs).toEqual(expect.any(Number));
  await expect(page.getByText(`wasm runs on ${first.threads} thread`)).toBeVisible();
  await expect(page.getByText(/wasm runs on .* samples\/s vs .*\(measured just now\)/)).toBeVisible();

  // The page loaded again (a new training worker, the same browser profile) reads the choice.
  await pg.open('?backend=wasm&threads=auto');
  await pg.configure({ examples: 200, epochs: 1, batch: 32 });
  await pg.train();
  await pg.waitForStatus('finished');
  const second = (await pg.state<Report>('backend')).wasmThreads!;
  expect(second).toMatchObject({ chosen: 'cached', threads: first.threads, speeds: first.speeds });
  expect(second.probeMs).toBeUndefined();
  await expect(page.getByText(/wasm runs on .*\(measured earlier on this device\)/)).toBeVisible();
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
