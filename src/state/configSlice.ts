import type { ExperimentConfig } from '../core/training/config';
import type { LayerSpec, LayerType } from '../core/model/types';
import { addAfterEach, removeAllOfType as removeAll } from '../core/model/edit';
import { defaultLayer } from '../core/model/layers';
import { presetSpec } from '../core/model/presets';
import { defaultConfig } from '../core/training/defaults';
import type { SliceCreator } from './store';

/** The experiment being set up: dataset, model stack and training settings. */
export interface ConfigSlice {
  config: ExperimentConfig;
  /** The preset the stack came from, or 'custom' once edited. */
  presetId: string;
  setConfig(patch: Partial<ExperimentConfig>): void;
  applyPreset(id: string): void;
  addLayer(type: LayerType, at?: number): void;
  removeLayer(index: number): void;
  moveLayer(index: number, delta: -1 | 1): void;
  updateLayer(index: number, patch: Partial<LayerSpec>): void;
  /** Applies `patch` to layers `start`, `start + period`, … (`count` of them): a folded row. */
  updateLayers(start: number, count: number, period: number, patch: Partial<LayerSpec>): void;
  /** A `kind` layer after every Dense and Conv2D layer but the output; returns how many. */
  addAfterEachWeightLayer(kind: LayerType): number;
  /** Removes every layer of `type`; returns how many. */
  removeAllOfType(type: LayerType): number;
}

export const createConfigSlice: SliceCreator<ConfigSlice> = (set, get) => {
  const setLayers = (layers: LayerSpec[]) =>
    set((s) => ({ config: { ...s.config, model: { layers } }, presetId: 'custom' }));
  const numClasses = () => get().datasets[get().config.datasetId]?.classNames.length ?? 10;
  return {
    config: defaultConfig(),
    presetId: 'mlp',
    setConfig: (patch) => set((s) => ({ config: { ...s.config, ...patch } })),
    applyPreset: (id) =>
      set((s) => ({ config: { ...s.config, model: presetSpec(id, numClasses()) }, presetId: id })),
    addLayer: (type, at) => {
      const layers = [...get().config.model.layers];
      // New layers go just before the output layer by default: that is where hidden layers belong.
      const index = at ?? Math.max(0, layers.length - 1);
      layers.splice(index, 0, defaultLayer(type));
      setLayers(layers);
    },
    removeLayer: (index) => setLayers(get().config.model.layers.filter((_, i) => i !== index)),
    moveLayer: (index, delta) => {
      const layers = [...get().config.model.layers];
      const to = index + delta;
      if (to < 0 || to >= layers.length) return;
      [layers[index], layers[to]] = [layers[to]!, layers[index]!];
      setLayers(layers);
    },
    updateLayer: (index, patch) =>
      setLayers(get().config.model.layers.map((l, i) => (i === index ? ({ ...l, ...patch } as LayerSpec) : l))),
    updateLayers: (start, count, period, patch) =>
      setLayers(
        get().config.model.layers.map((l, i) =>
          i >= start && i < start + count * period && (i - start) % period === 0 ? ({ ...l, ...patch } as LayerSpec) : l,
        ),
      ),
    addAfterEachWeightLayer: (kind) => {
      const { layers, added } = addAfterEach(get().config.model.layers, kind);
      if (added > 0) setLayers(layers);
      return added;
    },
    removeAllOfType: (type) => {
      const { layers, removed } = removeAll(get().config.model.layers, type);
      if (removed > 0) setLayers(layers);
      return removed;
    },
  };
};
