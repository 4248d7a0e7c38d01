/**
 * `bench.html?mode=profile&model=mlp&batch=32&optimizer=adam&threads=1&steps=20`: where a wasm
 * training step's time goes, kernel by kernel (profile.worker.ts). Several comma-separated
 * batch sizes or optimizers give one profile each.
 */
import type { ProfileReply, ProfileRequest } from './profile.worker';

function profileOne(request: ProfileRequest): Promise<ProfileReply> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./profile.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<ProfileReply>) => {
      worker.terminate();
      resolve(e.data);
    };
    worker.onerror = (e) => resolve({ type: 'error', message: e.message || 'worker failed to load' });
    worker.postMessage(request);
  });
}

export async function profileBench(q: URLSearchParams) {
  const results = [];
  const model = q.get('model') ?? 'mlp';
  const threads = Number(q.get('threads') ?? 1);
  const steps = Number(q.get('steps') ?? 20);
  for (const optimizer of (q.get('optimizer') ?? 'adam').split(',')) {
    for (const batchSize of (q.get('batch') ?? '32').split(',').map(Number)) {
      const r = await profileOne({ threads, model, batchSize, optimizer, steps });
      // engineMs: the step's time outside kernels (tfjs bookkeeping, tape, dispatch): issue 15's per-step overhead.
      results.push({
        model,
        batchSize,
        optimizer,
        ...r,
        samplesPerSec: r.type === 'done' ? Math.round((batchSize * 1000) / r.stepMs) : null,
        ...(r.type === 'done' && { engineMs: Number((r.stepMs - r.kernelMs).toFixed(3)), kernelCallsPerStep: r.kernels.filter((k) => !k.name.startsWith(' ')).reduce((s, k) => s + k.callsPerStep, 0) }),
      });
    }
  }
  return { mode: 'profile', results };
}
