#!/usr/bin/env node
/**
 * Draws the app's install icons (public/icon-192.png, public/icon-512.png, and a maskable
 * 512 with the safe-zone margin) from public/favicon.svg in headless Chromium. Run it after
 * changing the SVG; the PNGs are committed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { launchChromium } from './preview.mjs';

const svg = await readFile(new URL('../public/favicon.svg', import.meta.url), 'utf8');
const browser = await launchChromium();
try {
  for (const [name, size, pad] of [['icon-192.png', 192, 0], ['icon-512.png', 512, 0], ['icon-maskable-512.png', 512, 0.1]]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const inner = Math.round(size * (1 - 2 * pad));
    await page.setContent(
      `<body style="margin:0;background:#1e3a8a;display:grid;place-items:center;width:${size}px;height:${size}px">` +
        `<div style="width:${inner}px;height:${inner}px">${svg.replace('<svg ', `<svg width="${inner}" height="${inner}" `)}</div></body>`,
    );
    await writeFile(new URL(`../public/${name}`, import.meta.url), await page.screenshot({ type: 'png', omitBackground: pad === 0 }));
    await page.close();
  }
} finally {
  await browser.close();
}
