/**
 * The augmentation entry of `npm run bench`: samples/s of the playground's training with
 * every augmentation on against none, same backend, same page (bench.html?mode=augment).
 * The quality bar is ratio >= 0.8. BENCH_AUGMENT=0 skips it.
 */
export async function benchAugment(browser, base, { backends, batches, examples, epochs }) {
  if (process.env.BENCH_AUGMENT === '0') return [];
  const results = [];
  for (const backend of backends) {
    for (const [i, batchSize] of batches.entries()) {
      const page = await browser.newPage();
      const order = i % 2 === 0 ? 'plain-first' : 'augment-first';
      await page.goto(`${base}/bench.html?mode=augment&backend=${backend}&batch=${batchSize}&examples=${examples}&epochs=${epochs}&order=${order}`);
      await page.waitForFunction(() => window.__bench, null, { timeout: 900_000, polling: 500 });
      const r = await page.evaluate(() => window.__bench);
      await page.close();
      if (r.error) throw new Error(`augment ${backend} b${batchSize}: ${r.error}`);
      console.error(
        `augment ${backend} b${batchSize}: all augmentations ${r.augmentSamplesPerSec}/s, none ${r.noAugmentSamplesPerSec}/s, ratio ${r.ratio}`,
      );
      results.push(r);
    }
  }
  return results;
}
