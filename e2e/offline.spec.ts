/**
 * Offline and installable (issue 13, item 4): after one visit the app opens and trains with
 * the network off, and a new version deployed at the same address is picked up after the
 * learner's Reload, never in the middle of a run. The only spec that lets the app's service
 * worker run (playwright.config.ts blocks it elsewhere).
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { startStaticServer, type StaticServer } from './staticServer';

const DIST = process.env.E2E_DIST ?? 'dist';
test.use({ serviceWorkers: 'allow' });

/** Waits until the service worker is active and has precached the app. */
async function serviceWorkerActive(page: Page) {
  await expect
    .poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.state ?? 'none'), { timeout: 60_000 })
    .toBe('activated');
}

test('after one visit: offline, the app reloads and trains MNIST to a test result', async ({ playground: pg, page, context }) => {
  await pg.open('?backend=wasm');
  await serviceWorkerActive(page);
  await expect(page.getByText('it opens and trains without a network connection')).toBeVisible();
  // The training worker has kept MNIST (inflated) in Cache Storage.
  await expect
    .poll(() => page.evaluate(async () => (await (await caches.open('playground-datasets-v1')).keys()).length), { timeout: 60_000 })
    .toBeGreaterThanOrEqual(4);
  const manifest = await page.evaluate(async () => {
    const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]');
    return link ? ((await (await fetch(link.href)).json()) as { name: string; icons: { sizes: string }[] }) : null;
  });
  expect(manifest?.name).toBe('Training Playground');
  expect(manifest?.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('figure', { name: 'Sample images' })).toBeVisible();
  await pg.configure({ examples: 1000, epochs: 1, batch: 32 });
  await pg.train();
  await pg.waitForStatus('finished');
  await expect(page.getByRole('region', { name: 'Test evaluation' })).toContainText(/Test accuracy: \d+/);
  await context.setOffline(false);
});

test.describe('a new version deployed at the same address', () => {
  let server: StaticServer;
  let v2: string;

  test.beforeAll(async () => {
    // The second build: the same files with a changed page, and the service worker's
    // precache list saying so (Workbox revisions are the MD5 of each file).
    v2 = await mkdtemp(join(tmpdir(), 'playground-v2-'));
    await cp(DIST, v2, { recursive: true });
    const html = (await readFile(join(v2, 'index.html'), 'utf8')).replace('<head>', '<head>\n    <meta name="app-build" content="second" />');
    await writeFile(join(v2, 'index.html'), html);
    const sw = await readFile(join(v2, 'sw.js'), 'utf8');
    const revised = sw.replace(/(url:"index\.html",revision:")[0-9a-f]+(")/, `$1${createHash('md5').update(html).digest('hex')}$2`);
    if (revised === sw) throw new Error('sw.js lists no revision for index.html: the precache format changed');
    await writeFile(join(v2, 'sw.js'), revised);
    server = await startStaticServer({ root: DIST });
  });
  test.afterAll(async () => {
    await server.close();
    await rm(v2, { recursive: true, force: true });
  });

  test('is offered with a Reload prompt, which waits for the run to end, then replaces the old one', async ({ playground: pg, page }) => {
    await page.goto(`${server.origin}/?backend=wasm&threads=1`);
    await serviceWorkerActive(page);
    await page.reload(); // now under the service worker's control
    await expect(page.getByRole('figure', { name: 'Sample images' })).toBeVisible();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    server.setRoot(v2);
    // A run long enough that the new version arrives in the middle of it.
    await pg.configure({ examples: 60000, epochs: 5, batch: 32 });
    await pg.train();
    await pg.waitForStatus('training');
    await page.evaluate(async () => void (await navigator.serviceWorker.getRegistration())?.update());
    const prompt = page.getByRole('status').filter({ hasText: 'A new version of Training Playground is ready' });
    await expect(prompt).toBeVisible({ timeout: 60_000 });
    const reload = prompt.getByRole('button', { name: 'Reload' });
    // Mid-run: the old version keeps running, and Reload waits for the run to end.
    expect(await pg.state<string>('status')).toBe('training');
    await expect(reload).toBeDisabled();
    await expect(prompt).toContainText('Reload once the run has ended');
    await prompt.screenshot({ path: test.info().outputPath('update-prompt-mid-run.png') });
    expect(await page.evaluate(() => document.querySelector('meta[name="app-build"]'))).toBeNull();
    await pg.button('Stop').click();
    await pg.waitForStatus('stopped');
    await expect(reload).toBeEnabled();
    await Promise.all([page.waitForEvent('load'), reload.click()]);
    await expect(page.getByRole('figure', { name: 'Sample images' })).toBeVisible();
    await expect(page.locator('meta[name="app-build"]')).toHaveAttribute('content', 'second');
  });
});
