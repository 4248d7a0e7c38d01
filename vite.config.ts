import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation (SharedArrayBuffer, wasm threads) needs both headers on every
// response, in dev and in `vite preview`.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  server: { headers: isolation },
  preview: { headers: isolation },
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
