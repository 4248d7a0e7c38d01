import { defineConfig } from '@playwright/test';
// @ts-expect-error plain .mjs shared with scripts/bench.mjs
import { CHROMIUM_ARGS } from './scripts/chromium-args.mjs';

/**
 * End-to-end tests against the production build (`vite preview`), in Debian's Chromium:
 * Playwright cannot download its own browser here. CHROMIUM_PATH overrides the binary.
 */

const PORT = Number(process.env.E2E_PORT ?? 4173);
/** The build to serve (E2E_DIST lets a second checkout's build be tested beside the first). */
const DIST = process.env.E2E_DIST ?? 'dist';

export default defineConfig({
  testDir: 'e2e',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  // Two browsers at a time for the functional tests (most of a test is a training run in a
  // worker, and this machine has two cores); the tests that time the main thread (tagged
  // @main-thread, see e2e/fixtures.ts) run alone afterwards, since a second browser beside
  // them is the noise they must not see. `npm run test:e2e` runs the two projects one after
  // the other (scripts/e2e.sh); a bare `playwright test` would mix them.
  fullyParallel: true,
  workers: Number(process.env.E2E_WORKERS ?? 2),
  retries: 0,
  projects: [
    // Each its own output folder: the second run of scripts/e2e.sh would clear the first's.
    { name: 'functional', grepInvert: /@main-thread/, outputDir: 'test-results/functional' },
    { name: 'main-thread', grep: /@main-thread/, workers: 1, outputDir: 'test-results/main-thread' },
  ],
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1400, height: 1000 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    },
    // The app's service worker (offline support) would answer requests before page.route()
    // sees them and keep old builds between tests; only e2e/offline.spec.ts lets it run.
    serviceWorkers: 'block',
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `npx vite preview --outDir ${DIST} --port ${PORT} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
