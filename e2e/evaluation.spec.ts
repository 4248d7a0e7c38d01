import AxeBuilder from '@axe-core/playwright';
import { test, expect, MAIN_THREAD, type Page } from './fixtures';

/** Serious and critical axe violations inside `selector`, one line each. */
async function violations(page: Page, selector: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).include(selector).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`);
}

/** The evaluation's confusion matrix as rows of counts (typed arrays don't cross evaluate). */
function matrix(page: Page): Promise<{ names: string[]; rows: number[][] }> {
  return page.evaluate(() => {
    const s = (window as unknown as { __playground: { store: { getState(): { evaluation: { classNames: string[]; matrix: Int32Array } } } } })
      .__playground.store.getState().evaluation;
    const n = s.classNames.length;
    return { names: s.classNames, rows: Array.from({ length: n }, (_, t) => Array.from(s.matrix.subarray(t * n, (t + 1) * n))) };
  });
}

const images = (n: number) => `${n} image${n === 1 ? '' : 's'}`;

/** Draws a stroke through `points` (fractions of the pad) with the mouse, in small moves. */
async function stroke(page: Page, points: [number, number][]) {
  const pad = page.getByRole('img', { name: 'Drawing pad' });
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  const at = ([x, y]: [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
  await page.mouse.move(...at(points[0]!));
  await page.mouse.down();
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = at(points[i - 1]!);
    const [x1, y1] = at(points[i]!);
    for (let k = 1; k <= 12; k++) await page.mouse.move(x0 + ((x1 - x0) * k) / 12, y0 + ((y1 - y0) * k) / 12);
  }
  await page.mouse.up();
}

test('confusion matrix: counts per true × predicted class, a cell opens its images, per-class table, keyboard, axe', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  await pg.configure({ examples: 1000, epochs: 1, batch: 32 });
  await pg.train();
  await pg.waitForStatus('finished');

  const region = page.getByRole('region', { name: 'Confusion matrix' });
  await expect(region).toBeVisible();
  await expect(region.getByRole('button', { name: /^true \d, predicted \d: \d+ images?$/ })).toHaveCount(100);
  const { names, rows } = await matrix(page);
  expect(rows.flat().reduce((a, b) => a + b, 0)).toBe(10_000);

  // The default gallery: the most confidently wrong.
  const gallery = page.getByRole('region', { name: 'Misclassified examples' });
  await expect(gallery.getByRole('heading', { name: 'Most confidently wrong' })).toBeVisible();
  await expect(gallery.getByRole('img').first()).toBeVisible();

  // The largest off-diagonal cell.
  let [bt, bp, best] = [0, 1, -1];
  rows.forEach((r, t) => r.forEach((c, p) => t !== p && c > best && ([bt, bp, best] = [t, p, c])));
  expect(best).toBeGreaterThan(0);
  const cell = region.getByRole('button', { name: `true ${names[bt]}, predicted ${names[bp]}: ${images(best)}`, exact: true });
  await cell.click();
  await expect(cell).toHaveAttribute('aria-pressed', 'true');
  await expect(gallery.getByRole('heading', { name: `True ${names[bt]}, predicted ${names[bp]}` })).toBeVisible();
  const shown = gallery.getByRole('img', { name: new RegExp(`true ${names[bt]}, predicted ${names[bp]} \\(\\d+(\\.\\d)?%\\)$`) });
  await expect(shown).toHaveCount(Math.min(best, 12));
  await expect(gallery.getByRole('list', { name: /^Top probabilities for test image/ }).first()).toContainText('%');

  // Keyboard: arrows move between cells; Enter opens one.
  await cell.focus();
  await page.keyboard.press('ArrowDown');
  const below = Math.min(bt + 1, names.length - 1);
  await expect(region.getByRole('button', { name: new RegExp(`^true ${names[below]}, predicted ${names[bp]}:`) })).toBeFocused();
  await page.keyboard.press('Home');
  await expect(region.getByRole('button', { name: new RegExp(`^true ${names[below]}, predicted ${names[0]}:`) })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(gallery.getByRole('heading', { name: `True ${names[below]}, predicted ${names[0]}${below === 0 ? ' (correct)' : ''}` })).toBeVisible();

  const perClass = page.getByRole('region', { name: 'Per-class accuracy' });
  await expect(perClass.getByRole('row')).toHaveCount(11);
  await expect(perClass).toContainText('Precision');

  for (const name of ['Confusion matrix', 'Misclassified examples', 'Per-class accuracy', 'Try it']) {
    expect(await violations(page, `[aria-label="${name}"]`), name).toEqual([]);
  }
  if (process.env.EVAL_SHOTS) {
    await page.setViewportSize({ width: 1024, height: 768 });
    await region.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/eval-normal-1024.png' });
    await perClass.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/eval-perclass-1024.png' });
  }
  // On demand: Evaluate on test set gives the same matrix again.
  await pg.button('Evaluate on test set').click();
  await pg.waitForStatus('finished');
  expect((await matrix(page)).rows).toEqual(rows);
});

test.describe(() => {
  test('Try it: a drawn 1 reads as 1, live and without long tasks; Clear; an image file; presenter view', MAIN_THREAD, async ({ playground: pg, page }) => {
    test.setTimeout(300_000);
    await pg.watchMainThread();
    await pg.open('?backend=wasm');
    await pg.configure({ examples: 6000, epochs: 2, batch: 32 });
    await pg.train();
    await pg.waitForStatus('finished', 240_000);

    const tryIt = page.getByRole('region', { name: 'Try it' });
    const predictions = tryIt.getByRole('list', { name: 'Predictions' });
    // The evaluation view is filled (its images fetched) before the drawing is watched.
    await expect(page.getByRole('region', { name: 'Misclassified examples' }).getByRole('img').first()).toBeVisible();
    const from = await pg.now();
    await stroke(page, [
      [0.5, 0.15],
      [0.5, 0.85],
    ]);
    await expect(predictions.getByRole('listitem').first()).toContainText(/^1 \d+(\.\d)?%$/);
    const report = await pg.mainThread(from, await pg.now());
    expect(report.busyTasks, `long tasks of the page's own work while drawing: ${JSON.stringify(report.longTasks)} ${JSON.stringify(report.longFrames)}`).toEqual([]);
    await expect(tryIt.getByRole('img', { name: 'What the model sees' })).toBeVisible();

    // The same pad as a PNG file, after Clear.
    const png = await page.getByRole('img', { name: 'Drawing pad' }).evaluate((c) => (c as HTMLCanvasElement).toDataURL('image/png'));
    await tryIt.getByRole('button', { name: 'Clear' }).click();
    await expect(predictions).toHaveCount(0);
    await tryIt.getByLabel('Choose an image').setInputFiles({ name: 'one.png', mimeType: 'image/png', buffer: Buffer.from(png.split(',')[1]!, 'base64') });
    await expect(predictions.getByRole('listitem').first()).toContainText(/^1 /);

    // A file that is no image: the learner is told so.
    await tryIt.getByLabel('Choose an image').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await expect(tryIt.getByRole('alert')).toContainText('could not be read as an image');

    if (process.env.EVAL_SHOTS) {
      await page.getByRole('region', { name: 'Confusion matrix' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: '/tmp/eval-1400.png' });
      await tryIt.scrollIntoViewIfNeeded();
      await page.screenshot({ path: '/tmp/eval-tryit-1400.png' });
    }
    await pg.button('Presenter view').click();
    await expect(page.getByRole('region', { name: 'Confusion matrix' })).toBeVisible();
    await expect(tryIt).toBeVisible();
    expect(await violations(page, '.app')).toEqual([]);
    if (process.env.EVAL_SHOTS) {
      await page.setViewportSize({ width: 1024, height: 768 });
      await page.getByRole('region', { name: 'Confusion matrix' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: '/tmp/eval-presenter-1024.png' });
      await page.getByRole('region', { name: 'Misclassified examples' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: '/tmp/eval-presenter-gallery-1024.png' });
      await tryIt.scrollIntoViewIfNeeded();
      await page.screenshot({ path: '/tmp/eval-presenter-tryit-1024.png' });
    }
  });
});

