/**
 * The experiment as a link and as a file (issue 13): Copy link, open it elsewhere, see what it
 * will set, Apply, Undo; Download experiment, Open experiment in a fresh page; a broken file
 * names the problem and changes nothing.
 */
import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, Playground, type Page } from './fixtures';

async function violations(page: Page, selector: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).include(selector).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`);
}

/** Changes a few settings and the model, as a teacher preparing a lesson would. */
async function changeSettings(pg: Playground) {
  await pg.field('Model preset').selectOption({ label: 'Small CNN' });
  await pg.set('Epochs', 3);
  await pg.set('Learning rate', 0.01);
  await pg.set('Seed', 7);
}

async function expectChanged(pg: Playground) {
  await expect(pg.field('Model preset')).toHaveValue('small-cnn');
  await expect(pg.field('Epochs')).toHaveValue('3');
  await expect(pg.field('Learning rate')).toHaveValue('0.01');
  await expect(pg.field('Seed')).toHaveValue('7');
}

test('Copy link, open it in a new page, preview, Apply, Undo', async ({ playground: pg, page, context, browser }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await pg.open();
  await changeSettings(pg);
  expect(await violations(page, '.share-controls')).toEqual([]);
  await pg.button('Copy link').click();
  await expect(page.getByRole('status').filter({ hasText: 'Link copied' })).toBeVisible();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/\?exp=[A-Za-z0-9_-]+$/);
  expect(link.length).toBeLessThan(2000);

  // Another browser (a context of its own): this one keeps the edited settings across pages.
  const elsewhere = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const other = new Playground(await elsewhere.newPage());
  await other.open(`${new URL(link).search}&backend=wasm`);
  const dialog = other.page.getByRole('dialog', { name: 'Open the experiment from the link?' });
  await expect(dialog).toBeVisible();
  const rows = dialog.getByRole('row');
  await expect(rows.filter({ hasText: 'Model' })).toContainText('Small CNN');
  await expect(rows.filter({ hasText: 'Epochs' })).toContainText('3 epochs');
  await expect(rows.filter({ hasText: 'Learning rate' })).toContainText('lr 0.01');
  await expect(rows.filter({ hasText: 'Seed' })).toContainText('seed 7');
  // Nothing is replaced before Apply.
  await expect(other.field('Epochs')).toHaveValue('10');
  await other.page.screenshot({ path: '/tmp/share-preview-1024.png' });
  expect(await violations(other.page, '.experiment-preview')).toEqual([]);

  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(dialog).toBeHidden();
  await expectChanged(other);
  // Answered: the experiment leaves the address (a reload does not ask again), the rest stays.
  await expect(other.page).not.toHaveURL(/exp=/);
  await expect(other.page).toHaveURL(/backend=wasm/);
  await expect(other.page.getByRole('status').filter({ hasText: 'settings changed' })).toBeVisible();
  await other.page.screenshot({ path: '/tmp/share-applied-1024.png', clip: { x: 0, y: 0, width: 1024, height: 300 } });
  expect(await violations(other.page, '.share-status')).toEqual([]);

  await other.button('Undo').click();
  await expect(other.field('Epochs')).toHaveValue('10');
  await expect(other.field('Model preset')).toHaveValue('mlp');
  await expect(other.field('Learning rate')).toHaveValue('0.001');
  await expect(other.field('Seed')).toHaveValue('42');
  await elsewhere.close();
});

test('the link is shown to copy by hand when the clipboard is refused', async ({ playground: pg, page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) } });
  });
  await pg.open();
  await pg.set('Epochs', 4);
  await pg.button('Copy link').click();
  const field = page.getByLabel('Link to these settings');
  await expect(field).toBeVisible();
  await expect(field).toHaveValue(/\?exp=/);
  expect(await field.evaluate((el: HTMLInputElement) => el.selectionEnd! - el.selectionStart!)).toBeGreaterThan(20);
  await expect(page.locator('.share-status')).toContainText('did not let the app copy');
});

test('Download experiment, then Open experiment in a fresh page gives the same settings', async ({ playground: pg, page, browser }) => {
  await pg.open();
  await changeSettings(pg);
  const [download] = await Promise.all([page.waitForEvent('download'), pg.button('Download experiment').click()]);
  expect(download.suggestedFilename()).toBe('experiment.json');
  const path = test.info().outputPath('experiment.json');
  await download.saveAs(path);
  const text = await readFile(path, 'utf8');
  expect(JSON.parse(text)).toMatchObject({ version: 1, dataset: { kind: 'builtin', id: 'mnist' }, config: { epochs: 3, seed: 7 } });

  const fresh = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const other = new Playground(await fresh.newPage());
  await other.open();
  await other.page.getByLabel('Open experiment').setInputFiles(path);
  const dialog = other.page.getByRole('dialog', { name: /Open the experiment from/ });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expectChanged(other);
  const config = await other.state('config');
  expect(config).toEqual(await pg.state('config'));
  await fresh.close();
});

test('a broken or foreign file names the problem and changes nothing', async ({ playground: pg, page }) => {
  await pg.open();
  await pg.set('Epochs', 4);
  const before = await pg.state('config');
  const open = page.getByLabel('Open experiment');

  await open.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"version": 1, "config": {"epochs": "many"}}') });
  const dialog = page.getByRole('dialog', { name: 'The experiment from broken.json cannot be opened' });
  await expect(dialog).toContainText('the field "config.epochs" is "many"');
  await expect(dialog.getByRole('button', { name: 'Apply' })).toHaveCount(0);
  await page.screenshot({ path: '/tmp/share-broken-1024.png' });
  expect(await violations(page, '.experiment-preview')).toEqual([]);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  expect(await pg.state('config')).toEqual(before);

  await open.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await expect(page.getByRole('dialog')).toContainText('notes.txt is not JSON');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();

  // Well-formed but with settings that cannot train, and a field this app does not know:
  // listed, and Cancel keeps everything.
  const doc = { version: 1, dataset: { kind: 'builtin', id: 'mnist' }, config: { batchSize: 100000, learningRate: 50, colour: 'blue' } };
  await open.setInputFiles({ name: 'odd.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
  const odd = page.getByRole('dialog', { name: 'Open the experiment from odd.json?' });
  await expect(odd).toContainText('Batch size 100,000 is larger');
  await expect(odd).toContainText('Could not be read, so ignored: config.colour');
  await expect(odd).toContainText("Not set in odd.json, so these take the chapter's defaults: Training examples");
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.screenshot({ path: '/tmp/share-problems-1024.png' });
  expect(await violations(page, '.experiment-preview')).toEqual([]);
  await odd.getByRole('button', { name: 'Cancel' }).click();
  expect(await pg.state('config')).toEqual(before);

  await open.setInputFiles({ name: 'future.json', mimeType: 'application/json', buffer: Buffer.from('{"version": 99, "config": {}}') });
  await expect(page.getByRole('dialog')).toContainText('newer version of Training Playground');
  await page.getByRole('button', { name: 'Close' }).click();
  expect(await pg.state('config')).toEqual(before);
  await expect(pg.field('Epochs')).toHaveValue('4');
});

test('the header fits at 1024 px with the experiment controls', async ({ playground: pg, page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await pg.open();
  const overflow = await page.evaluate(() => {
    const h = document.querySelector('.app-header')!;
    return { scroll: h.scrollWidth, client: h.clientWidth, page: document.documentElement.scrollWidth };
  });
  expect(overflow.scroll).toBeLessThanOrEqual(overflow.client);
  expect(overflow.page).toBeLessThanOrEqual(1024);
  await page.screenshot({ path: '/tmp/share-header-1024.png', clip: { x: 0, y: 0, width: 1024, height: 200 } });
});
