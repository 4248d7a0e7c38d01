import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, strToU8, zipSync } from 'fflate';
import type { Page } from '@playwright/test';
import { test, expect, type Playground } from './fixtures';
import { writeTar } from '../src/core/testing/tar';

/** Encodes `n` images per colour with the browser's own encoders (PNG or JPEG), 20×14 pixels. */
async function encodeImages(page: Page, colours: Record<string, string>, n: number, type: 'image/png' | 'image/jpeg' | 'image/webp') {
  return page.evaluate(
    async ({ colours, n, type }) => {
      const out: Record<string, number[][]> = {};
      for (const [name, colour] of Object.entries(colours)) {
        out[name] = [];
        for (let i = 0; i < n; i++) {
          const c = new OffscreenCanvas(20, 14);
          const ctx = c.getContext('2d')!;
          ctx.fillStyle = colour;
          ctx.fillRect(0, 0, 20, 14);
          ctx.fillStyle = '#888';
          ctx.fillRect(i % 10, 2, 3, 3); // a little variety
          const blob = await c.convertToBlob({ type, quality: 0.9 });
          out[name].push([...new Uint8Array(await blob.arrayBuffer())]);
        }
      }
      return out;
    },
    { colours, n, type },
  );
}

const importInput = (page: Page) => page.getByLabel('Import dataset', { exact: true });
const folderInput = (page: Page) => page.getByLabel('Import folder', { exact: true });
const result = (page: Page) => page.getByLabel('Import result');

async function trainShort(pg: Playground) {
  await pg.configure({ epochs: 1, batch: 8 });
  await expect(pg.button('Train')).toBeEnabled();
  await pg.train();
  await pg.waitForStatus('finished', 120_000);
  const [epoch] = await pg.epochPoints();
  expect(Number.isFinite(epoch!.loss)).toBe(true);
}

test('folder per class with PNG and JPEG: system files skipped silently, a licence and a corrupt image listed, then train, reload, delete', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  const png = await encodeImages(page, { red: '#e00', blue: '#00e' }, 10, 'image/png');
  const jpg = await encodeImages(page, { green: '#0c0' }, 10, 'image/jpeg');
  const dir = join(tmpdir(), `tp-import-${process.pid}`, 'colours');
  rmSync(dir, { recursive: true, force: true });
  for (const [name, files] of Object.entries({ ...png, ...jpg })) {
    mkdirSync(join(dir, name), { recursive: true });
    files.forEach((b, i) => writeFileSync(join(dir, name, `${i}.${name === 'green' ? 'jpg' : 'png'}`), Buffer.from(b)));
  }
  writeFileSync(join(dir, 'LICENSE'), 'CC0');
  writeFileSync(join(dir, 'red', '.DS_Store'), Buffer.from([0, 0, 0, 1, 66, 117]));
  writeFileSync(join(dir, 'blue', 'corrupt.png'), Buffer.concat([Buffer.from(png.red![0]!.slice(0, 40)), Buffer.alloc(30, 7)]));

  await page.getByText('Import your own images').click();
  await pg.field('Image size').selectOption({ label: '16×16' });
  await pg.field('Channels').selectOption({ label: 'RGB' });
  await folderInput(page).setInputFiles(dir);
  await expect(result(page)).toContainText('Imported "colours": 24 training and 6 test images, 3 classes, 16×16×3', { timeout: 60_000 });
  await expect(result(page)).toContainText('2 files were skipped');
  await page.getByText(/^Skipped: 2 files/).click();
  await expect(page.getByRole('list', { name: 'Skipped files' })).toContainText('colours/blue/corrupt.png');
  await expect(page.getByRole('list', { name: 'Skipped files' })).toContainText('colours/LICENSE: not an image');
  await expect(page.getByRole('list', { name: 'Skipped files' })).not.toContainText('DS_Store');
  await expect(pg.field('Dataset')).toHaveValue(/^import:/);
  await expect(pg.field('Dataset').locator('option:checked')).toHaveText('colours');
  const counts = page.getByRole('table', { name: 'Images per class' });
  await expect(counts.getByRole('row', { name: 'green 8 2' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'red (label 2)' }).first()).toBeVisible();
  await trainShort(pg);

  await page.reload();
  await expect(page.getByRole('figure', { name: 'Sample images' })).toBeVisible();
  await expect(pg.field('Dataset').locator('option', { hasText: 'colours' })).toHaveCount(1);
  await pg.field('Dataset').selectOption({ label: 'colours' });
  await expect(page.getByRole('img', { name: 'blue (label 0)' }).first()).toBeVisible();
  await page.getByText('Import your own images').click();
  await page.getByRole('button', { name: 'Delete colours' }).click();
  await expect(pg.field('Dataset').locator('option', { hasText: 'colours' })).toHaveCount(0);
  await expect(pg.field('Dataset')).toHaveValue('mnist');
  rmSync(dir, { recursive: true, force: true });
});

