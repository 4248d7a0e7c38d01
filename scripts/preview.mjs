/**
 * Serves the production build (`dist/`, with COOP/COEP headers) with `vite preview` for the
 * benchmark drivers, and opens Debian's headless Chromium with the shared flags.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from './chromium-args.mjs';

/** Starts `vite preview` on `port`; resolves once it listens. Call `stop()` when done. */
export async function startPreview(port) {
  // Run vite's own script with this node (not through npx), so that kill() stops the server.
  const viteBin = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));
  const server = spawn(process.execPath, [viteBin, 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    server.stdout.on('data', (d) => String(d).includes(String(port)) && resolve());
    server.on('exit', (code) => reject(new Error(`vite preview exited with ${code}`)));
  });
  return { base: `http://127.0.0.1:${port}`, stop: () => server.kill() };
}

/** Headless Chromium (CHROMIUM_PATH or /usr/bin/chromium) with the flags every test uses. */
export function launchChromium() {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}
