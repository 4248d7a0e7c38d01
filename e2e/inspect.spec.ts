import { test, expect } from './fixtures';

test('the Layers chart: one row per weight layer of the 40-layer preset, heatmap and lines, read out by pointer and keys', async ({ playground: pg, page }) => {
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
  // The read-out: pointing at the middle of the heatmap names a layer and its numbers…
  const heatmap = region.getByRole('img', { name: /^Gradient heatmap/ });
  const readout = region.getByRole('status');
  const at = (await heatmap.boundingBox())!;
  await heatmap.hover({ position: { x: at.width * 0.5, y: at.height * 0.45 } });
  const said = /(dense_(\d+)), batch [\d,]+, epoch 1, gradient RMS [\d.×⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+, weights RMS \S+, \d+% zero outputs/;
  await expect(readout).toContainText(said);
  const hovered = Number(said.exec((await readout.textContent())!)![2]);
  expect(hovered).toBeGreaterThan(2);
  expect(hovered).toBeLessThan(42);
  await region.screenshot({ path: '/tmp/insp/layers-readout.png' });
  // …and on the focused chart ArrowDown moves to the next layer, Escape and ArrowDown start at the first.
  await heatmap.focus();
  await page.keyboard.press('ArrowDown');
  await expect(readout).toContainText(`dense_${hovered + 1}, batch`);
  await page.keyboard.press('Escape');
  await expect(readout).toHaveText('');
  await page.keyboard.press('ArrowDown');
  await expect(readout).toContainText('dense_2, batch');
  await region.getByRole('radio', { name: 'Lines' }).check();
  const lines = region.getByRole('img', { name: /^Gradient lines: 41 layers/ });
  await expect(lines).toBeVisible();
  await lines.hover({ position: { x: at.width * 0.7, y: 30 } });
  await expect(readout).toContainText(said);
  await region.screenshot({ path: '/tmp/insp/layers-lines.png' });
});

test('the Layers chart gives each BatchNormalization layer a row, read through its scale (gamma)', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  await pg.field('Model preset').selectOption({ label: '40 hidden layers of Dense 64' });
  await pg.button('Add BatchNormalization after every Dense/Conv2D').click();
  await pg.configure({ examples: 400, epochs: 1, batch: 32 });
  await pg.train();
  await pg.waitForStatus('finished');
  const region = page.getByRole('region', { name: 'Layer gradients' });
  const rows = region.getByRole('list', { name: 'Layers, input to output' }).getByRole('listitem');
  // 41 Dense layers and the 40 BatchNormalization layers between them.
  await expect(rows).toHaveCount(81);
  await expect(rows.nth(0)).toContainText(/^dense_\d+: gradient RMS \S+, weights RMS/);
  await expect(rows.nth(1)).toContainText(/^batch_normalization_\d+: gradient RMS \S+, scale \(gamma\) RMS/);
  await expect(region.locator('.layers-reading')).not.toContainText('vanishing');
  // The second row from the keys: the first ArrowDown starts at the first layer.
  await region.getByRole('img', { name: /^Gradient heatmap: 81 layers/ }).focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(region.getByRole('status')).toContainText(/batch_normalization_\d+, batch [\d,]+, epoch 1, gradient RMS \S+, scale \(gamma\) RMS/);
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
