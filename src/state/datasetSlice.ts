import type { DatasetInfo } from '../protocol/messages';
import type { SliceCreator } from './store';
import { presetSpec } from '../core/model/presets';

/** What the worker told us about each dataset (sizes, class names, sample images). */
export interface DatasetSlice {
  datasets: Record<string, DatasetInfo>;
  datasetLoading: string | null;
  datasetError: string | null;
  selectDataset(id: string): Promise<void>;
}

export const createDatasetSlice: SliceCreator<DatasetSlice> = (set, get, client) => ({
  datasets: {},
  datasetLoading: null,
  datasetError: null,
  async selectDataset(id) {
    const previous = get().config;
    // An unedited preset follows the dataset's class count (Shapes has 5 classes, MNIST 10).
    const fitPreset = () =>
      set((s) => {
        const n = s.datasets[id]?.classNames.length;
        return n && s.presetId !== 'custom' && s.config.datasetId === id ? { config: { ...s.config, model: presetSpec(s.presetId, n) } } : {};
      });
    set({ config: { ...previous, datasetId: id }, datasetError: null });
    if (get().datasets[id]) return fitPreset();
    set({ datasetLoading: id });
    try {
      const info = await client.describeDataset(id);
      set((s) => {
        // Read now, not when the request went out: a count typed while the dataset loaded is kept.
        const wasAll = s.config.trainingExamples >= (s.datasets[previous.datasetId]?.trainCount ?? 60000);
        const trainingExamples = wasAll ? info.trainCount : Math.min(s.config.trainingExamples, info.trainCount);
        return {
          datasets: { ...s.datasets, [id]: info },
          config: s.config.datasetId === id ? { ...s.config, trainingExamples } : s.config,
        };
      });
      fitPreset();
    } catch (err) {
      set({ datasetError: `Could not load this dataset: ${(err as Error).message}` });
    } finally {
      set((s) => (s.datasetLoading === id ? { datasetLoading: null } : {}));
    }
  },
});
