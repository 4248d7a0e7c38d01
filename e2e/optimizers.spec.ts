import { test, expect } from './fixtures';

test('Nadam with a changed Beta 1 trains one epoch to a finite loss', async ({ playground: pg }) => {
  await pg.open('?backend=wasm');
  await pg.configure({ examples: 500, epochs: 1, batch: 32 });
  await pg.set('Learning rate', 0.002);
  await pg.set('Optimizer', 'Momentum');
  await expect(pg.field('Momentum')).toHaveValue('0.9');
  await pg.set('Optimizer', 'Nadam');
  await expect(pg.field('Momentum')).toHaveCount(0);
  await expect(pg.field('Beta 1')).toHaveValue('0.9');
  await expect(pg.field('Beta 2')).toHaveValue('0.999');
  await expect(pg.field('Epsilon')).toHaveValue('1e-7');
  await pg.set('Beta 1', 0.8);
  await expect.poll(() => pg.state<number>('config.optimizerParams.beta1')).toBe(0.8);
  await expect(pg.field('Learning rate')).toHaveValue('0.002'); // kept when switching optimizer
  await pg.train();
  await pg.waitForStatus('finished');
  const [epoch] = await pg.epochPoints();
  expect(Number.isFinite(epoch!.loss)).toBe(true);
  expect(Number.isFinite(epoch!.val_loss)).toBe(true);
});

test('steps per epoch limits the batches; cross-validation still gives a validation curve', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  await pg.configure({ examples: 500, epochs: 2, batch: 10 });
  await pg.set('Steps per epoch', 100);
  await expect(pg.field('Steps per epoch')).toHaveAccessibleDescription(/Steps per epoch 100 is more than the 45 batches/);
  await expect(pg.field('Steps per epoch')).toHaveAttribute('aria-invalid', 'true');
  await expect(pg.button('Train')).toBeDisabled();
  await pg.set('Steps per epoch', 5);
  await page.getByLabel('Cross-validation').check();
  await pg.set('Folds', 5);
  await pg.train();
  await pg.waitForStatus('finished');
  expect(await pg.state<number>('progress.batchesPerEpoch')).toBe(5);
  expect(await pg.state<unknown[]>('batchPoints')).toHaveLength(10);
  const epochs = await pg.epochPoints();
  expect(epochs).toHaveLength(2);
  expect(epochs.every((e) => Number.isFinite(e.val_loss))).toBe(true);
});
