#!/usr/bin/env node
/**
 * wasm training speed per thread count, in headless Chromium on the production build
 * (`npm run build` first): bench.html?mode=threads, which times each count in a fresh worker
 * with the app's own thread probe (src/worker/threadProbe.ts), on longer runs than the app's
 * (12 steps after 2 warm-up steps, per model and batch size). Prints one JSON object last.
 *
 * Env: BENCH_THREADS=1,2,4  BENCH_PORT=4181
 */
import { launchChromium, startPreview } from './preview.mjs';

const PORT = Number(process.env.BENCH_PORT ?? 4181);
const threads = process.env.BENCH_THREADS ?? '1,2,4';
const server = await startPreview(PORT);
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  page.on('console', (m) => console.error(`[page] ${m.text()}`));
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  await page.goto(`${server.base}/bench.html?mode=threads&threads=${threads}`);
  await page.waitForFunction(() => window.__bench, null, { timeout: 900_000, polling: 500 });
  console.log(JSON.stringify(await page.evaluate(() => window.__bench)));
} finally {
  await browser.close();
  server.stop();
}
