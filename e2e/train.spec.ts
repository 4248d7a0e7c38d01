import { test, expect, MAIN_THREAD } from './fixtures';

test('first load: MNIST and the chapter MLP, ready to train', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  await expect(pg.field('Dataset')).toHaveValue('mnist');
  await expect(pg.field('Model preset')).toHaveValue('mlp');
  await expect(page.getByText('669,706', { exact: true })).toBeVisible();
  await expect(pg.field('Preprocessing')).toHaveValue('normalize');
  await expect(pg.field('Optimizer')).toHaveValue('adam');
  await expect(pg.field('Validation split')).toHaveValue('0.1');
  await expect(page.getByRole('img', { name: /^0 \(label 0\)$/ }).first()).toBeVisible();
  await expect(pg.button('Train')).toBeEnabled();
  await expect(pg.status()).toContainText('Ready to train');
});

test.describe(() => {
  test('train: live curves, progress, test evaluation, and no long tasks on the page', MAIN_THREAD, async ({ playground: pg, page }) => {
    await pg.watchMainThread();
    await pg.open('?backend=wasm');
    await pg.configure({ examples: 2000, epochs: 3, batch: 32 });
    await pg.train();
    await expect(pg.status()).toContainText('backend: wasm');
    await expect.poll(() => pg.state<number>('batchCount'), { timeout: 60_000 }).toBeGreaterThan(0);
    const trainingStarted = await pg.now();
    await expect(pg.status()).toContainText(/samples\/s/);
    await expect(page.getByLabel('Training progress')).toBeVisible();
    await pg.waitForStatus('finished');
    const trainingEnded = await pg.now();

    const epochs = await pg.epochPoints();
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(epochs[2]!.loss).toBeLessThan(epochs[0]!.loss);
    expect(epochs.every((e) => typeof e.val_acc === 'number')).toBe(true);
    await expect(page.getByRole('img', { name: 'Loss chart' }).locator('path.recharts-curve').first()).toBeVisible();
    await expect(page.getByRole('list', { name: 'Loss lines' })).toContainText('Validation');

    const evaluation = page.getByRole('region', { name: 'Test evaluation' });
    await expect(evaluation).toContainText(/Test accuracy: \d+(\.\d)?%/);
    const acc = await pg.state<number>('testResult.acc');
    expect(acc).toBeGreaterThan(0.85);

    await page.getByRole('radio', { name: 'Per batch' }).check();
    await expect(page.getByRole('radio', { name: 'Smoothed' })).toBeChecked();
    await expect(page.getByRole('list', { name: 'Loss lines' })).toContainText('Training, raw');
    await page.getByRole('radio', { name: 'Raw' }).check();
    await expect(page.getByRole('img', { name: 'Loss chart' }).locator('path.recharts-curve').first()).toBeVisible();
    // The validation results are dots where each epoch ended, one per epoch.
    await expect(page.getByRole('img', { name: 'Loss chart' }).locator('.recharts-line-dots circle')).toHaveCount(3);

    const report = await pg.mainThread(trainingStarted, trainingEnded);
    expect(report.busyTasks, `long tasks of the page's own work while training: ${JSON.stringify(report)}`).toEqual([]);
  });
});

test('one epoch on 10,000 examples passes 90% validation accuracy', async ({ playground: pg }) => {
  await pg.open('?backend=wasm');
  await pg.configure({ examples: 10000, epochs: 1, batch: 32 });
  await pg.train();
  await pg.waitForStatus('finished', 150_000);
  const [epoch] = await pg.epochPoints();
  expect(epoch!.val_acc).toBeGreaterThan(0.9);
});

test('Pause, Resume and Stop at any moment; Stop keeps the curves', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  await pg.configure({ examples: 3000, epochs: 20, batch: 16 });
  await pg.train();
  await expect.poll(() => pg.state<unknown[]>('epochPoints').then((e) => e.length), { timeout: 90_000 }).toBeGreaterThan(0);
  await pg.button('Pause').click();
  await pg.waitForStatus('paused');
  await expect(pg.status()).toContainText('Paused');
  // A batch already under way when Pause arrived may still come in; after two requests to the
  // worker have been answered it sits waiting, and no batch may arrive while it waits.
  await pg.workerRoundTrip();
  await pg.workerRoundTrip();
  const frozen = await pg.state<number>('batchCount');
  for (let i = 0; i < 3; i++) await pg.workerRoundTrip();
  expect(await pg.state<number>('batchCount')).toBe(frozen);
  expect(await pg.state<string>('status')).toBe('paused');
  await pg.button('Resume').click();
  await pg.waitForStatus('training');
  await expect.poll(() => pg.state<number>('batchCount')).toBeGreaterThan(frozen);
  await pg.button('Stop').click();
  await pg.waitForStatus('stopped');
  await expect(pg.status()).toContainText('Stopped');
  const epochs = await pg.epochPoints();
  expect(epochs.length).toBeGreaterThan(0);
  await expect(page.getByText(/the model and its curves are kept/)).toBeVisible();
  // The stopped model can still be evaluated, and nothing the user set was lost.
  await page.getByRole('button', { name: 'Evaluate on test set' }).click();
  await expect(page.getByRole('region', { name: 'Test evaluation' })).toContainText(/Test accuracy: \d+/);
  await expect(pg.field('Epochs')).toHaveValue('20');
  await expect(pg.button('Train')).toBeEnabled();
});

test('the ?seed= parameter sets the seed, and the same seed repeats the same curves', async ({ playground: pg }) => {
  await pg.open('?backend=wasm&seed=1234');
  await expect(pg.field('Seed')).toHaveValue('1234');
  await pg.configure({ examples: 500, epochs: 2, batch: 50 });
  const runOnce = async () => {
    await pg.train();
    await pg.waitForStatus('finished');
    const points = await pg.epochPoints();
    return points.map(({ loss, acc, val_loss, val_acc }) => ({ loss, acc, val_loss, val_acc }));
  };
  const a = await runOnce();
  const b = await runOnce();
  expect(b).toEqual(a);
});
