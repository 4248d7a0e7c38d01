import { test, expect } from './fixtures';

interface BatchView {
  epoch: number;
  step: number;
  lr: number;
}

test('a cosine schedule stepping per batch: previewed before training, followed by every batch', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  await pg.configure({ examples: 500, epochs: 2, batch: 50 });
  await pg.set('Learning rate', 0.01);
  await pg.set('Learning-rate schedule', 'Cosine');
  await pg.set('Step per', 'Every batch');
  await pg.set('Minimum learning rate', 0.001);

  const preview = page.getByRole('img', { name: 'Learning-rate schedule preview' });
  await expect(preview.locator('path.recharts-curve')).toBeVisible();
  // 450 training examples after the 10% validation split, in batches of 50: 9 per epoch.
  await expect(page.getByText('From 0.01 to 0.00107 over 18 steps (2 epochs × about 9 batches).')).toBeVisible();

  // Per batch: the learning-rate chart redraws with every update of the loss charts.
  await page.getByRole('radio', { name: 'Per batch' }).check();
  await pg.train();
  await pg.waitForStatus('finished');

  const perEpoch = await pg.state<number>('progress.batchesPerEpoch');
  const total = 2 * perEpoch;
  const batches = await pg.state<BatchView[]>('batchPoints');
  expect(batches).toHaveLength(total);
  const cosine = (t: number) => 0.001 + ((0.01 - 0.001) * (1 + Math.cos((Math.PI * t) / total))) / 2;
  batches.forEach((b) => expect(b.lr, `batch step ${b.step}`).toBeCloseTo(cosine(b.step), 12));
  batches.slice(1).forEach((b, i) => expect(b.lr).toBeLessThan(batches[i]!.lr));
  expect(batches[0]!.lr).toBe(0.01);

  const epochs = await pg.state<{ lr: number }[]>('epochPoints');
  expect(epochs.map((e) => e.lr)).toEqual([batches[perEpoch - 1]!.lr, batches[total - 1]!.lr]);
  await expect(page.getByRole('img', { name: 'Learning-rate chart' }).locator('path.recharts-curve')).toBeVisible();
});

test('a bad schedule value is explained, blocks Train, and is kept when switching schedules', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  await pg.set('Learning-rate schedule', 'Time-based decay');
  await pg.set('Decay', -2);
  await expect(page.getByText('Decay must be a number from 0 to 1000 (at t = 1/decay the rate is halved).', { exact: true })).toBeVisible();
  await expect(pg.button('Train')).toBeDisabled();
  await pg.set('Learning-rate schedule', 'Cosine');
  await expect(pg.button('Train')).toBeEnabled();
  await pg.set('Learning-rate schedule', 'Time-based decay');
  await expect(pg.field('Decay')).toHaveValue('-2');
  await pg.set('Decay', 0.5);
  await expect(pg.button('Train')).toBeEnabled();
});

test('reduce on plateau without a validation split: explained, with a fix that keeps the rest', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  await pg.set('Validation split', 0);
  await pg.set('Learning-rate schedule', 'Reduce on plateau');
  await pg.set('Patience (epochs)', 1);
  await expect(page.getByRole('alert').filter({ hasText: 'the validation split is 0' })).toBeVisible();
  await expect(pg.button('Train')).toBeDisabled();
  await page.getByRole('button', { name: 'Watch the training loss' }).click();
  await expect(pg.field('Watch')).toHaveValue('loss');
  await expect(pg.field('Patience (epochs)')).toHaveValue('1');
  await expect(pg.button('Train')).toBeEnabled();
  await expect(page.getByText(/Reduce on plateau cannot be planned: .* whenever the training loss has not improved for 1 epoch,/)).toBeVisible();
});
