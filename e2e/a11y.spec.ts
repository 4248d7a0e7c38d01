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

/**
 * Every axe violation on the whole page, of any impact (minor and moderate included), one line
 * each with its first nodes. Also prints how many rules applied, and the rules axe could not
 * decide ("incomplete", e.g. contrast over an image), which need a person's look.
 */
async function allViolations(page: Page, where: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  const applied = result.passes.length + result.violations.length + result.incomplete.length;
  console.log(
    `axe (${where}): ${applied} rules applied (${result.inapplicable.length} had nothing to check), ` +
      `${result.violations.length} violated; undecided: ${result.incomplete.map((r) => `${r.id} ×${r.nodes.length}`).join(', ') || 'none'}`,
  );
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact}, ${v.nodes.length} nodes): ${v.nodes
        .slice(0, 5)
        .map((n) => `${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ')}`)
        .join(' | ')}`,
  );
}

test('axe: zero violations of any impact on the whole page after an early-stopped run with best-only checkpoints', async ({
  playground: pg,
  page,
}) => {
  await pg.open('?backend=wasm');
  // Early stopping that must fire after epoch 2: no change of the validation loss is as large
  // as 10, so the first epoch stays the best and patience 1 runs out at once.
  const callbacks = page.getByRole('group', { name: 'Callbacks' });
  await callbacks.getByRole('checkbox', { name: /^Early stopping/ }).check();
  await callbacks.getByLabel('Patience', { exact: true }).fill('1');
  await callbacks.getByLabel('Min delta', { exact: true }).fill('10');
  const ckpt = page.getByRole('region', { name: 'Checkpoints' });
  await ckpt.getByRole('checkbox', { name: /^Save checkpoints/ }).check();
  await ckpt.getByLabel('Save', { exact: true }).selectOption({ label: 'Best only (when the monitored metric improves)' });
  await pg.configure({ examples: 1000, epochs: 20, batch: 32 });
  expect(await allViolations(page, 'settings filled in')).toEqual([]);

  await pg.train();
  await pg.waitForStatus('stopped');
  expect((await pg.epochPoints()).length).toBe(2);
  await expect(page.getByRole('list', { name: 'Training events' }).getByRole('listitem').filter({ hasText: 'Early stop' })).toHaveCount(1);
  // The best-only checkpoints are listed (with their Resume and Delete buttons), and the early
  // stop was scored on the test set, which fills the evaluation view.
  await expect(ckpt.getByRole('button', { name: /^Resume from / }).first()).toBeVisible();
  const matrix = page.getByRole('region', { name: 'Confusion matrix' });
  await expect(matrix.getByRole('button', { name: /^true / }).first()).toBeVisible();
  expect(await allViolations(page, 'after the run')).toEqual([]);

  // A cell of the confusion matrix opened: its images are shown below it.
  await matrix.getByRole('button', { name: /^true .*, predicted / }).nth(1).click();
  await expect(matrix.getByRole('button', { name: /^true / }).nth(1)).toHaveAttribute('aria-pressed', 'true');
  expect(await allViolations(page, 'a confusion matrix cell opened')).toEqual([]);

  // The presenter view (run bar and charts, large).
  await pg.button('Presenter view').click();
  await expect(page.locator('.app.presenting')).toBeVisible();
  expect(await allViolations(page, 'presenter view')).toEqual([]);
});

/**
 * Presses Tab until `target` has the focus, as a keyboard user would; fails if it is not
 * reached within `max` presses (e.g. a control that fell out of the Tab order).
 */
async function tabTo(page: Page, target: ReturnType<Page['locator']>, max = 250) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused({ timeout: 1 });
}

/** Replaces a number field's text by typing, the field being focused. */
async function typeNumber(page: Page, value: number) {
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(String(value));
}

test('keyboard only: choose Fashion-MNIST and the Small CNN, then Train, Pause and Stop with the focus on a sensible control', async ({
  playground: pg,
  page,
}) => {
  await pg.open('?backend=wasm');
  const dataset = pg.field('Dataset');
  const preset = pg.field('Model preset');
  await expect(dataset).toHaveValue('mnist');

  // The dataset: a closed <select> takes the arrow keys (Fashion-MNIST follows MNIST). Its
  // images load, and the focus stays on the select while they do.
  await tabTo(page, dataset);
  await page.keyboard.press('ArrowDown');
  await expect(dataset).toHaveValue('fashion-mnist');
  await expect(page.getByRole('figure', { name: 'Sample images' })).toContainText(/T-shirt|Trouser|Sneaker|Bag/);
  await expect(dataset).toBeFocused();

  // A short subset, typed (Tab order: the dataset, then its import panel, then this field).
  const examples = pg.field('Training examples');
  await tabTo(page, examples, 5);
  await typeNumber(page, 2000);
  await expect(examples).toHaveValue('2000');

  // The preset: the layers table is rebuilt under it, the focus stays on the select.
  await tabTo(page, preset);
  await page.keyboard.press('ArrowDown');
  await expect(preset).toHaveValue('small-cnn');
  await expect(page.getByRole('table', { name: 'Layers' })).toContainText('Conv2D');
  await expect(preset).toBeFocused();

  const epochs = pg.field('Epochs');
  await tabTo(page, epochs);
  await typeNumber(page, 5);
  await expect(epochs).toHaveValue('5');

  // On to Train through the rest of the settings (the column order of the page).
  await tabTo(page, pg.button('Train'));
  await page.keyboard.press('Enter');
  await pg.waitForStatus('training');
  expect(await pg.state<string>('config.datasetId')).toBe('fashion-mnist');
  expect(await pg.state<string>('presetId')).toBe('small-cnn');
  // Train is disabled while the run trains: the focus moved to Pause, not to <body>.
  await expect(pg.button('Pause')).toBeFocused();

  await page.keyboard.press('Enter');
  await pg.waitForStatus('paused');
  await expect(pg.button('Resume')).toBeFocused();

  // Pause is disabled now: Tab goes from Resume to Stop.
  await page.keyboard.press('Tab');
  await expect(pg.button('Stop')).toBeFocused();
  await page.keyboard.press('Enter');
  await pg.waitForStatus('stopped');
  // Stop is disabled once stopped: the focus is back on Train, ready for the next run.
  await expect(pg.button('Train')).toBeFocused();
  expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BUTTON');
  expect((await pg.epochPoints()).length).toBeLessThan(5);
});