test('zip with train/ and test/ folders keeps their split, and trains', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  const png = await encodeImages(page, { cat: '#fa0', dog: '#0af' }, 8, 'image/png');
  const files: Record<string, Uint8Array> = { 'pets/README.txt': strToU8('hi') };
  for (const [name, list] of Object.entries(png)) {
    list.forEach((b, i) => (files[`pets/${i < 6 ? 'train' : 'test'}/${name}/${i}.png`] = new Uint8Array(b)));
  }
  await importInput(page).setInputFiles({ name: 'pets.zip', mimeType: 'application/zip', buffer: Buffer.from(zipSync(files)) });
  await expect(result(page)).toContainText('Imported "pets": 12 training and 4 test images, 2 classes, 28×28×1', { timeout: 60_000 });
  await trainShort(pg);
});

test('CSV with embedded pixels and JSON with an HTML label: labels stay text; train on the CSV', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  const rows = ['label,location'];
  for (let i = 0; i < 20; i++) {
    const on = i % 2 === 0;
    const px = Array.from({ length: 64 }, (_, k) => (on ? (k % 8 < 4 ? 255 : 0) : (k < 32 ? 255 : 0)));
    rows.push(`${on ? '"left, half"' : 'top'},"${px.join(' ')}"`);
  }
  rows.push('top,http://127.0.0.1:9/unreachable.png');
  await importInput(page).setInputFiles({ name: 'halves.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\r\n')) });
  await expect(result(page)).toContainText('Imported "halves": 16 training and 4 test images, 2 classes', { timeout: 60_000 });
  await page.getByText(/^Skipped: 1 file/).click();
  await expect(page.getByRole('list', { name: 'Skipped files' })).toContainText('http://127.0.0.1:9/unreachable.png: this is an http: address (unencrypted)');
  await expect(page.getByRole('img', { name: 'left, half (label 0)' }).first()).toBeVisible();
  await trainShort(pg);

  const evil = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
  const json = Array.from({ length: 10 }, (_, i) => ({ label: i % 2 ? evil : 'plain', location: Array.from({ length: 4 }, () => Array(4).fill(i % 2 ? 250 : 5)) }));
  await importInput(page).setInputFiles({ name: 'tricky.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)) });
  await expect(result(page)).toContainText('Imported "tricky"', { timeout: 60_000 });
  await expect(page.getByRole('table', { name: 'Images per class' })).toContainText(evil);
  await expect(page.getByText('bold', { exact: true })).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('a tiny CIFAR-10 binary archive imports with its class names and split', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  const record = (label: number) => {
    const b = new Uint8Array(3073);
    b[0] = label;
    b.fill(label * 25, 1 + label * 100, 1 + 1024);
    return b;
  };
  const batch = (labels: number[]) => Buffer.concat(labels.map(record));
  const names = 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n';
  const tar = writeTar([
    { path: 'cifar-10-batches-bin/batches.meta.txt', bytes: strToU8(names) },
    { path: 'cifar-10-batches-bin/data_batch_1.bin', bytes: batch([0, 1, 2, 0, 1, 2, 0, 1, 2, 0]) },
    { path: 'cifar-10-batches-bin/data_batch_2.bin', bytes: batch([0, 1, 2, 0, 1, 2, 0, 1, 2, 0]) },
    { path: 'cifar-10-batches-bin/test_batch.bin', bytes: batch([0, 1, 2]) },
  ]);
  await page.getByText('Import your own images').click();
  await pg.field('Channels').selectOption({ label: 'RGB' });
  await pg.field('Image size').selectOption({ label: '32×32' });
  await importInput(page).setInputFiles({ name: 'cifar-10-binary.tar.gz', mimeType: 'application/gzip', buffer: Buffer.from(gzipSync(tar)) });
  await expect(result(page)).toContainText('Imported "cifar-10-binary": 20 training and 3 test images, 3 classes, 32×32×3', { timeout: 60_000 });
  await expect(page.getByRole('img', { name: 'automobile (label 1)' }).first()).toBeVisible();
  await trainShort(pg);
});

test('hostile input: zip bomb, 20000×20000 PNG, a million garbage CSV rows — clear messages, app stays usable', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  await page.getByText('Import your own images').click();
  await pg.set('Epochs', 7);

  // 60 MiB: under the 64 MB per-file limit, so the ratio check (not the size) refuses it.
  const bomb = zipSync({ 'a/x.png': new Uint8Array(60 * 1024 * 1024), 'b/y.png': new Uint8Array(10) }, { level: 9 });
  await importInput(page).setInputFiles({ name: 'bomb.zip', mimeType: 'application/zip', buffer: Buffer.from(bomb) });
  await expect(result(page)).toContainText(/zip bombs are/, { timeout: 60_000 });

  // A real PNG header claiming 20000×20000: refused from the header, never decoded.
  const header = Buffer.alloc(60);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]).copy(header);
  header.writeUInt32BE(20000, 16);
  header.writeUInt32BE(20000, 20);
  const files: Record<string, Uint8Array> = { 'big/a/huge.png': new Uint8Array(header), 'big/b/huge2.png': new Uint8Array(header) };
  await importInput(page).setInputFiles({ name: 'big.zip', mimeType: 'application/zip', buffer: Buffer.from(zipSync(files)) });
  await expect(result(page)).toContainText(/20,000×20,000 pixels is larger than the limit/, { timeout: 60_000 });

  const garbage = 'label,location\n' + 'ab,#$%^&*\n'.repeat(1_000_000);
  await importInput(page).setInputFiles({ name: 'garbage.csv', mimeType: 'text/csv', buffer: Buffer.from(garbage) });
  await expect(result(page)).toContainText(/more than 60,000 examples/, { timeout: 60_000 });

  // The app is still usable and nothing the learner set was lost.
  await expect(pg.field('Epochs')).toHaveValue('7');
  await expect(pg.field('Dataset')).toHaveValue('mnist');
  await expect(pg.button('Train')).toBeEnabled();
  await expect(page.getByLabel('Import dataset', { exact: true })).toBeEnabled();
});

