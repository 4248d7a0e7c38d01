import { test, expect } from './fixtures';

test('the Layers chart: one row per weight layer of the 40-layer preset, heatmap and lines', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  await pg.field('Model preset').selectOption({ label: '40 hidden layers of Dense 64' });
  await pg.configure({ examples: 400, epochs: 1, batch: 32 });
  await pg.train();
  await pg.waitForStatus('finished');
  const region = page.getByRole('region', { name: 'Layer gradients' });
  const rows = region.getByRole('list', { name: 'Layers, input to output' }).getByRole('listitem');
  await expect(rows).toHaveCount(41);
  await expect(rows.first()).toContainText(/^dense_2: gradient RMS \S+, weights RMS/);
  await expect(rows.last()).toContainText(/^dense_42: gradient RMS/);
  await expect(region.getByRole('img', { name: /^Gradient heatmap: 41 layers/ })).toBeVisible();
  await expect(region).toContainText(/vanishing gradients/);
  const samples = await pg.state<unknown[]>('layerSamples');
  expect(samples.length).toBeGreaterThan(0);
  await region.screenshot({ path: '/tmp/insp/layers-heatmap.png' });
  await region.getByRole('radio', { name: 'Lines' }).check();
  await expect(region.getByRole('img', { name: /^Gradient lines: 41 layers/ })).toBeVisible();
  await region.screenshot({ path: '/tmp/insp/layers-lines.png' });
});

test('the First layer region shows one picture per unit after an epoch of the MLP', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  await pg.configure({ examples: 1000, epochs: 1, batch: 32 });
  await pg.train();
  await pg.waitForStatus('finished');
  const region = page.getByRole('region', { name: 'First layer' });
  await expect(region).toContainText('after epoch 1');
  await expect(region.getByRole('img', { name: '64 units of dense_2 as pictures, 8 per row' })).toBeVisible();
  await expect(region).toContainText(/the first 64 of its 512 units, each laid out as the 28×28 input image/);
  await region.screenshot({ path: '/tmp/insp/first-layer.png' });
  // And the Layers chart of the same run: 3 weight layers.
  await expect(page.getByRole('region', { name: 'Layer gradients' }).getByRole('listitem')).toHaveCount(3);
  await page.getByRole('region', { name: 'Layer gradients' }).screenshot({ path: '/tmp/insp/layers-mlp.png' });
});
