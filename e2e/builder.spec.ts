import { test, expect } from './fixtures';

test('build a model through the UI: presets, add, edit, move and remove layers', async ({ playground: pg, page }) => {
  await pg.open();
  await pg.field('Model preset').selectOption({ label: 'Small CNN' });
  await expect(page.getByText('54,410', { exact: true })).toBeVisible();
  await pg.field('Model preset').selectOption({ label: 'Conv32-Conv64-MaxPool-Dense128 CNN' });
  await expect(page.getByText('1,199,882', { exact: true })).toBeVisible();
  await pg.field('Model preset').selectOption({ label: 'Dense 512-512 MLP (chapter)' });

  // Add a Dropout layer: it goes above the output layer and costs no parameters.
  await pg.field('New layer type').selectOption({ label: 'Dropout' });
  await pg.button('Add layer').click();
  await expect(page.getByRole('row', { name: 'Layer 4: Dropout' })).toBeVisible();
  await expect(pg.field('Model preset')).toHaveValue('custom');
  await expect(page.getByText('669,706', { exact: true })).toBeVisible();

  // Edit the second hidden layer: 512 -> 256 units changes the counts like Keras would.
  await page.getByLabel('Units of layer 3 (Dense)').fill('256');
  await expect(page.getByText('535,818', { exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Move layer 4 (Dropout) up' }).click();
  await expect(page.getByRole('row', { name: 'Layer 3: Dropout' })).toBeVisible();
  await page.getByRole('button', { name: 'Remove layer 3 (Dropout)' }).click();
  await expect(page.getByRole('row', { name: /Dropout/ })).toHaveCount(0);
  await expect(pg.button('Train')).toBeEnabled();
});

test('a stack that cannot work is explained inline and Train says why it is disabled', async ({ playground: pg, page }) => {
  await pg.open();
  await pg.field('Model preset').selectOption({ label: 'Small CNN' });
  // Move Flatten (layer 3) to the top: the convolution now gets a flat vector.
  await page.getByRole('button', { name: 'Move layer 3 (Flatten) up' }).click();
  await page.getByRole('button', { name: 'Move layer 2 (Flatten) up' }).click();
  await expect(page.getByRole('row', { name: 'Layer 2: Conv2D' })).toContainText('Conv2D needs an image');
  await expect(pg.button('Train')).toBeDisabled();
  await expect(page.locator('#train-blocker')).toContainText('The model cannot be trained yet');

  // Output units that do not match the classes.
  await pg.field('Model preset').selectOption({ label: 'Dense 512-512 MLP (chapter)' });
  await page.getByLabel('Units of layer 4 (Dense)').fill('12');
  await expect(page.getByRole('alert', { name: 'Model problems' })).toContainText('outputs 12 numbers but the dataset has 10 classes');
  await expect(pg.button('Train')).toBeDisabled();
  await page.getByLabel('Units of layer 4 (Dense)').fill('10');

  // No layers at all.
  for (let i = 4; i >= 1; i--) await page.getByRole('button', { name: new RegExp(`^Remove layer ${i} `) }).click();
  await expect(page.getByRole('alert', { name: 'Model problems' })).toContainText('Add at least one layer');
  await expect(pg.button('Train')).toBeDisabled();
});

test('categorical cross-entropy with integer labels is explained, with one-click fixes', async ({ playground: pg, page }) => {
  await pg.open();
  await pg.field('Loss').selectOption({ label: 'Categorical cross-entropy' });
  const box = page.getByRole('alert', { name: 'Loss and label mismatch' });
  await expect(box).toContainText('expects each target as a one-hot vector');
  await expect(pg.button('Train')).toBeDisabled();
  await box.getByRole('button', { name: 'One-hot encode the labels' }).click();
  await expect(box).toHaveCount(0);
  await expect(page.getByLabel(/One-hot encode the labels/)).toBeChecked();
  await expect(pg.button('Train')).toBeEnabled();
});

test('Fashion-MNIST shows its class names and trains', async ({ playground: pg, page }) => {
  await pg.open();
  await pg.field('Dataset').selectOption({ label: 'Fashion-MNIST' });
  await expect(page.getByRole('img', { name: /^Ankle boot \(label 9\)$/ }).first()).toBeVisible();
  await pg.configure({ examples: 1000, epochs: 1, batch: 50 });
  await pg.train();
  await pg.waitForStatus('finished');
  await expect(page.getByRole('region', { name: 'Test evaluation' })).toContainText(/Test accuracy: \d+/);
});
