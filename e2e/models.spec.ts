import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { test, expect } from './fixtures';

test('save to the browser, download, clear, upload back: same test accuracy; broken files and other layers are refused', async ({
  playground: pg,
  page,
}, testInfo) => {
  await pg.open('?backend=wasm');
  const models = page.getByRole('region', { name: 'Models' });
  await expect(models.getByRole('button', { name: 'Download model' })).toBeDisabled();
  await expect(models).toContainText('Train a model or load one first');

  await pg.configure({ examples: 1000, epochs: 1, batch: 32 });
  await pg.train();
  await pg.waitForStatus('finished', 150_000);
  await expect(page.getByRole('region', { name: 'Test evaluation' })).toContainText(/Test accuracy: \d+/);
  const acc = await pg.state<number>('testResult.acc');
  const loss = await pg.state<number>('testResult.loss');
  expect(acc).toBeGreaterThan(0.5);

  // Save in the browser; saving again under the same name asks first.
  await models.getByLabel('Model name').fill('mlp-1-epoch');
  await models.getByRole('button', { name: 'Save to browser' }).click();
  await expect(models).toContainText('Saved "mlp-1-epoch" in this browser.');
  await expect(models.getByRole('table', { name: 'Saved models' })).toContainText('669,706');
  await models.getByRole('button', { name: 'Save to browser' }).click();
  await expect(models).toContainText('A model named “mlp-1-epoch” is already saved');
  await models.getByRole('button', { name: 'Cancel' }).click();

  // Load it back from the list: the same model, scored the same.
  await models.getByRole('button', { name: 'Load mlp-1-epoch' }).click();
  await expect(models).toContainText('Loaded model "mlp-1-epoch" (669,706 parameters).');
  expect(await pg.state<unknown>('testResult')).toBeNull();
  await page.getByRole('button', { name: 'Evaluate on test set' }).click();
  await expect.poll(() => pg.state<{ acc: number } | null>('testResult').then((r) => r?.acc)).toBe(acc);

  // Download model.json + weights.bin.
  const downloads: Promise<import('@playwright/test').Download>[] = [];
  page.on('download', (d) => downloads.push(Promise.resolve(d)));
  await models.getByRole('button', { name: 'Download model' }).click();
  await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(2);
  const files = await Promise.all(downloads);
  expect(files.map((d) => d.suggestedFilename()).sort()).toEqual(['model.json', 'weights.bin']);
  const paths: Record<string, string> = {};
  for (const d of files) {
    paths[d.suggestedFilename()] = testInfo.outputPath(d.suggestedFilename());
    await d.saveAs(paths[d.suggestedFilename()]!);
  }
  const modelJson = JSON.parse(await readFile(paths['model.json']!, 'utf8')) as Record<string, unknown>;
  expect(modelJson).toMatchObject({ format: 'layers-model', weightsManifest: [{ paths: ['weights.bin'] }] });
  expect((await readFile(paths['weights.bin']!)).byteLength).toBe(669_706 * 4);

  // Delete asks once more, then the list is empty.
  await models.getByRole('button', { name: 'Delete mlp-1-epoch' }).click();
  await models.getByRole('button', { name: 'Keep mlp-1-epoch' }).click();
  await models.getByRole('button', { name: 'Delete mlp-1-epoch' }).click();
  await models.getByRole('button', { name: 'Delete mlp-1-epoch for good' }).click();
  await expect(models).toContainText('No saved models yet.');

  // Clear the saved models and start afresh: nothing of the run survives the reload.
  await page.evaluate(
    () => new Promise((resolve, reject) => {
      const req = indexedDB.open('training-playground');
      req.onsuccess = () => {
        const tx = req.result.transaction('models', 'readwrite');
        tx.objectStore('models').clear();
        tx.oncomplete = () => resolve(null);
        tx.onerror = () => reject(tx.error);
      };
    }),
  );
  await pg.open('?backend=wasm');
  await expect(models).toContainText('No saved models yet.');
  expect(await pg.state<boolean>('hasModel')).toBe(false);
  await pg.set('Model preset', 'Small CNN'); // the loaded model must replace what the builder shows

  // A truncated weights.bin: a clear message, and the app stays usable.
  const truncated = testInfo.outputPath('truncated', 'weights.bin');
  await mkdir(dirname(truncated), { recursive: true });
  await writeFile(truncated, (await readFile(paths['weights.bin']!)).subarray(0, 1_200_000));
  await models.getByLabel('Upload model').setInputFiles([paths['model.json']!, truncated]);
  await expect(models.getByRole('alert')).toContainText(
    'weights.bin holds 1.2 MB but model.json describes 2.7 MB: the file is truncated or belongs to another model.',
  );
  expect(await pg.state<boolean>('hasModel')).toBe(false);
  await expect(pg.field('Model preset')).toHaveValue('small-cnn');

  // Weights only, into the builder's architecture: refused while the builder shows the small CNN.
  const weightDownloads: Promise<import('@playwright/test').Download>[] = [];
  page.on('download', (d) => weightDownloads.push(Promise.resolve(d)));
  await models.getByLabel('Upload model').setInputFiles([paths['model.json']!, paths['weights.bin']!]);
  await expect(models).toContainText('Loaded model "model.json"');
  await models.getByRole('button', { name: 'Download weights' }).click();
  await expect.poll(() => weightDownloads.length, { timeout: 30_000 }).toBe(2);
  for (const d of await Promise.all(weightDownloads)) {
    paths[`w-${d.suggestedFilename()}`] = testInfo.outputPath('w', d.suggestedFilename());
    await d.saveAs(paths[`w-${d.suggestedFilename()}`]!);
  }
  expect(Object.keys(paths).filter((k) => k.startsWith('w-')).sort()).toEqual(['w-weights.bin', 'w-weights.json']);
  await pg.set('Model preset', 'Small CNN');
  const weightFiles = [paths['w-weights.json']!, paths['w-weights.bin']!];
  await models.getByLabel('Load weights into current model').setInputFiles(weightFiles);
  await expect(models.getByRole('alert')).toContainText('Layer 1 (conv2d_1, Conv2D): saved kernel is [784, 512], this model needs [3, 3, 1, 32].');
  await pg.set('Model preset', 'Dense 512-512 MLP (chapter)');
  await models.getByLabel('Load weights into current model').setInputFiles(weightFiles);
  await expect(models).toContainText('Loaded weights from "weights.json" (669,706 parameters).');
  await page.getByRole('button', { name: 'Evaluate on test set' }).click();
  await expect.poll(() => pg.state<{ acc: number } | null>('testResult').then((r) => r?.acc)).toBe(acc);
  await pg.open('?backend=wasm');
  await pg.set('Model preset', 'Small CNN');

  // The two downloaded files, uploaded back: same layers, same test accuracy.
  await models.getByLabel('Upload model').setInputFiles([paths['model.json']!, paths['weights.bin']!]);
  await expect(models).toContainText('Loaded model "model.json" (669,706 parameters).');
  await expect(page.getByText('669,706', { exact: true })).toBeVisible();
  expect(await pg.state<unknown[]>('config.model.layers')).toHaveLength(4);
  await page.getByRole('button', { name: 'Evaluate on test set' }).click();
  await expect(page.getByRole('region', { name: 'Test evaluation' })).toContainText(/Test accuracy: \d+/);
  expect(await pg.state<number>('testResult.acc')).toBe(acc);
  expect(await pg.state<number>('testResult.loss')).toBeCloseTo(loss, 5);
  await expect(pg.button('Train')).toBeEnabled();

  // Train further: the next run starts from the loaded weights, not from new random ones
  // (whose first batches have a loss near ln 10 = 2.3).
  await models.getByLabel(/Train further/).check();
  await pg.configure({ examples: 1000, epochs: 1, batch: 32 });
  await pg.train();
  await pg.waitForStatus('finished', 150_000);
  const [first] = await pg.state<{ loss: number }[]>('batchPoints');
  expect(first!.loss).toBeLessThan(1.2);

  // Train further with other layers is refused before the model is replaced: it can still be evaluated.
  const testAcc = () => pg.state<{ acc: number } | null>('testResult').then((r) => r?.acc ?? null);
  await expect.poll(testAcc).not.toBeNull(); // a completed run is scored at once
  const further = await testAcc();
  await pg.field('Units of layer 2 (Dense)').fill('256');
  await pg.train();
  await expect(pg.status()).toContainText('Failed');
  await expect(page.getByText(/Layer 2 \(dense_2, Dense\): current kernel is \[784, 512\], this model needs \[784, 256\]/)).toBeVisible();
  await page.getByRole('button', { name: 'Evaluate on test set' }).click();
  await expect.poll(testAcc).toBe(further);
});
