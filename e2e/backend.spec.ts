import { test, expect } from './fixtures';
// @ts-expect-error plain .mjs shared with scripts/bench.mjs
import { CHROMIUM_ARGS } from '../scripts/chromium-args.mjs';

// This file's browser runs without --enable-unsafe-webgpu, so WebGPU has no adapter.
test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: (CHROMIUM_ARGS as string[]).filter((a) => a !== '--enable-unsafe-webgpu'),
  },
});

  test('a preferred backend that fails to start falls back, and the UI says why', async ({ playground: pg, page }) => {
    await pg.open('?backend=webgpu');
    await expect(pg.field('Backend')).toHaveValue('webgpu');
    await pg.configure({ examples: 200, epochs: 1, batch: 50 });
    await pg.train();
    await pg.waitForStatus('finished');
    const report = await pg.state<{ backend: string; skipped: { backend: string; reason: string }[] }>('backend');
    expect(report.backend).not.toBe('webgpu');
    expect(report.skipped[0]).toMatchObject({ backend: 'webgpu' });
    await expect(page.getByText(/skipped webgpu \(/)).toBeVisible();
    await expect(pg.status()).toContainText(`backend: ${report.backend}`);
});

test('wasm trains Conv2D: the Small CNN runs on wasm with nothing skipped', async ({ playground: pg }) => {
  await pg.open('?backend=wasm');
  await pg.field('Model preset').selectOption({ label: 'Small CNN' });
  await pg.configure({ examples: 100, epochs: 1, batch: 50 });
  await pg.train();
  await pg.waitForStatus('finished', 150_000);
  const report = await pg.state<{ backend: string; skipped: { backend: string; reason: string }[] }>('backend');
  expect(report.backend).toBe('wasm');
  expect(report.skipped).toEqual([]);
  await expect(pg.status()).toContainText('backend: wasm');
});
