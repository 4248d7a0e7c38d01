/**
 * The Layers chart's data: per-layer gradient and activation statistics of the sampled steps
 * (core/inspect) and the first layer's pictures. Reset when a run starts.
 */
import type { ClientEvent } from '../client/trainingClient';
import type { LayerStatsSample } from '../core/inspect/stats';
import type { FirstLayerPictures } from '../core/inspect/firstLayer';
import type { AppState, SliceCreator } from './store';

export type LayersView = 'heatmap' | 'lines';

/** Samples kept; beyond it every other one is dropped, so a long run keeps its whole span. */
export const MAX_LAYER_SAMPLES = 800;

export interface LayersSlice {
  /** Names of the rows (weight layers, then BatchNormalization layers too), input to output. */
  layerNames: string[];
  /** Each row's layer class, as `layerNames` ("Dense", "Conv2D", "BatchNormalization"). */
  layerKinds: string[];
  /**
   * The sampled steps, in order. Appended *in place* (like batchPoints): subscribe to
   * `layerVersion`, which changes with every change, and read the samples from here.
   */
  layerSamples: LayerStatsSample[];
  layerVersion: number;
  /** The first layer's weights as pictures (latest epoch), or null. */
  firstLayer: FirstLayerPictures | null;
  layersView: LayersView;
  setLayersView(view: LayersView): void;
}

export const createLayersSlice: SliceCreator<LayersSlice> = (set) => ({
  layerNames: [],
  layerKinds: [],
  layerSamples: [],
  layerVersion: 0,
  firstLayer: null,
  layersView: 'heatmap',
  setLayersView: (layersView) => set({ layersView }),
});

/** Every other sample of `samples`, in place, the latest always kept. */
function thin(samples: LayerStatsSample[]): void {
  const last = samples.length - 1;
  let j = 0;
  for (let i = 0; i <= last; i++) if (i % 2 === last % 2) samples[j++] = samples[i]!;
  samples.length = j;
}

/** The part of the run reducer (state/runSlice) that is this slice's. */
export function reduceLayers(s: AppState, e: ClientEvent, patch: Partial<AppState>): void {
  switch (e.type) {
    case 'runStarted':
      patch.layerNames = [];
      patch.layerKinds = [];
      patch.layerSamples = [];
      patch.layerVersion = s.layerVersion + 1;
      patch.firstLayer = null;
      return;
    case 'layerStats': {
      const samples = 'layerSamples' in patch ? patch.layerSamples! : s.layerSamples;
      for (const x of e.samples) samples.push(x);
      if (samples.length > MAX_LAYER_SAMPLES) thin(samples);
      // Against the patch first: a run's start in the same flush has just cleared them.
      const names = 'layerNames' in patch ? patch.layerNames! : s.layerNames;
      const kinds = 'layerKinds' in patch ? patch.layerKinds! : s.layerKinds;
      if (names.join() !== e.layers.join()) patch.layerNames = e.layers;
      if (kinds.join() !== e.kinds.join()) patch.layerKinds = e.kinds;
      patch.layerVersion = ('layerVersion' in patch ? patch.layerVersion! : s.layerVersion) + 1;
      return;
    }
    case 'firstLayer':
      patch.firstLayer = e.pictures;
      return;
    default:
      return;
  }
}
