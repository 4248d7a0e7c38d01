#!/usr/bin/env node
/**
 * `npm run bench:gpu`: bundles src/bench/gpu/cli.ts (the app's training loop on tfjs' webgpu
 * backend) into one file, dist-gpu/bench-gpu.mjs, with everything but the `webgpu` package
 * (Dawn, a native addon) inside, then runs it under this Node: the chapter MLP (batch 32, 128,
 * 512) and the Small CNN (64, 256), samples/s and time to first batch, as JSON on the last line.
 *
 * To run it on another machine (a GPU server), copy dist-gpu/bench-gpu.mjs, node_modules/webgpu
 * (beside it, as node_modules/webgpu) and public/datasets/mnist, then
 *   node bench-gpu.mjs --data . [--torch --torch-script bench-gpu-torch.py]
 * Arguments after `--` are passed on (see cli.ts): npm run bench:gpu -- --steps 20 --torch
 * BENCH_GPU_BUILD_ONLY=1 only writes the bundle.
 */
import { build } from 'vite';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({
  root,
  configFile: false,
  publicDir: false,
  logLevel: 'warn',
  build: {
    ssr: 'src/bench/gpu/cli.ts',
    outDir: 'dist-gpu',
    emptyOutDir: true,
    target: 'node18',
    rollupOptions: { external: ['webgpu'], output: { entryFileNames: 'bench-gpu.mjs', codeSplitting: false } },
  },
  ssr: { noExternal: true, external: ['webgpu'], target: 'node' },
});
if (process.env.BENCH_GPU_BUILD_ONLY === '1') process.exit(0);
const r = spawnSync(process.execPath, ['dist-gpu/bench-gpu.mjs', '--data', 'public', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