test('an import of thousands of images shows progress and can be cancelled; the app stays usable', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  const png = await encodeImages(page, { a: '#123', b: '#fed' }, 5, 'image/png');
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < 4000; i++) files[`many/${i % 2 ? 'a' : 'b'}/${i}.png`] = new Uint8Array(png[i % 2 ? 'a' : 'b']![i % 5]!);
  await page.getByText('Import your own images').click();
  await pg.field('Image size').selectOption({ label: '64×64' });
  await importInput(page).setInputFiles({ name: 'many.zip', mimeType: 'application/zip', buffer: Buffer.from(zipSync(files, { level: 0 })) });
  const bar = page.getByRole('progressbar', { name: 'Import progress' });
  await expect(bar).toBeVisible();
  await expect(page.getByText(/Decoding images [\d,]+ of 4,000/)).toBeVisible();
  await page.getByRole('button', { name: 'Cancel import' }).click();
  await expect(result(page)).toContainText('Import cancelled. Nothing was saved');
  await expect(bar).toHaveCount(0);
  await expect(pg.field('Dataset').locator('option', { hasText: 'many' })).toHaveCount(0);
  await expect(pg.button('Train')).toBeEnabled();
  // A fresh import works after a cancel, and reports how fast decoding went.
  const t0 = Date.now();
  const few: Record<string, Uint8Array> = {};
  for (let i = 0; i < 1000; i++) few[`thousand/${i % 2 ? 'a' : 'b'}/${i}.png`] = new Uint8Array(png[i % 2 ? 'a' : 'b']![i % 5]!);
  await importInput(page).setInputFiles({ name: 'thousand.zip', mimeType: 'application/zip', buffer: Buffer.from(zipSync(few, { level: 0 })) });
  await expect(result(page)).toContainText('Imported "thousand": 800 training and 200 test images', { timeout: 120_000 });
  console.log(`[import] 1,000 PNGs (20×14) to 64×64×1 in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
});

test('nested class folders with the top folder as label, and a zip dropped on the panel', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  const png = await encodeImages(page, { beagle: '#a52', pug: '#dc9', siamese: '#eee', tabby: '#963' }, 6, 'image/png');
  const files: Record<string, Uint8Array> = {};
  for (const [breed, list] of Object.entries(png)) {
    const species = breed === 'beagle' || breed === 'pug' ? 'dog' : 'cat';
    list.forEach((b, i) => (files[`animals/${species}/${breed}/${i}.png`] = new Uint8Array(b)));
  }
  const zip = [...zipSync(files)];
  await page.getByText('Import your own images').click();
  await pg.field('Label depth').selectOption({ label: 'Top folder' });
  // Drop the zip on the drop zone as a user would drag it from the desktop.
  await page.evaluate((bytes) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], 'animals.zip', { type: 'application/zip' }));
    const zone = document.querySelector('.drop-zone')!;
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, zip);
  await expect(result(page)).toContainText('Imported "animals": 20 training and 4 test images, 2 classes', { timeout: 60_000 });
  const counts = page.getByRole('table', { name: 'Images per class' });
  await expect(counts.getByRole('row', { name: 'cat 10 2' })).toBeVisible();
  await expect(counts.getByRole('row', { name: 'dog 10 2' })).toBeVisible();
});

test('a JSON index of http(s) URLs: images are fetched, a refused one is listed', async ({ playground: pg, page, context }) => {
  await pg.open('?backend=wasm');
  const png = await encodeImages(page, { sun: '#fd0', sea: '#06c' }, 4, 'image/png');
  await context.route('https://images.example.org/**', (route) => {
    const m = /\/(sun|sea)\/(\d)\.png$/.exec(route.request().url());
    if (!m) return route.fulfill({ status: 404, body: 'not here' });
    return route.fulfill({ status: 200, contentType: 'image/png', headers: { 'Access-Control-Allow-Origin': '*' }, body: Buffer.from(png[m[1]!]![Number(m[2])]!) });
  });
  const entries = ['sun', 'sea'].flatMap((c) => [0, 1, 2, 3].map((i) => ({ label: c, location: `https://images.example.org/${c}/${i}.png` })));
  entries.push({ label: 'sun', location: 'https://images.example.org/gone.png' });
  let requests = 0;
  page.on('request', (r) => void (r.url().startsWith('https://images.example.org/') && requests++));
  await importInput(page).setInputFiles({ name: 'web.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(entries)) });
  // Nothing is fetched before the learner has seen the servers and agreed.
  const ask = page.getByRole('group', { name: /The index lists 9 image addresses on the web/ });
  await expect(ask.getByRole('list', { name: 'Servers to contact' })).toHaveText('images.example.org — 9 images');
  await expect(ask.getByRole('button', { name: 'Download the images' })).toBeFocused();
  expect(requests).toBe(0);
  await ask.getByRole('button', { name: 'Download the images' }).click();
  await expect(result(page)).toContainText('Imported "web": 6 training and 2 test images, 2 classes', { timeout: 60_000 });
  await page.getByText(/^Skipped: 1 file/).click();
  await expect(page.getByRole('list', { name: 'Skipped files' })).toContainText('https://images.example.org/gone.png: the server answered 404');
});

test('a 24-megapixel photo is shrunk by the browser, then area-resized; colours land where they were', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  const big = await page.evaluate(async () => {
    const out: number[][] = [];
    for (const [left, right] of [['#f00', '#00f'], ['#0f0', '#000']]) {
      const c = new OffscreenCanvas(6000, 4000);
      const ctx = c.getContext('2d')!;
      ctx.fillStyle = left;
      ctx.fillRect(0, 0, 3000, 4000);
      ctx.fillStyle = right;
      ctx.fillRect(3000, 0, 3000, 4000);
      out.push([...new Uint8Array(await (await c.convertToBlob({ type: 'image/jpeg', quality: 0.8 })).arrayBuffer())]);
    }
    return out;
  });
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < 3; i++) {
    files[`photos/redblue/${i}.jpg`] = new Uint8Array(big[0]!);
    files[`photos/greenblack/${i}.jpg`] = new Uint8Array(big[1]!);
  }
  await page.getByText('Import your own images').click();
  await pg.field('Image size').selectOption({ label: '16×16' });
  await pg.field('Channels').selectOption({ label: 'RGB' });
  const t0 = Date.now();
  await importInput(page).setInputFiles({ name: 'photos.zip', mimeType: 'application/zip', buffer: Buffer.from(zipSync(files, { level: 0 })) });
  await expect(result(page)).toContainText('Imported "photos"', { timeout: 90_000 });
  console.log(`[import] six 6000×4000 JPEGs to 16×16×3 in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const id = await pg.state<string>('config.datasetId');
  const samples = await page.evaluate((id) => {
    const s = (window as unknown as { __playground: { store: { getState(): { datasets: Record<string, { classNames: string[]; samples: { label: number; pixels: Uint8Array }[] }> } } } }).__playground.store.getState();
    const d = s.datasets[id]!;
    return d.samples.map((x) => ({ name: d.classNames[x.label]!, px: [...x.pixels] }));
  }, id);
  const at = (px: number[], x: number) => px.slice((8 * 16 + x) * 3, (8 * 16 + x) * 3 + 3);
  const redblue = samples.find((s) => s.name === 'redblue')!.px;
  const greenblack = samples.find((s) => s.name === 'greenblack')!.px;
  const near = (a: number[], b: number[]) => a.every((v, k) => Math.abs(v - b[k]!) < 40);
  expect(near(at(redblue, 2), [255, 0, 0]), `left of redblue: ${at(redblue, 2)}`).toBe(true);
  expect(near(at(redblue, 13), [0, 0, 255]), `right of redblue: ${at(redblue, 13)}`).toBe(true);
  expect(near(at(greenblack, 2), [0, 255, 0]), `left of greenblack: ${at(greenblack, 2)}`).toBe(true);
  expect(near(at(greenblack, 13), [0, 0, 0])).toBe(true);
});

/** A 24-bit BMP of one colour (bottom-up rows padded to 4 bytes). */
function bmp(w: number, h: number, [r, g, b]: [number, number, number]): Buffer {
  const row = Math.ceil((w * 3) / 4) * 4;
  const buf = Buffer.alloc(54 + row * h);
  buf.write('BM', 0, 'latin1');
  buf.writeUInt32LE(buf.length, 2);
  buf.writeUInt32LE(54, 10);
  buf.writeUInt32LE(40, 14);
  buf.writeInt32LE(w, 18);
  buf.writeInt32LE(h, 22);
  buf.writeUInt16LE(1, 26);
  buf.writeUInt16LE(24, 28);
  buf.writeUInt32LE(row * h, 34);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) buf.set([b, g, r], 54 + y * row + x * 3);
  return buf;
}

test('WebP, GIF and BMP images decode too', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  const webp = await encodeImages(page, { w: '#c0c' }, 5, 'image/webp');
  const gif = Buffer.from('R0lGODlhAQABAIAAAP8AAAAAACwAAAAAAQABAAACAkQBADs=', 'base64'); // 1×1 red
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < 5; i++) {
    files[`formats/webp/${i}.webp`] = new Uint8Array(webp.w![i]!);
    files[`formats/gif/${i}.gif`] = new Uint8Array(gif);
    files[`formats/bmp/${i}.bmp`] = new Uint8Array(bmp(5 + i, 3, [0, 200, 100]));
  }
  await importInput(page).setInputFiles({ name: 'formats.zip', mimeType: 'application/zip', buffer: Buffer.from(zipSync(files)) });
  await expect(result(page)).toContainText('Imported "formats": 12 training and 3 test images, 3 classes', { timeout: 60_000 });
  await expect(result(page)).not.toContainText('skipped');
});

// A stored record damaged by hand or by another program once blanked the page on every load.
test('a damaged dataset record in IndexedDB: the app still loads, says which field, and deletes it', async ({ playground: pg, page }) => {
  await pg.open('?backend=wasm');
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.open('training-playground');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const tx = req.result.transaction('datasets', 'readwrite');
          tx.objectStore('datasets').put({
            id: 'import:evil',
            schema: 1,
            name: 'evil',
            createdAt: 1,
            shape: '28x28',
            classNames: ['a', 'b'],
            trainCount: 1,
            testCount: 1,
            classCounts: { train: [1, 0], test: [0, 1] },
            source: 'hand-made',
          });
          tx.oncomplete = () => (req.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  await page.reload();
  await expect(page.getByRole('figure', { name: 'Sample images' })).toBeVisible();
  const damaged = page.getByRole('region', { name: 'Damaged datasets' });
  await expect(damaged).toContainText('The stored dataset "evil" is damaged: the field "shape" is "28x28"');
  await damaged.getByRole('button', { name: 'Delete this record' }).click();
  await expect(damaged).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('figure', { name: 'Sample images' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Damaged datasets' })).toHaveCount(0);
  await pg.configure({ examples: 500 });
  await trainShort(pg);
});
