#!/usr/bin/env node
/**
 * Where a wasm training step spends its time, kernel by kernel, in headless Chromium on the
 * production build (`npm run build` first): bench.html?mode=profile. Prints one JSON object last.
 *
 * Env: PROFILE_MODEL=mlp  PROFILE_BATCHES=32,128  PROFILE_OPTIMIZERS=adam  PROFILE_THREADS=1
 *      PROFILE_STEPS=20  BENCH_PORT=4182
 */
import { launchChromium, startPreview } from './preview.mjs';

const PORT = Number(process.env.BENCH_PORT ?? 4182);
const e = process.env;
const query = new URLSearchParams({
  mode: 'profile',
  model: e.PROFILE_MODEL ?? 'mlp',
  batch: e.PROFILE_BATCHES ?? '32,128',
  optimizer: e.PROFILE_OPTIMIZERS ?? 'adam',
  threads: e.PROFILE_THREADS ?? '1',
  steps: e.PROFILE_STEPS ?? '20',
});
const server = await startPreview(PORT);
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
  await page.goto(`${server.base}/bench.html?${query}`);
  await page.waitForFunction(() => window.__bench, null, { timeout: 900_000, polling: 500 });
  const result = await page.evaluate(() => window.__bench);
  for (const r of result.results) {
    console.error(`${r.model} b${r.batchSize} ${r.optimizer}, ${r.threads} thread(s)${r.simd ? ', SIMD loops' : ''}: ${r.stepMs} ms/step (${r.samplesPerSec}/s), kernels ${r.kernelMs} ms, outside kernels ${r.engineMs} ms (${r.kernelCallsPerStep} kernel calls)`);
    for (const k of (r.kernels ?? []).slice(0, 60)) console.error(`  ${k.name.padEnd(48)} ${String(k.msPerStep).padStart(8)} ms  x${k.callsPerStep}`);
  }
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
  server.stop();
}
