import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

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

export default defineConfig({
  plugins: [react(), cspMeta()],
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
