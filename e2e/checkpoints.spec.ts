import { test, expect } from './fixtures';

interface EventView {
  kind: string;
  epoch: number;
  message: string;
}

test('a reload mid-run offers the last checkpoint, and resuming continues the curves', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  await pg.configure({ examples: 2000, epochs: 6, batch: 32 });
  const panel = page.getByRole('region', { name: 'Checkpoints' });
  await expect(panel.getByLabel('Save checkpoints while training (in this browser)')).toBeChecked();
  await panel.getByLabel('Keep last', { exact: true }).fill('0');
  await pg.train();

  const checkpointEvents = () => pg.state<EventView[]>('events').then((es) => es.filter((e) => e.kind === 'checkpoint'));
  await expect.poll(() => checkpointEvents().then((e) => e.length), { timeout: 120_000 }).toBeGreaterThanOrEqual(2);
  const saved = await checkpointEvents();
  expect(saved[0]!.message).toMatch(/^Checkpoint model-01-\d\.\d{4} saved \(\d+(\.\d)? MB\)\.$/);
  const before = await pg.epochPoints();

  await page.reload();
  const banner = page.getByRole('region', { name: 'Interrupted run' });
  await expect(banner).toContainText(/Training was interrupted at epoch \d+/);
  await expect(banner).toContainText(/Resume from checkpoint model-\d\d-/);
  const from = await pg.state<number>('interrupted.checkpoint.epoch');
  expect(from).toBeGreaterThanOrEqual(2);
  // the curve up to the checkpoint, as it was before the reload
  const expected = before.filter((p) => p.epoch <= from);
  expect(expected.map((p) => p.epoch)).toEqual(Array.from({ length: from }, (_, i) => i + 1));

  await banner.getByRole('button', { name: 'Resume' }).click();
  await expect(banner).toBeHidden();
  await pg.waitForStatus('finished', 180_000);

  const epochs = await pg.epochPoints();
  expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]); // no gap, no duplicate
  epochs.slice(0, from).forEach((p, i) => expect(p.loss).toBeCloseTo(expected[i]!.loss, 6));
  const events = await pg.state<EventView[]>('events');
  expect(events.find((e) => e.kind === 'resumed')?.message).toMatch(new RegExp(`continues at epoch ${from + 1}`));
  expect(events.filter((e) => e.kind === 'checkpoint').map((e) => e.epoch)).toEqual(
    Array.from({ length: 6 - from }, (_, i) => from + 1 + i),
  );
  expect(await pg.field('Training examples').inputValue()).toBe('2000'); // the checkpoint's settings came back

  // Sizes are shown, and Delete removes a checkpoint.
  await expect(panel.getByTestId('storage-use')).toContainText(/Checkpoints use \d+(\.\d)? MB/);
  await expect(panel.getByRole('cell', { name: /^\d+(\.\d)? MB$/ }).first()).toBeVisible();
  const count = (await pg.state<unknown[]>('savedCheckpoints')).length;
  expect(count).toBe(6);
  await panel.getByRole('button', { name: /^Delete model-01-/ }).click();
  await expect.poll(() => pg.state<unknown[]>('savedCheckpoints').then((c) => c.length)).toBe(count - 1);
  await expect(panel.getByRole('button', { name: /^Delete model-01-/ })).toHaveCount(0);

  // Restoring an earlier checkpoint (what "Restore last good checkpoint" does after a NaN stop,
  // driven here through the store: this run did not diverge) loads its weights and curves.
  const third = (await pg.state<{ id: string; epoch: number }[]>('savedCheckpoints')).find((c) => c.epoch === 3)!;
  await page.evaluate((id) => (window as unknown as { __playground: { store: { getState(): { restoreCheckpoint(id: string): void } } } }).__playground.store.getState().restoreCheckpoint(id), third.id);
  await expect.poll(() => pg.state<string>('runMessage')).toMatch(/Checkpoint model-03-\d\.\d{4} \(epoch 3\) is loaded into the model/);
  expect((await pg.epochPoints()).map((e) => e.epoch)).toEqual([1, 2, 3]);
  const accAfter6 = await pg.state<number>('testResult.acc');
  await pg.button('Evaluate on test set').click();
  // the epoch-3 weights score differently on the 10,000 test images than the epoch-6 ones
  await expect.poll(() => pg.state<number>('testResult.acc')).not.toBe(accAfter6);
  await expect(page.getByRole('region', { name: 'Test evaluation' })).toContainText(/Test accuracy: \d+(\.\d)?%/);
});

