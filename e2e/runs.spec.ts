import { readFileSync } from 'node:fs';
import { test, expect } from './fixtures';

test('runs are recorded, named by what changed, overlaid on the charts, exported, and kept after a reload', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  const runs = page.getByRole('region', { name: 'Runs' });
  await expect(runs).toContainText('No finished runs yet');

  await pg.configure({ examples: 600, epochs: 2, batch: 32 });
  await pg.set('Preprocessing', 'Raw pixels');
  await pg.train();
  await pg.waitForStatus('finished');
  await expect(runs.getByRole('checkbox', { name: /^Compare / })).toHaveCount(1);

  await pg.set('Preprocessing', 'Normalize to [0, 1]');
  await pg.train();
  await pg.waitForStatus('finished');
  // The second run is named by what changed, and the first by its own value of it.
  await expect(runs.getByRole('checkbox', { name: 'Compare raw pixels' })).toBeVisible();
  await expect(runs.getByRole('checkbox', { name: 'Compare normalize [0,1]' })).toBeVisible();
  // The table shows the setting that differs as a column.
  await expect(runs.getByRole('columnheader', { name: 'Inputs' })).toBeVisible();
  // The test result arrives after the run ends, and is added to its row.
  await expect(runs.getByRole('row', { name: /normalize \[0,1\]/ })).toContainText(/\d+\.\d%/);

  // Overlay the raw run on the live (normalized) curves.
  await runs.getByRole('checkbox', { name: 'Compare raw pixels' }).check();
  const lossLegend = page.getByRole('list', { name: 'Loss lines' });
  await expect(lossLegend).toContainText('raw pixels');
  await expect(lossLegend).toContainText('This run: training');
  await expect(page.getByRole('list', { name: 'Accuracy (%) lines' })).toContainText('raw pixels');
  // The live run's lines plus the raw run's training and validation lines.
  await expect(page.getByRole('img', { name: 'Loss chart' }).locator('path.recharts-curve')).toHaveCount(4);

  // Rename, then export the ticked run as CSV.
  await runs.getByRole('button', { name: 'Rename raw pixels' }).click();
  await runs.getByRole('textbox', { name: 'New name for raw pixels' }).fill('unscaled inputs');
  await runs.getByRole('textbox', { name: 'New name for raw pixels' }).press('Enter');
  await expect(runs.getByRole('checkbox', { name: 'Compare unscaled inputs' })).toBeChecked();
  const download = page.waitForEvent('download');
  await runs.getByRole('button', { name: 'CSV' }).click();
  const file = await download;
  const csv = await (await file.createReadStream()).toArray();
  const text = Buffer.concat(csv).toString('utf8');
  expect(text.split('\n')[0]).toBe('run,epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,test_accuracy');
  expect(text).toContain('unscaled inputs,1,');

  // After a reload the runs, their names and the overlay are still there.
  await page.reload();
  await expect(page.getByRole('figure', { name: 'Sample images' })).toBeVisible();
  await expect(runs.getByRole('checkbox', { name: 'Compare unscaled inputs' })).toBeChecked();
  await expect(runs.getByRole('checkbox', { name: 'Compare normalize [0,1]' })).not.toBeChecked();
  await expect(lossLegend).toContainText('unscaled inputs');
  await expect(page.getByRole('img', { name: 'Loss chart' }).locator('path.recharts-curve')).toHaveCount(2);

  // Pin a baseline, then delete a run.
  await runs.getByRole('checkbox', { name: 'Baseline: normalize [0,1]' }).check();
  await expect(lossLegend).toContainText('normalize [0,1] (baseline)');
  await runs.getByRole('button', { name: 'Delete unscaled inputs' }).click();
  await expect(runs.getByRole('checkbox', { name: /^Compare / })).toHaveCount(1);
  await expect(lossLegend).not.toContainText('unscaled inputs');
});

test("the PyTorch script's run.json is imported, tagged as such, and compared on the charts", async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  const runs = page.getByRole('region', { name: 'Runs' });
  const input = runs.getByLabel('Import run', { exact: true });
  // A file of another program is refused with the reason, and nothing is listed.
  await input.setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"loss": [0.4, 0.2]}') });
  await expect(runs).toContainText('notes.json is not a run file of Training Playground: it has no field "kind"');
  await expect(runs).toContainText('No finished runs yet');

  // What the script writes with --out (src/core/runs/importRun.script.test.ts checks the fixture against it).
  const runJson = readFileSync(new URL('../src/core/runs/testdata/pytorch-run.json', import.meta.url));
  await input.setInputFiles({ name: 'run.json', mimeType: 'application/json', buffer: runJson });
  const row = runs.getByRole('row', { name: /PyTorch: MNIST/ });
  await expect(row).toContainText('imported from run.json (PyTorch)');
  await expect(row).toContainText('93.8% (epoch 2)');
  await expect(row).toContainText('93.6%');
  await runs.getByRole('checkbox', { name: 'Compare PyTorch: MNIST' }).check();
  await expect(page.getByRole('list', { name: 'Loss lines' })).toContainText('PyTorch: MNIST');
  // Its training and validation lines.
  await expect(page.getByRole('img', { name: 'Loss chart' }).locator('path.recharts-curve')).toHaveCount(2);
});
