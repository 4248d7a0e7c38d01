/**
 * Benchmark entry for augmentation (bench.html?mode=augment): the playground's real training
 * path with every augmentation on against the same run with none, same page, same backend,
 * alternating which goes first. Result in `window.__bench`.
 */
import { timePlaygroundRun } from './timeRun';
import { defaultCheckpointSettings } from '../core/checkpoint/settings';
import { defaultConfig } from '../core/training/defaults';
import type { BackendChoice, ExperimentConfig } from '../core/training/config';
import type { AugmentationConfig } from '../core/augment/augment';

/** Every augmentation switched on, the chapter's 50% of each batch. */
export const ALL_AUGMENTATIONS: AugmentationConfig = {
  fraction: 0.5,
  flipH: true,
  flipV: true,
  rot90: true,
  rotateDeg: 30,
  shiftW: 0.1,
  shiftH: 0.1,
  shiftMode: 'pad',
  zoom: 0.2,
  brightness: 0.2,
};

const timeRun = timePlaygroundRun;

export async function runAugmentBench(q: URLSearchParams): Promise<void> {
  const out = document.getElementById('out')!;
  const base: ExperimentConfig = {
    ...defaultConfig(),
    backend: (q.get('backend') ?? 'wasm') as BackendChoice,
    batchSize: Number(q.get('batch') ?? 32),
    trainingExamples: Number(q.get('examples') ?? 4096),
    epochs: Number(q.get('epochs') ?? 4),
    validationSplit: 0,
    // Saving a checkpoint every epoch (the app's default) would add its own noise to both runs.
    checkpoints: { ...defaultCheckpointSettings(), enabled: false },
  };
  try {
    const off = { ...base, augmentation: { ...ALL_AUGMENTATIONS, fraction: 0 } };
    const on = { ...base, augmentation: ALL_AUGMENTATIONS };
    const augFirst = q.get('order') === 'augment-first';
    const first = await timeRun(augFirst ? on : off);
    const second = await timeRun(augFirst ? off : on);
    const [withAug, without] = augFirst ? [first, second] : [second, first];
    const result = {
      backend: without.backend,
      requestedBackend: base.backend,
      model: 'mlp',
      batchSize: base.batchSize,
      augmentations: ALL_AUGMENTATIONS,
      noAugmentSamplesPerSec: Math.round(without.samplesPerSec),
      augmentSamplesPerSec: Math.round(withAug.samplesPerSec),
      ratio: Number((withAug.samplesPerSec / without.samplesPerSec).toFixed(3)),
    };
    out.textContent = JSON.stringify(result, null, 2);
    (window as unknown as { __bench: unknown }).__bench = result;
  } catch (err) {
    out.textContent = `error: ${(err as Error).message}`;
    (window as unknown as { __bench: unknown }).__bench = { error: (err as Error).message };
  }
}