test('an imported dataset: the matrix and the table use its class names, and Try it reads a drawing', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  const rows = ['label,location'];
  for (let i = 0; i < 40; i++) {
    const left = i % 2 === 0;
    const px = Array.from({ length: 64 }, (_, k) => (left ? (k % 8 < 4 ? 255 : 0) : k < 32 ? 255 : 0));
    rows.push(`${left ? '"left, half"' : 'top'},"${px.join(' ')}"`);
  }
  await page.getByLabel('Import dataset', { exact: true }).setInputFiles({ name: 'halves.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\r\n')) });
  await expect(page.getByLabel('Import result')).toContainText('Imported "halves"', { timeout: 60_000 });
  await pg.configure({ epochs: 2, batch: 8 });
  await pg.train();
  await pg.waitForStatus('finished', 120_000);
  const region = page.getByRole('region', { name: 'Confusion matrix' });
  await expect(region.getByRole('button', { name: /^true (left, half|top), predicted (left, half|top): \d+ images?$/ })).toHaveCount(4);
  await region.getByRole('button', { name: /^true top, predicted top:/ }).click();
  await expect(page.getByRole('region', { name: 'Misclassified examples' }).getByRole('heading', { name: 'True top, predicted top (correct)' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Per-class accuracy' }).getByRole('row')).toHaveCount(3);
  await stroke(page, [
    [0.1, 0.2],
    [0.9, 0.2],
  ]);
  await expect(page.getByRole('list', { name: 'Predictions' }).getByRole('listitem').first()).toContainText(/^(left, half|top) \d+(\.\d)?%$/);
  await expect(page.getByRole('list', { name: 'Predictions' }).getByRole('listitem')).toHaveCount(2);
});
