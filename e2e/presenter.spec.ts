import { test, expect, type Page } from './fixtures';

/** Contrast ratio of two CSS rgb() colours (WCAG relative luminance). */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = c.match(/[\d.]+/g)!.slice(0, 3).map((v) => {
      const s = Number(v) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/**
 * Elements whose right edge passes the viewport or their panel's (horizontal overflow, cut
 * off buttons), as "tag.class: right > limit".
 */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      // Content inside a scrolling box (the Runs table) is not overflow.
      if (el.closest('.runs-table-wrap, .events-list') && !el.matches('.runs-table-wrap')) continue;
      const panel = el.parentElement?.closest('.panel');
      const limit = Math.min(width, panel ? panel.getBoundingClientRect().right : width);
      if (r.right > limit + 1) out.push(`${el.tagName.toLowerCase()}.${String(el.className).split(' ')[0]}: ${Math.round(r.right)} > ${Math.round(limit)}`);
    }
    return out.slice(0, 10);
  });
}

test('presenter view at 1024×768: run controls and both charts on one screen, large and legible; keyboard shortcuts', async ({ playground: pg, page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await pg.open('?backend=wasm');
  await pg.configure({ examples: 1000, epochs: 40, batch: 32 });
  await pg.button('Presenter view').click();
  await expect(pg.button('Presenter view')).toHaveAttribute('aria-pressed', 'true');
  await expect(pg.field('Training examples')).toBeHidden(); // the settings are folded away
  await expect(page.getByLabel('Keyboard shortcuts')).toContainText('Space');

  // Space trains (the shortcut), then the charts fill the screen while it trains.
  // Focus moved to the run bar, so Space acts on the run.
  await expect(page.getByRole('region', { name: 'Run' })).toBeFocused();
  await page.keyboard.press('Space');
  await expect.poll(() => pg.state<string>('status')).toMatch(/preparing|training/);
  await expect.poll(() => pg.state<number>('epochPoints.length'), { timeout: 120_000 }).toBeGreaterThan(0);
  for (const name of ['Loss chart', 'Accuracy chart']) {
    const box = (await page.getByRole('img', { name }).boundingBox())!;
    expect(box.y, name).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height, `${name} bottom`).toBeLessThanOrEqual(768);
    expect(box.height, name).toBeGreaterThan(250);
  }
  for (const name of ['Train', 'Pause', 'Stop']) {
    const box = (await pg.button(name).boundingBox())!;
    expect(box.y + box.height, name).toBeLessThanOrEqual(768);
  }
  const sizes = await page.evaluate(() => {
    const px = (el: Element | null) => (el ? parseFloat(getComputedStyle(el).fontSize) : 0);
    const legend = document.querySelector('.charts-legend li');
    return {
      tick: px(document.querySelector('.recharts-cartesian-axis-tick text')),
      legend: px(legend),
      legendColor: legend ? getComputedStyle(legend).color : '',
      background: getComputedStyle(document.querySelector('.charts')!).backgroundColor,
      tickColor: getComputedStyle(document.querySelector('.recharts-cartesian-axis-tick text')!).fill,
      line: Math.min(...[...document.querySelectorAll('.recharts-line path.recharts-curve')].map((p) => parseFloat(p.getAttribute('stroke-width') ?? '0'))),
    };
  });
  expect(sizes.tick).toBeGreaterThanOrEqual(16);
  expect(sizes.legend).toBeGreaterThanOrEqual(16);
  expect(sizes.line).toBeGreaterThanOrEqual(3);
  expect(contrast(sizes.legendColor, sizes.background)).toBeGreaterThanOrEqual(4.5);
  expect(contrast(sizes.tickColor, sizes.background)).toBeGreaterThanOrEqual(4.5);
  expect(await overflowing(page)).toEqual([]);

  // Space pauses, Space resumes, Escape stops.
  await page.keyboard.press('Space');
  await pg.waitForStatus('paused');
  await page.keyboard.press('Space');
  await pg.waitForStatus('training');
  await page.keyboard.press('Escape');
  await pg.waitForStatus('stopped');

  // The toggle brings the whole app back.
  await pg.button('Presenter view').click();
  await expect(pg.field('Training examples')).toBeVisible();
});

test('?present=1 opens the presenter view', async ({ playground: pg, page }) => {
  await page.goto('/?backend=wasm&threads=1&present=1');
  await expect(pg.button('Train')).toBeEnabled();
  await expect(pg.button('Presenter view')).toHaveAttribute('aria-pressed', 'true');
  await expect(pg.field('Training examples')).toBeHidden();
});

for (const [label, width, height] of [
  ['1024×768', 1024, 768],
  ['1024×768 at 125% zoom', 819, 614],
] as const) {
  test(`normal view at ${label}: nothing overflows, and the run bar stays on screen while training`, async ({ playground: pg, page }) => {
    await page.setViewportSize({ width, height });
    await pg.open('?backend=wasm');
    await pg.field('Model preset').selectOption({ label: 'Small CNN' });
    expect(await overflowing(page)).toEqual([]);
    // The deepest stack, with a BatchNormalization after every Dense layer, folded.
    await pg.field('Model preset').selectOption({ label: '40 hidden layers of Dense 64' });
    await pg.button('Add BatchNormalization after every Dense/Conv2D').click();
    await expect(page.getByRole('row', { name: 'Layers 2 to 81: 40 × Dense + BatchNormalization' })).toBeVisible();
    expect(await overflowing(page)).toEqual([]);
    await pg.field('Model preset').selectOption({ label: 'Small CNN' });
    await pg.configure({ examples: 1000, epochs: 2, batch: 32 });
    await pg.train();
    // Scroll to the charts: the run bar (Train, Pause, Stop and the status) stays in view.
    await page.getByRole('img', { name: 'Loss chart' }).scrollIntoViewIfNeeded();
    for (const name of ['Pause', 'Stop']) {
      const box = (await pg.button(name).boundingBox())!;
      expect(box.y, name).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height, name).toBeLessThanOrEqual(height);
    }
    const chart = (await page.getByRole('img', { name: 'Loss chart' }).boundingBox())!;
    expect(chart.y).toBeLessThan(height);
    await pg.waitForStatus('finished', 150_000);
    expect(await overflowing(page)).toEqual([]);
  });
}
