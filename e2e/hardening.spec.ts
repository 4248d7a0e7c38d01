import { test, expect } from './fixtures';

// One panel's failure once unmounted the whole page (a blank tab on every load).
test('a panel that fails to render is contained: it says so, the rest of the app trains', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  page.on('console', () => {}); // React logs the caught error; that is expected here
  // A run record of the wrong shape, as a damaged store might hold it.
  await page.evaluate(() => {
    const store = (window as unknown as { __playground: { store: { setState(p: Record<string, unknown>): void } } }).__playground.store;
    store.setState({ runs: [{ id: 'x', name: { not: 'a string' }, config: null, epochs: 'none' }] });
  });
  const failed = page.getByRole('region', { name: 'Runs (failed)' });
  await expect(failed).toBeVisible();
  await expect(failed.getByRole('alert')).toContainText('This panel stopped working');
  await expect(page.getByRole('region', { name: 'Training charts' })).toBeVisible();
  await pg.configure({ examples: 500, epochs: 1 });
  await pg.train();
  await pg.waitForStatus('finished');
  // Once the data is good again, Try again brings the panel back.
  await page.evaluate(() => {
    const store = (window as unknown as { __playground: { store: { setState(p: Record<string, unknown>): void } } }).__playground.store;
    store.setState({ runs: [] });
  });
  await failed.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('region', { name: 'Runs', exact: true })).toBeVisible();
});

// A reload (the only way out of a hung start) once put the default MLP back in place of the
// learner's stack: the experiment being edited is kept in the browser.
test('the layer stack and settings survive a reload', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  await pg.field('New layer type').selectOption({ label: 'Dropout' });
  await pg.button('Add layer').click();
  await page.getByLabel('Units of layer 3 (Dense)').fill('256');
  await pg.set('Epochs', 3);
  await page.reload();
  await expect(page.getByRole('row', { name: 'Layer 4: Dropout' })).toBeVisible();
  await expect(page.getByLabel('Units of layer 3 (Dense)')).toHaveValue('256');
  await expect(pg.field('Model preset')).toHaveValue('custom');
  await expect(pg.field('Epochs')).toHaveValue('3');
});
