/**
 * Benchmark page: times the playground's real training path (TrainingClient -> training
 * worker -> core loop) against a bare `model.fit` in the same page, same backend, same data.
 * Query: ?backend=wasm&batch=32&examples=4096&epochs=4&model=mlp. Result in `window.__bench`.
 * With `unpatched=1` it also times bare tfjs without the playground's kernel fixes
 * (unpatched.worker.ts) and adds the native peer's figure where one is known (peers.ts).
 */
import { defaultConfig } from '../core/training/defaults';
import type { ExperimentConfig, BackendChoice } from '../core/training/config';
import type { BareFitReply } from './protocol';
import { presetSpec } from '../core/model/presets';
import { peerFor } from './peers';
import { runAugmentBench } from './augmentBench';
import { defaultCheckpointSettings } from '../core/checkpoint/settings';
import { rate, timePlaygroundRun } from './timeRun';
import { DEFAULT_INSPECT_EVERY } from '../core/inspect/probe';

const q = new URLSearchParams(location.search);
const config: ExperimentConfig = {
  ...defaultConfig(),
  backend: (q.get('backend') ?? 'wasm') as BackendChoice,
  batchSize: Number(q.get('batch') ?? 32),
  trainingExamples: Number(q.get('examples') ?? 4096),
  epochs: Number(q.get('epochs') ?? 4),
  validationSplit: 0,
  model: presetSpec(q.get('model') ?? 'mlp', 10),
  // The loop against model.fit, which saves nothing; `checkpoints=1` adds the app's default
  // of a checkpoint every epoch (its cost shows in the next epoch's time).
  checkpoints: { ...defaultCheckpointSettings(), enabled: q.get('checkpoints') === '1' },
};
const modelId = q.get('model') ?? 'mlp';

const playground = () => timePlaygroundRun(config);

function bareFit(unpatched = false): Promise<{ samplesPerSec: number; backend: string }> {
  return new Promise((resolve, reject) => {
    const worker = unpatched
      ? new Worker(new URL('./unpatched.worker.ts', import.meta.url), { type: 'module' })
      : new Worker(new URL('./bareFit.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<BareFitReply>) => {
      worker.terminate();
      if (e.data.type === 'error') reject(new Error(e.data.message));
      else resolve({ samplesPerSec: rate(e.data.samples, e.data.epochMs), backend: e.data.backend });
    };
    worker.onerror = (e) => reject(new Error(e.message));
    worker.postMessage({ config });
  });
}

/** The unpatched tfjs baseline and the native peer, as ratios of the playground's speed. */
async function unpatchedFields(playground: number) {
  const round = (x: number) => Number(x.toFixed(3));
  const peer = peerFor(modelId, config.batchSize);
  const peerField = peer ? { peer: { ...peer, ratio: round(playground / peer.samplesPerSec) } } : {};
  try {
    const u = await bareFit(true);
    return {
      unpatchedSamplesPerSec: Math.round(u.samplesPerSec),
      speedupVsUnpatched: round(playground / u.samplesPerSec),
      ...peerField,
    };
  } catch (err) {
    return { unpatchedSamplesPerSec: null, unpatchedError: (err as Error).message, ...peerField };
  }
}

/**
 * What the Layers chart's sampling costs (issue 12: a sampled step every `inspectEvery`
 * batches): the playground again with sampling off, then with it on, in the order that
 * alternates with the main pair, so both sides see the same machine. `slowdown` is the share
 * of throughput the default sampling takes (0.05 = 5% fewer samples/s).
 */
async function samplingCost(firstOn: number, offFirst: boolean) {
  const off = () => timePlaygroundRun({ ...config, inspectEvery: 0 });
  const on = () => timePlaygroundRun(config);
  const a = offFirst ? await off() : await on();
  const b = offFirst ? await on() : await off();
  const [withOff, withOn] = offFirst ? [a, b] : [b, a];
  // Two runs with sampling (the main pair's and this one): their mean against the run without.
  const onRate = (firstOn + withOn.samplesPerSec) / 2;
  return {
    inspectEvery: config.inspectEvery ?? DEFAULT_INSPECT_EVERY,
    samplesPerSecSampling: Math.round(onRate),
    samplesPerSecNoSampling: Math.round(withOff.samplesPerSec),
    slowdown: Number((1 - onRate / withOff.samplesPerSec).toFixed(3)),
  };
}

async function main() {
  const out = document.getElementById('out')!;
  try {
    // Alternate the order so neither side always runs on a warmer machine.
    const first = q.get('order') === 'bare-first' ? await bareFit() : await playground();
    const second = q.get('order') === 'bare-first' ? await playground() : await bareFit();
    const [pg, bare] = q.get('order') === 'bare-first' ? [second, first] : [first, second];
    const result = {
      backend: pg.backend,
      requestedBackend: config.backend,
      model: modelId,
      batchSize: config.batchSize,
      playgroundSamplesPerSec: Math.round(pg.samplesPerSec),
      bareFitSamplesPerSec: Math.round(bare.samplesPerSec),
      ratio: Number((pg.samplesPerSec / bare.samplesPerSec).toFixed(3)),
      ...(q.get('unpatched') === '1' ? await unpatchedFields(pg.samplesPerSec) : {}),
      ...(q.get('inspectCost') === '1' ? { layerSampling: await samplingCost(pg.samplesPerSec, q.get('order') === 'bare-first') } : {}),
      // jax-js trains the MLP only (its CNN would need a convolution gradient written here).
      ...(q.get('peerBrowser') === '1' && modelId === 'mlp' ? { peerBrowser: await (await import('./peerBrowser')).browserPeer(config, pg.samplesPerSec) } : {}),
    };
    out.textContent = JSON.stringify(result, null, 2);
    (window as unknown as { __bench: unknown }).__bench = result;
  } catch (err) {
    out.textContent = `error: ${(err as Error).message}`;
    (window as unknown as { __bench: unknown }).__bench = { error: (err as Error).message };
  }
}
if (q.get('mode') === 'augment') {
  void runAugmentBench(q);
} else if (q.get('mode') === 'threads') {
  void import('./threads').then(async ({ threadsBench }) => {
    const result = await threadsBench((q.get('threads') ?? '1,2').split(',').map(Number));
    document.getElementById('out')!.textContent = JSON.stringify(result, null, 2);
    (window as unknown as { __bench: unknown }).__bench = result;
  });
} else if (q.get('mode') === 'profile') {
  void import('./profile').then(async ({ profileBench }) => {
    const result = await profileBench(q);
    document.getElementById('out')!.textContent = JSON.stringify(result, null, 2);
    (window as unknown as { __bench: unknown }).__bench = result;
  });
} else {
  void main();
}