test('a bad name template is explained before training; a record from an older version is listed, not loaded', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  const panel = page.getByRole('region', { name: 'Checkpoints' });
  const name = panel.getByLabel('Checkpoint name');
  await name.fill('model-{epochs:02d}');
  await expect(panel.getByRole('alert')).toContainText('{epochs}, which is not a known field');
  await expect(pg.button('Train')).toBeDisabled();
  await name.fill('model-{epoch:02d}-{val_loss:.4f}');
  await expect(panel.getByRole('alert')).toHaveCount(0);
  await expect(pg.button('Train')).toBeEnabled();

  // A record as an older app version might have left it (another schema, another shape).
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('training-playground');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['runs', 'checkpoints'], 'readwrite');
          tx.objectStore('runs').put({ id: 'run-v0', schema: 0, name: 'old run', status: 'running', updatedAt: 1 });
          tx.objectStore('checkpoints').put({ id: 'ckpt-v0', runId: 'run-v0', schema: 0, name: 'weights-v0', epoch: 3, weights: [1, 2, 3] });
          tx.oncomplete = () => (db.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  await page.reload();
  await expect(panel.getByRole('row', { name: /weights-v0/ })).toContainText("saved by an older version of the app; it can't be resumed — delete it");
  await expect(panel.getByRole('button', { name: 'Resume from weights-v0' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Interrupted run' })).toHaveCount(0);
  await expect(pg.button('Train')).toBeEnabled(); // the app works on
  await panel.getByRole('button', { name: 'Delete weights-v0' }).click();
  await expect(panel.getByRole('row', { name: /weights-v0/ })).toHaveCount(0);
});

// A worker that ends without an error event (self.close(), or killed for memory) was never
// noticed: the status said "Training" forever. Its life lock tells the page at once.
test('the training worker closed mid-run: noticed within 2 s, explained, and resumed from its checkpoint', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  await pg.configure({ examples: 2000, epochs: 6, batch: 32 });
  await pg.train();
  const checkpoints = () => pg.state<EventView[]>('events').then((es) => es.filter((e) => e.kind === 'checkpoint').length);
  await expect.poll(checkpoints, { timeout: 120_000 }).toBeGreaterThanOrEqual(2);
  const worker = page.workers().find((w) => w.url().includes('training'))!;
  expect(worker, 'the training worker').toBeTruthy();
  const t0 = Date.now();
  await worker.evaluate(() => self.close());
  await pg.waitForStatus('error', 5_000);
  expect(Date.now() - t0).toBeLessThan(2_000 + 500); // + the poll's own interval
  await expect.poll(() => pg.state<string>('runMessage')).toMatch(/training worker stopped without a word.*fresh worker has been started/);
  const epochsBefore = (await pg.epochPoints()).length;
  const banner = page.getByRole('region', { name: 'Interrupted run' });
  await expect(banner).toContainText(/Training was interrupted at epoch \d+/);
  const from = await pg.state<number>('interrupted.checkpoint.epoch');
  expect(epochsBefore - from).toBeLessThanOrEqual(1); // at most one epoch lost
  await banner.getByRole('button', { name: 'Resume' }).click();
  await pg.waitForStatus('finished', 180_000);
  expect((await pg.epochPoints()).map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
});

test('a second tab opened while the first trains does not call its run interrupted, and cannot resume it twice', async ({ playground: pg, context }) => {
  await pg.open('?backend=wasm');
  // Far more epochs than the test lasts (it stops the run): a run that ended before the second
  // tab asked would be resumable there, rightly.
  await pg.configure({ examples: 2000, epochs: 300, batch: 32 });
  await pg.train();
  const checkpoints = () => pg.state<EventView[]>('events').then((es) => es.filter((e) => e.kind === 'checkpoint').length);
  await expect.poll(checkpoints, { timeout: 120_000 }).toBeGreaterThanOrEqual(1);
  const second = await context.newPage();
  await second.goto('/?backend=wasm&threads=1');
  await expect(second.getByRole('figure', { name: 'Sample images' })).toBeVisible();
  await second.waitForTimeout(1500); // the interrupted-run check runs at load
  await expect(second.getByRole('region', { name: 'Interrupted run' })).toHaveCount(0);
  // Resuming the live run's checkpoint from the second tab is refused, saying why.
  // (the page refuses at once, clearing nothing; the worker would refuse too as it takes the lock)
  const { id, started, status } = await second.evaluate(async () => {
    const s = (window as unknown as { __playground: { store: { getState(): { refreshCheckpoints(): Promise<void>; savedCheckpoints: { id: string; epoch: number }[]; resumeFromCheckpoint(id: string): Promise<boolean>; status: string } } } }).__playground.store.getState;
    await s().refreshCheckpoints();
    // the newest: the live run keeps its last 3, so its oldest may be deleted by now
    const cp = [...s().savedCheckpoints].sort((a, b) => b.epoch - a.epoch)[0]!;
    const started = await s().resumeFromCheckpoint(cp.id);
    return { id: cp.id, started, status: s().status };
  });
  expect(id).toBeTruthy();
  expect(await pg.state<string>('status'), 'the first tab still trains').toBe('training');
  expect(started, 'refused').toBe(false);
  expect(status, 'the second tab kept what it had').toBe('idle');
  await expect(second.getByText(/This run is training in another tab or window right now/)).toBeVisible();
  await pg.button('Stop').click();
  await pg.waitForStatus('stopped', 30_000);
  await second.close();
});
