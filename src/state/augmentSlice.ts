import type { ClientEvent } from '../client/trainingClient';
import type { ImageShape } from '../core/data/types';
import type { PreviewItem } from '../core/augment/experiment';
import type { InvariancePoint } from '../core/augment/sweeps';
import { DEFAULT_AUGMENTATION, isAugmenting, type AugmentationConfig } from '../core/augment/settings';
import { SYNTHETIC_DATASETS } from '../core/data/shapes';
import type { ExperimentConfig } from '../core/training/config';
import type { AppState, SliceCreator } from './store';

/** One run's invariance curves, labelled with the dataset and augmentation it trained with. */
export interface InvarianceSeries {
  label: string;
  points: InvariancePoint[];
}

/** Augmentation settings, the preview grid, and the invariance sweeps of the last runs. */
export interface AugmentSlice {
  preview: { shape: ImageShape; items: PreviewItem[] } | null;
  previewLoading: boolean;
  previewError: string | null;
  /** Incremented by the "Preview augmentation" button: each round draws fresh versions. */
  previewRound: number;
  /** Label of the model the worker holds (set when its run starts). */
  modelLabel: string | null;
  invarianceStatus: 'idle' | 'running' | 'done' | 'error';
  invarianceMessage: string | null;
  invariance: InvarianceSeries | null;
  /** Earlier sweeps kept for comparison, newest first (at most 3). */
  invarianceHistory: InvarianceSeries[];
  setAugmentation(patch: Partial<AugmentationConfig>): void;
  /** Fetches the preview; `fresh` draws new random versions. */
  previewAugmentation(fresh?: boolean): Promise<void>;
  runInvariance(): void;
}

/** "no augmentation" or "50% augmented: flip ↔, rotation ±30°, …" for chart legends. */
export function describeAugmentation(a: AugmentationConfig | undefined): string {
  if (!isAugmenting(a)) return 'no augmentation';
  const parts: string[] = [];
  if (a.flipH) parts.push('flip ↔');
  if (a.flipV) parts.push('flip ↕');
  if (a.rot90) parts.push('quarter turns');
  if (a.rotateDeg > 0) parts.push(`rotation ±${a.rotateDeg}°`);
  if (a.shiftW > 0 || a.shiftH > 0) parts.push(`shift ${a.shiftW}/${a.shiftH} ${a.shiftMode}`);
  if (a.zoom > 0) parts.push(`zoom ±${a.zoom}`);
  if (a.brightness > 0) parts.push(`brightness ±${a.brightness}`);
  return `${Math.round(a.fraction * 100)}% augmented: ${parts.join(', ')}`;
}

function runLabel(c: ExperimentConfig): string {
  const name = SYNTHETIC_DATASETS[c.datasetId]?.name.replace(/^Shapes \((.*)\)$/, 'Shapes $1') ?? c.datasetId;
  return `${name}, ${describeAugmentation(c.augmentation)}`;
}

/** Applies the worker events this slice owns; called from the run slice's reducer. */
export function reduceAugment(s: AppState, e: ClientEvent, patch: Partial<AppState>): void {
  switch (e.type) {
    case 'runStarted':
      patch.modelLabel = runLabel(s.config);
      return;
    case 'invariancePoint': {
      const cur = 'invariance' in patch ? patch.invariance! : s.invariance;
      patch.invariance = cur ? { ...cur, points: [...cur.points, e.point] } : { label: s.modelLabel ?? '', points: [e.point] };
      return;
    }
    case 'invarianceEnded':
      patch.invarianceStatus = e.error ? 'error' : 'done';
      patch.invarianceMessage = e.error ?? null;
      return;
    case 'workerCrashed':
    case 'workerRestarted':
      if (s.invarianceStatus === 'running') patch.invarianceStatus = 'error';
      return;
    default:
      return;
  }
}

export const createAugmentSlice: SliceCreator<AugmentSlice> = (set, get, client) => ({
  preview: null,
  previewLoading: false,
  previewError: null,
  previewRound: 0,
  modelLabel: null,
  invarianceStatus: 'idle',
  invarianceMessage: null,
  invariance: null,
  invarianceHistory: [],
  setAugmentation: (patch) =>
    set((s) => ({ config: { ...s.config, augmentation: { ...DEFAULT_AUGMENTATION, ...s.config.augmentation, ...patch } } })),
  async previewAugmentation(fresh = false) {
    const round = fresh ? get().previewRound + 1 : get().previewRound;
    const { config } = get();
    const augmentation = { ...DEFAULT_AUGMENTATION, ...config.augmentation };
    set({ previewLoading: true, previewError: null, previewRound: round });
    try {
      const reply = await client.previewAugmentation(config.datasetId, augmentation, config.seed, round);
      // A later request may have answered first; show only the newest settings' preview.
      const now = get();
      if (now.previewRound === round && now.config.augmentation === config.augmentation && now.config.datasetId === config.datasetId) {
        set({ preview: { shape: reply.shape, items: reply.items } });
      }
    } catch (err) {
      set({ previewError: `Could not make the preview: ${(err as Error).message}` });
    } finally {
      set({ previewLoading: false });
    }
  },
  runInvariance() {
    const { invariance, invarianceHistory, modelLabel } = get();
    const history = invariance && invariance.points.length > 0 ? [invariance, ...invarianceHistory].slice(0, 3) : invarianceHistory;
    set({
      invarianceStatus: 'running',
      invarianceMessage: null,
      invariance: { label: modelLabel ?? 'this model', points: [] },
      invarianceHistory: history,
    });
    client.invariance();
  },
});
