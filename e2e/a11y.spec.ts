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
