import AxeBuilder from '@axe-core/playwright';
import { test, expect, type Page } from './fixtures';

/** Serious and critical axe violations inside `selector`, one line each. */
async function violations(page: Page, selector: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).include(selector).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`);
}

test('axe: no serious or critical violation in the Runs panel, the lessons and the presenter view', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  // A finished run in the Runs panel, ticked and pinned.
  await pg.configure({ examples: 600, epochs: 1, batch: 32 });
  await pg.train();
  await pg.waitForStatus('finished');
  const runs = page.getByRole('region', { name: 'Runs' });
  await runs.getByRole('checkbox', { name: /^Compare / }).first().check();
  await runs.getByRole('checkbox', { name: /^Baseline: / }).first().check();
  expect(await violations(page, '[aria-label="Runs"]')).toEqual([]);

  // The lessons menu and an open lesson.
  await pg.button('Lessons').click();
  expect(await violations(page, '.lessons-menu')).toEqual([]);
  await page.getByRole('list', { name: 'Lessons' }).getByRole('button', { name: /Overfitting/ }).click();
  expect(await violations(page, '[aria-label="Lesson"]')).toEqual([]);

  // The presenter view.
  await pg.button('Presenter view').click();
  expect(await violations(page, '.app')).toEqual([]);
});

test('keyboard only: skip to Train, then Train, Pause, Resume and Stop keep the focus on a sensible control', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  // The first Tab stop skips to the run controls (Train was the 51st).
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to Train and the run controls' })).toBeFocused();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await expect(pg.button('Train')).toBeFocused();
  // Ids are unique (two "Monitor" fields once shared one).
  const dupes = await page.evaluate(() => {
    const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
    return ids.filter((id, i) => ids.indexOf(id) !== i);
  });
  expect(dupes).toEqual([]);
  await pg.configure({ examples: 3000, epochs: 5, batch: 32 });
  await pg.button('Train').focus();
  await page.keyboard.press('Enter');
  await pg.waitForStatus('training');
  await expect(pg.button('Pause')).toBeFocused();
  await page.keyboard.press('Enter');
  await pg.waitForStatus('paused');
  await expect(pg.button('Resume')).toBeFocused();
  await page.keyboard.press('Enter');
  await pg.waitForStatus('training');
  await expect(pg.button('Pause')).toBeFocused();
  await page.keyboard.press('Tab'); // Resume is disabled: the next stop is Stop
  await expect(pg.button('Stop')).toBeFocused();
  await page.keyboard.press('Enter');
  await pg.waitForStatus('stopped');
  await expect(pg.button('Train')).toBeFocused();
  // The charts are described in words once an epoch has finished (the plot is an image).
  if ((await pg.epochPoints()).length > 0) {
    await expect(page.getByRole('img', { name: 'Loss chart' })).toHaveAccessibleDescription(/^Loss after \d+ epochs?: training \d\.\d{4}, validation/);
  }
  // The live region says the phase, not every batch counter.
  await expect(page.getByRole('status').filter({ hasText: 'Stopped' })).toHaveText('Stopped');
});
