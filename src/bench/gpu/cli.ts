/**
 * `npm run bench:gpu`'s program, bundled into one file (dist-gpu/bench-gpu.mjs, see
 * scripts/bench-gpu.mjs) so it runs on any machine with Node and the `webgpu` package, with
 * nothing else of this repository: the app's training loop on tfjs' webgpu backend, the
 * chapter MLP (batch 32, 128, 512) and the Small CNN (batch 64, 256), printing one JSON
 * object last. With `--torch`, the same cases in PyTorch (scripts/bench-gpu-torch.py, CUDA
 * when the machine has it) run after ours, and the JSON gives our samples/s as a ratio of its.
 *
 *   node bench-gpu.mjs [--data DIR] [--steps 60] [--cases mlp@32,small-cnn@64] [--software]
 *                      [--torch [--python python3] [--torch-script PATH]]
 *
 * --data: the folder holding datasets/mnist/*.gz (the repository's public/), default ./public.
 */
import { readFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadBuiltinDataset } from '../../core/data/builtin';
import { GPU_CASES, timeGpuCase, type GpuCase } from './gpuBench';
import { installNodeWebGpu } from './nodeWebGpu';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

async function main() {
  const dataDir = resolve(arg('data') ?? 'public');
  const steps = Number(arg('steps') ?? 60);
  const cases: GpuCase[] = arg('cases')
    ? arg('cases')!.split(',').map((c) => {
        const [model, batch] = c.split('@');
        if ((model !== 'mlp' && model !== 'small-cnn') || !Number(batch)) throw new Error(`--cases: "${c}" is not mlp@N or small-cnn@N`);
        return { model, batchSize: Number(batch) };
      })
    : [...GPU_CASES];
  const gpu = await installNodeWebGpu({ software: flag('software') });
  if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs could not start its webgpu backend on this adapter');
  console.error(`WebGPU adapter: ${gpu.adapter}`);
  const t0 = performance.now();
  const mnist = await loadBuiltinDataset('mnist', async (path) => new Uint8Array(await readFile(resolve(dataDir, path))));
  const loadMs = Math.round(performance.now() - t0);
  const results = [];
  for (const c of cases) {
    const r = await timeGpuCase(c, mnist, { steps, warmupSteps: Math.min(10, Math.floor(steps / 4)) });
    const first = r.losses.slice(0, 5);
    const last = r.losses.slice(-5);
    console.error(`${c.model} b${c.batchSize}: ${r.samplesPerSec} samples/s, first batch ${r.firstBatchMs} ms, loss ${first[0]?.toFixed(3)} → ${last.at(-1)?.toFixed(3)}`);
    const { losses, ...rest } = r;
    results.push({ ...rest, firstLoss: losses[0] ?? null, lastLoss: losses.at(-1) ?? null, lossesFinite: losses.every(Number.isFinite) });
  }
  let torch: unknown = null;
  if (flag('torch')) torch = runTorch(cases, steps, dataDir);
  const peerRatios =
    torch && typeof torch === 'object' && Array.isArray((torch as { results?: unknown }).results)
      ? results.map((r) => {
          const p = (torch as { results: { model: string; batchSize: number; samplesPerSec: number }[] }).results.find(
            (t) => t.model === r.model && t.batchSize === r.batchSize,
          );
          return { model: r.model, batchSize: r.batchSize, ratioToTorch: p ? Number((r.samplesPerSec / p.samplesPerSec).toFixed(3)) : null };
        })
      : null;
  console.log(JSON.stringify({ adapter: gpu.adapter, software: gpu.software, node: process.version, datasetLoadMs: loadMs, steps, results, torch, peerRatios }));
}

/** The PyTorch peer (same models, Adam, same batch sizes); its JSON, or why it did not run. */
function runTorch(cases: GpuCase[], steps: number, dataDir: string): unknown {
  const script = arg('torch-script') ?? resolve('scripts/bench-gpu-torch.py');
  const python = arg('python') ?? 'python3';
  const r = spawnSync(python, [script, '--data', dataDir, '--steps', String(steps), '--cases', cases.map((c) => `${c.model}@${c.batchSize}`).join(',')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) return { error: `${python} ${script} exited with ${r.status ?? r.error?.message}` };
  try {
    return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  } catch {
    return { error: 'the PyTorch script printed no JSON' };
  }
}

// Dawn's pending GPU work (a buffer being mapped for a read-back) holds no Node handle: with
// nothing else scheduled, Node would exit mid-run with status 0 and no output.
const keepAlive = setInterval(() => {}, 1000);
main().finally(() => clearInterval(keepAlive)).then(
  () => process.exit(0),
  (err) => {
    console.error(`bench:gpu: ${(err as Error).message}`);
    process.exit(1);
  },
);
