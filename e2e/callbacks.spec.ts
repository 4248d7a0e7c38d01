import { test, expect } from './fixtures';

interface EventView {
  kind: string;
  epoch: number;
  message: string;
  value?: number;
}

test('a run that overfits shows the overfitting marker, stops early and restores the best epoch', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm&seed=42');
  // The small CNN on 300 images memorises them within a few epochs (wasm trains Conv2D).
  await pg.set('Model preset', 'Small CNN');
  await pg.configure({ examples: 300, epochs: 60, batch: 16 });
  await pg.set('Validation split', 0.2);
  await page.getByLabel(/^Early stopping/).check();
  await expect(pg.field('Monitor')).toHaveValue('val_loss');
  await pg.set('Patience', 3);
  await expect(page.getByLabel(/^Restore best weights/)).toBeChecked();
  await pg.train();
  await pg.waitForStatus('stopped', 120_000);

  const epochs = await pg.epochPoints();
  expect(epochs.length).toBeLessThan(60);
  const valLosses = epochs.map((e) => e.val_loss!);
  const best = Math.min(...valLosses);
  const bestEpoch = valLosses.indexOf(best) + 1;

  // The status says why it stopped, and that the best weights are back.
  const run = page.getByRole('region', { name: 'Run' });
  await expect(pg.status()).toContainText('Stopped');
  await expect(run.getByText(/Stopped early after epoch \d+: validation loss has not improved for 3 epochs/)).toBeVisible();
  await expect(run.getByText(new RegExp(`Restored the weights of epoch ${bestEpoch} `))).toBeVisible();

  const list = page.getByRole('list', { name: 'Training events' });
  await expect(list.getByRole('listitem').filter({ hasText: 'Overfitting begins' })).toHaveCount(1);
  await expect(list.getByRole('listitem').filter({ hasText: 'Early stop' })).toHaveCount(1);
  await expect(list.getByRole('listitem').filter({ hasText: 'Best weights restored' })).toHaveCount(1);
  await expect(list.getByRole('listitem').filter({ hasText: `Best epoch: ${bestEpoch} ` })).toHaveCount(1);

  // A marker on each chart, named by its sentence; clicking the event highlights it.
  const loss = page.getByRole('img', { name: 'Loss chart' });
  const marker = loss.getByRole('img', { name: /Overfitting begins around epoch \d+/ });
  await expect(marker).toHaveCount(1);
  await expect(page.getByRole('img', { name: 'Accuracy chart' }).getByRole('img', { name: /Overfitting begins/ })).toHaveCount(1);
  await expect(marker.locator('title')).toHaveText(/validation loss has stayed above its lowest/);
  const item = list.getByRole('button', { name: /Overfitting begins/ });
  await item.click();
  await expect(item).toHaveAttribute('aria-pressed', 'true');
  await expect(marker).toHaveClass(/event-marker-active/);

  // The final model scores on validation exactly like its best epoch (measured again after the restore).
  const events = await pg.state<EventView[]>('events');
  const restored = events.find((e) => e.kind === 'restoredBest')!;
  expect(restored.value).toBeCloseTo(best, 4);
  expect(events.find((e) => e.kind === 'bestEpoch')!.epoch).toBe(bestEpoch);
  const overfit = events.find((e) => e.kind === 'overfitting')!;
  expect(overfit.epoch).toBeGreaterThan(1);
  expect(overfit.epoch).toBeLessThanOrEqual(epochs.length);

  // An early stop is a finished run: the restored model is scored on the test set at once.
  await expect(page.getByRole('region', { name: 'Test evaluation' })).toContainText(/Test accuracy: \d+(\.\d)?%/);

  // The gap toggle draws a third line on each chart.
  await page.getByLabel('Show generalization gap').check();
  await expect(page.getByRole('list', { name: 'Loss lines' }).getByText('Gap (validation − training)')).toBeVisible();
  await expect(loss.locator('path.recharts-curve[stroke-dasharray="2 3"]')).toHaveCount(1);
});

test('early stopping on validation loss without a validation split is explained and blocks Train', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  await pg.set('Validation split', 0);
  await page.getByLabel(/^Early stopping/).check();
  await expect(page.getByRole('group', { name: 'Callbacks' }).getByText(/Early stopping: It watches the validation loss, but the validation split is 0/)).toBeVisible();
  await expect(pg.button('Train')).toBeDisabled();
  await pg.field('Monitor').selectOption('loss');
  await expect(pg.button('Train')).toBeEnabled();
  await expect(pg.field('Validation split')).toHaveValue('0');
});
