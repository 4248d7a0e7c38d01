/**
 * Saving and loading models: the list saved in the browser, the files to download, loading
 * files or a saved model as the current model. A failed load changes nothing but the
 * panel's message: the current model, run and settings stay as they were.
 */
import { formatCount } from '../core/format';
import { pickModelFiles, weightsOnlyJson, type ChosenFile } from '../core/model/file';
import { deleteModel, listModels, loadModelRecord, saveModel, type SavedModelInfo } from '../storage/models';
import type { LoadedModel } from '../client/trainingClient';
import type { AppState, SliceCreator } from './store';
import { freshRunPatch } from './freshRun';

/** A file for the page to offer as a download. */
export interface DownloadFile {
  name: string;
  type: string;
  data: string | ArrayBuffer;
}

export interface ModelsMessage {
  kind: 'info' | 'error';
  text: string;
}

export interface ModelsSlice {
  savedModels: SavedModelInfo[];
  /** What the panel is doing ("Saving…"), or null when idle. */
  modelsBusy: string | null;
  modelsMessage: ModelsMessage | null;
  /** A name that is taken, waiting for the learner to confirm replacing it. */
  overwriteName: string | null;
  /** Train starts from the current model's weights ("train further") instead of new ones. */
  continueTraining: boolean;
  setContinueTraining(on: boolean): void;
  refreshSavedModels(): Promise<void>;
  saveToBrowser(name: string, options?: { overwrite?: boolean }): Promise<void>;
  cancelOverwrite(): void;
  /** model.json + weights.bin (kind 'model') or weights.json + weights.bin ('weights'). */
  exportModelFiles(kind: 'model' | 'weights'): Promise<DownloadFile[] | null>;
  loadSavedModel(id: string): Promise<void>;
  deleteSavedModel(id: string): Promise<void>;
  /** Loads chosen files as the model ('model') or into the builder's architecture ('weights'). */
  loadModelFiles(files: readonly ChosenFile[], mode: 'model' | 'weights'): Promise<void>;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

export const createModelsSlice: SliceCreator<ModelsSlice> = (set, get, client) => {
  /** Runs `task` with a busy label; any failure becomes the panel's message. */
  const busy = async <T>(label: string, task: () => Promise<T>): Promise<T | null> => {
    set({ modelsBusy: label, modelsMessage: null });
    try {
      return await task();
    } catch (err) {
      set({ modelsMessage: { kind: 'error', text: errorText(err) } });
      return null;
    } finally {
      set({ modelsBusy: null });
    }
  };

  const applyLoaded = (reply: LoadedModel, what: string) => {
    const text =
      `Loaded ${what} "${reply.name}" (${formatCount(reply.params)} parameters).` +
      (reply.notes.length > 0 ? ` ${reply.notes.join(' ')}` : '');
    // Only what the model decides; other settings may have been edited while it loaded.
    const { model, datasetId, preprocessing, loss, oneHotLabels } = reply.config;
    const patch: Partial<AppState> = {
      ...freshRunPatch(),
      config: { ...get().config, model, datasetId, preprocessing, loss, oneHotLabels },
      presetId: 'custom',
      hasModel: true,
      status: 'idle',
      endedAs: 'idle',
      statusDetail: null,
      runMessage: text,
      modelsMessage: { kind: 'info', text },
    };
    set(patch);
    if (!get().datasets[reply.config.datasetId]) void get().selectDataset(reply.config.datasetId);
  };

  return {
    savedModels: [],
    modelsBusy: null,
    modelsMessage: null,
    overwriteName: null,
    continueTraining: false,
    setContinueTraining: (continueTraining) => set({ continueTraining }),

    async refreshSavedModels() {
      try {
        set({ savedModels: await listModels() });
      } catch (err) {
        set({ modelsMessage: { kind: 'error', text: errorText(err) } });
      }
    },

    async saveToBrowser(name, options = {}) {
      set({ overwriteName: null });
      const result = await busy('Saving…', async () => {
        const files = await client.exportModel();
        return saveModel(
          name,
          { modelJson: files.modelJson, weights: files.weights, params: files.params, datasetName: files.datasetName },
          { overwrite: options.overwrite },
        );
      });
      if (result === 'exists') {
        set({ overwriteName: name.trim() });
      } else if (result === 'saved') {
        set({ modelsMessage: { kind: 'info', text: `Saved "${name.trim()}" in this browser.` } });
        await get().refreshSavedModels();
      }
    },

    cancelOverwrite: () => set({ overwriteName: null }),

    exportModelFiles(kind) {
      return busy('Preparing the files…', async () => {
        const files = await client.exportModel();
        const json = kind === 'model' ? files.modelJson : JSON.stringify(weightsOnlyJson(JSON.parse(files.modelJson) as Record<string, unknown>));
        return [
          { name: kind === 'model' ? 'model.json' : 'weights.json', type: 'application/json', data: json },
          { name: 'weights.bin', type: 'application/octet-stream', data: files.weights },
        ];
      });
    },

    async loadSavedModel(id) {
      const reply = await busy('Loading…', async () => {
        const record = await loadModelRecord(id);
        return client.loadModel({
          mode: 'model',
          name: record.name,
          modelJson: record.modelJson,
          weights: [{ name: 'weights.bin', bytes: record.weights }],
          config: get().config,
        });
      });
      if (reply) applyLoaded(reply, 'model');
    },

    async deleteSavedModel(id) {
      await busy('Deleting…', () => deleteModel(id));
      await get().refreshSavedModels();
    },

    async loadModelFiles(files, mode) {
      const reply = await busy('Loading…', async () => {
        const { json, bins } = pickModelFiles(files);
        const modelJson = new TextDecoder().decode(await json.arrayBuffer());
        const weights = await Promise.all(bins.map(async (b) => ({ name: b.name, bytes: await b.arrayBuffer() })));
        return client.loadModel({ mode, name: json.name, modelJson, weights, config: get().config });
      });
      if (reply) applyLoaded(reply, mode === 'model' ? 'model' : 'weights from');
    },
  };
};
