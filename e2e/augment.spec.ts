import { test, expect } from './fixtures';

test('Shapes: preview augmentation, train with it, then compare invariance sweeps', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  await pg.set('Dataset', 'Shapes (centred, upright)');
  await expect(page.getByRole('img', { name: /^circle \(label 0\)$/ }).first()).toBeVisible({ timeout: 60_000 });
  // The chapter's MLP follows the dataset's 5 classes, so Train stays available.
  await expect(page.getByText('2,565', { exact: true })).toBeVisible();

  await expect(pg.field('Augmented fraction')).toHaveValue('0.5');
  await page.getByLabel('Flip horizontally').check();
  await pg.set('Rotation range (degrees)', 20);
  await pg.set('Width shift (fraction)', 0.1);
  await pg.button('Preview augmentation').click();
  const preview = page.getByRole('figure', { name: 'Augmentation preview' });
  await expect(preview).toBeVisible({ timeout: 60_000 });
  await expect(preview.getByRole('img', { name: /^Original / })).toHaveCount(5);
  await expect(preview.getByRole('img', { name: /^Augmented: / })).toHaveCount(25);
  await expect(preview).toContainText(/rotate -?\d+°/);
  await expect(preview).not.toContainText('zoom');
  // Changing a setting refreshes the preview by itself.
  await pg.set('Zoom range', 0.3);
  await expect(preview).toContainText(/zoom \d\.\d\d/, { timeout: 30_000 });

  await pg.configure({ examples: 1500, epochs: 2, batch: 32 });
  await pg.train();
  await pg.waitForStatus('finished', 150_000);
  await expect(page.getByRole('region', { name: 'Test evaluation' })).toContainText(/Test accuracy: \d+/);

  const invariance = page.getByRole('region', { name: 'Invariance' });
  await invariance.getByRole('button', { name: 'Run invariance sweep' }).click();
  await expect.poll(() => pg.state<string>('invarianceStatus'), { timeout: 120_000 }).toBe('done');
  const points = await pg.state<{ sweep: string; amount: number; acc: number }[]>('invariance.points');
  expect(new Set(points.map((p) => p.sweep))).toEqual(new Set(['shift', 'rotation', 'zoom']));
  expect(points.every((p) => p.acc >= 0 && p.acc <= 1)).toBe(true);
  for (const name of ['shift', 'rotation', 'zoom']) {
    await expect(page.getByRole('img', { name: `Invariance: accuracy against ${name}` }).locator('path.recharts-curve')).toHaveCount(1);
  }
  await expect(invariance).toContainText('50% augmented: flip ↔, rotation ±20°');

  // A second run without augmentation: its sweep is drawn next to the first one's.
  await page.getByLabel('Flip horizontally').uncheck();
  await pg.set('Rotation range (degrees)', 0);
  await pg.set('Width shift (fraction)', 0);
  await pg.set('Zoom range', 0);
  await pg.train();
  await pg.waitForStatus('finished', 150_000);
  await invariance.getByRole('button', { name: 'Run invariance sweep' }).click();
  await expect.poll(() => pg.state<string>('invarianceStatus'), { timeout: 120_000 }).toBe('done');
  await expect(page.getByRole('img', { name: 'Invariance: accuracy against shift' }).locator('path.recharts-curve')).toHaveCount(2);
  await expect(invariance).toContainText('no augmentation');
  await expect(invariance).toContainText('earlier: Shapes centred, upright, 50% augmented');
});
