/**
 * The built dist/ deployed under a sub-path of a plain static host (issue 13, item 5): no
 * absolute URL in it may break there. ./staticServer.ts serves dist/ at /sub/path/ with the
 * two isolation headers and nothing at the site's root, so any request that escapes the
 * sub-path fails and the test names it.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { startStaticServer, type StaticServer } from './staticServer';

const DIST = process.env.E2E_DIST ?? 'dist';
const PREFIX = '/sub/path/';
let server: StaticServer;

test.beforeAll(async () => {
  server = await startStaticServer({ root: DIST, prefix: PREFIX });
});
test.afterAll(() => server.close());

test('dist/ has no root-absolute URL in its pages, scripts and styles', async () => {
  const found: string[] = [];
  const scan = async (dir: string) => {
    for (const name of await readdir(dir)) {
      const p = join(dir, name);
      if ((await stat(p)).isDirectory()) {
        if (name !== 'datasets' && name !== 'samples') await scan(p);
      } else if (/\.(html|css|js)$/.test(name)) {
        const text = await readFile(p, 'utf8');
        // src="/…", href="/…", url(/…), and "/assets/…" string literals.
        for (const m of text.matchAll(/(?:src|href)="\/(?!\/)[^"]*"|url\(\/(?!\/)[^)]*\)|["'`]\/assets\/[^"'`]*["'`]/g)) found.push(`${p}: ${m[0]}`);
      }
    }
  };
  await scan(DIST);
  expect(found).toEqual([]);
});

test('served under /sub/path/: loads, trains MNIST on wasm, and scores the test set', async ({ playground: pg, page }) => {
  await page.goto(`${server.origin}${PREFIX}?backend=wasm&threads=1`);
  await expect(page.getByRole('figure', { name: 'Sample images' })).toBeVisible();
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
  await pg.configure({ examples: 1000, epochs: 1, batch: 32 });
  await pg.train();
  await pg.waitForStatus('finished');
  await expect(page.getByRole('region', { name: 'Test evaluation' })).toContainText(/Test accuracy: \d+/);
  // The lesson sample (a zip in public/samples) is fetched by the page, relative to it too.
  const sample = await page.evaluate(async () => (await fetch('samples/shapes-on-disk.zip')).status);
  expect(sample).toBe(200);
  expect(server.outside, 'requests that left the sub-path').toEqual([]);
});
