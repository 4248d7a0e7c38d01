import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

// Cross-origin isolation (SharedArrayBuffer, wasm threads) needs both headers on every
// response, in dev and in `vite preview`.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The Content-Security-Policy of the built app: everything from its own origin, wasm compiled
 * ('wasm-unsafe-eval', not 'unsafe-eval'), workers from its files and from blob: URLs, and
 * scripts from blob: URLs too (tfjs's wasm threads start each thread as a blob: worker that
 * importScripts() its code from another blob: URL), images from data:/blob: (canvases, previews). connect-src
 * allows https: only because an imported CSV or JSON index may list image URLs; nothing else
 * leaves the origin. Not in the dev server, whose hot reload injects inline scripts.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self' https: blob: data:",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

/** The policy as a meta tag in every built page, so any static host enforces it. */
function cspMeta(): Plugin {
  return {
    name: 'csp-meta',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' }],
  };
}

/**
 * Offline and installable (issue 13, item 4): a web app manifest and a service worker made by
 * vite-plugin-pwa (Workbox). It precaches the app itself (pages, scripts, styles, the wasm
 * binaries, icons) so that after one visit it starts with the network off. The datasets are
 * not precached (MNIST and Fashion-MNIST are 41 MB): the training worker already keeps every
 * dataset it loaded in Cache Storage, inflated (src/worker/inflatedCache.ts), and the service
 * worker keeps each downloaded dataset file too, so any dataset opened once works offline.
 * The benchmark pages are left out. 'prompt': a new version waits until the learner presses
 * Reload in the banner (components/app/UpdatePrompt.tsx), which is disabled during a run.
 */
function offline() {
  return VitePWA({
    registerType: 'prompt',
    injectRegister: false,
    includeAssets: ['favicon.svg'],
    manifest: {
      name: 'Training Playground',
      short_name: 'Playground',
      description: 'Build a neural network layer by layer and train it in your browser, watching loss and accuracy live.',
      start_url: '.',
      scope: '.',
      display: 'standalone',
      background_color: '#ffffff',
      theme_color: '#1e3a8a',
      icons: [
        { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
        { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
        { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml' },
      ],
    },
    workbox: {
      globPatterns: ['**/*.{html,js,css,wasm,svg,png,webmanifest}'],
      globIgnores: ['bench.html', '**/bench-*', '**/bareFit.worker-*', '**/unpatched.worker-*', '**/profile.worker-*'],
      maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
      navigateFallback: 'index.html',
      navigateFallbackDenylist: [/bench\.html/],
      cleanupOutdatedCaches: true,
      runtimeCaching: [
        {
          urlPattern: ({ url }) => /\/(datasets|samples)\//.test(url.pathname),
          handler: 'CacheFirst',
          options: { cacheName: 'playground-dataset-files', cacheableResponse: { statuses: [200] } },
        },
      ],
    },
  });
}

export default defineConfig({
  // Relative: the same dist/ works at a site's root and under any sub-path (workers find the
  // app's files through src/worker/appUrl.ts).
  base: './',
  plugins: [react(), cspMeta(), offline()],
  server: { headers: isolation },
  // The preview serves the build as a host should: isolation plus the policy (frame-ancestors
  // only works as a header).
  preview: { headers: { ...isolation, 'Content-Security-Policy': `${CSP}; frame-ancestors 'self'` } },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    rollupOptions: { input: { main: 'index.html', bench: 'bench.html' } },
  },
  // Pre-bundle tfjs and the worker entry up front, or the dev server may discover them
  // mid-run, re-optimize and reload the page in the middle of training.
  optimizeDeps: {
    entries: ['index.html', 'bench.html', 'src/worker/training.worker.ts', 'src/worker/import.worker.ts'],
    include: [
      '@tensorflow/tfjs',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-backend-webgpu',
    ],
  },
});
