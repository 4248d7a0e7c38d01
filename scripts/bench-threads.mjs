#!/usr/bin/env node
/**
 * wasm training speed per thread count, in headless Chromium on the production build
 * (`npm run build` first): bench.html?mode=threads, which times each count in a fresh worker
 * with the app's own thread probe (src/worker/threadProbe.ts), on longer runs than the app's
 * (12 steps after 2 warm-up steps, per model and batch size). Prints one JSON object last.
 *
 * Env: BENCH_THREADS=1,2,4  BENCH_PORT=4181
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from './chromium-args.mjs';

const PORT = Number(process.env.BENCH_PORT ?? 4181);
const threads = process.env.BENCH_THREADS ?? '1,2,4';
const viteBin = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));
const server = spawn(process.execPath, [viteBin, 'preview', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise((resolve, reject) => {
  server.stdout.on('data', (d) => String(d).includes(String(PORT)) && resolve());
  server.on('exit', (code) => reject(new Error(`vite preview exited with ${code}`)));
});
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage();
  page.on('console', (m) => console.error(`[page] ${m.text()}`));
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  await page.goto(`http://127.0.0.1:${PORT}/bench.html?mode=threads&threads=${threads}`);
  await page.waitForFunction(() => window.__bench, null, { timeout: 900_000, polling: 500 });
  console.log(JSON.stringify(await page.evaluate(() => window.__bench)));
} finally {
  await browser.close();
  server.kill();
}
