import { test, expect } from './fixtures';
import { LESSONS } from '../src/core/lessons/catalog';

test('a lesson opens from the Lessons menu with its settings and what to watch', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  await pg.button('Lessons').click();
  await page.getByRole('list', { name: 'Lessons' }).getByRole('button', { name: /Input scaling/ }).click();
  const lesson = page.getByRole('region', { name: 'Lesson' });
  await expect(lesson).toContainText('Lesson: Input scaling');
  await expect(lesson).toContainText('Watch the first epoch');
  await expect(lesson.getByRole('list', { name: 'Lesson steps' }).getByRole('listitem')).toHaveCount(3);
  await expect(pg.field('Preprocessing')).toHaveValue('raw');
  await expect(pg.field('Training examples')).toHaveValue('6000');
  // The quick version halves the examples, until the first step has run.
  await lesson.getByRole('checkbox', { name: 'Quick version' }).check();
  await expect(pg.field('Training examples')).toHaveValue('3000');
  await lesson.getByRole('checkbox', { name: 'Quick version' }).uncheck();
  await expect(pg.field('Training examples')).toHaveValue('6000');
  await lesson.getByRole('button', { name: 'Close the lesson' }).click();
  await expect(lesson).toHaveCount(0);
});

test('every lesson opens from the Lessons menu with its steps and what to watch', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  const lesson = page.getByRole('region', { name: 'Lesson' });
  for (const def of LESSONS) {
    await pg.button('Lessons').click();
    await page.getByRole('list', { name: 'Lessons' }).getByRole('button', { name: new RegExp(def.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).click();
    await expect(lesson).toContainText(`Lesson: ${def.title}`);
    await expect(lesson.getByRole('list', { name: 'Lesson steps' }).getByRole('listitem')).toHaveCount(def.steps.length);
    await expect(lesson).toContainText(def.watch.slice(0, 60));
    await expect(lesson.getByRole('button', { name: 'Run the lesson' })).toBeVisible();
  }
});

// Each lesson, opened from the address, runs all its steps on wasm and its outcome is checked
// against the chapter's direction of effect: the quick version (a subset) in the suite, the
// full one with E2E_LESSONS=full (the numbers in the closing notes come from that).
const FULL = process.env.E2E_LESSONS === 'full';
for (const def of LESSONS) {
  test(`lesson ${def.id}: runs to its summary, its runs overlaid by name, as the chapter says`, async ({ playground: pg, page }) => {
    test.setTimeout(420_000);
    await pg.open(`?backend=wasm&lesson=${def.id}${FULL ? '' : '&quick=1'}`);
    const lesson = page.getByRole('region', { name: 'Lesson' });
    await expect(lesson).toContainText(def.title);
    await lesson.getByRole('button', { name: 'Run the lesson' }).click();
    const result = lesson.getByRole('region', { name: 'What happened' });
    await expect(result).toBeVisible({ timeout: 400_000 });
    const text = await result.innerText();
    console.log(`lesson ${def.id}: ${text}`);
    expect(text).toMatch(/as the chapter says\./);
    const runs = page.getByRole('region', { name: 'Runs' });
    for (const step of def.steps) {
      await expect(runs.getByRole('checkbox', { name: `Compare ${step.name}` })).toBeChecked();
    }
    // The last step is the live run; every other step is drawn over it, named in the legend.
    const legend = page.getByRole('list', { name: 'Loss lines' });
    for (const step of def.steps.slice(0, -1)) await expect(legend).toContainText(step.name);
  });
}
