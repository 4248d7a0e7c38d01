/**
 * The app's one zustand store, combined from slices. Actions are plain functions callable
 * outside React; components read through narrow selectors. The store talks to the worker
 * only through the TrainingClient it is given.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { TrainingClient } from '../client/trainingClient';
import { createConfigSlice, type ConfigSlice } from './configSlice';
import { createDatasetSlice, type DatasetSlice } from './datasetSlice';
import { createRunSlice, type RunSlice } from './runSlice';
import { createMetricsSlice, type MetricsSlice } from './metricsSlice';
import { createCheckpointSlice, type CheckpointSlice, type CheckpointStorage } from './checkpointSlice';
import { createModelsSlice, type ModelsSlice } from './modelsSlice';
import { createImportSlice, type Importer, type ImportSlice } from './importSlice';

import { createAugmentSlice, type AugmentSlice } from './augmentSlice';
import { createHistorySlice, type HistorySlice, type RunHistoryStorage } from './historySlice';
import { createLessonSlice, type LessonSlice, type SampleFetcher } from './lessonSlice';
import { createEvaluationSlice, type EvaluationSlice } from './evaluationSlice';
import { createLayersSlice, type LayersSlice } from './layersSlice';
import { createShareSlice, type ShareSlice } from './shareSlice';

export type AppState = ConfigSlice &
  DatasetSlice &
  RunSlice &
  MetricsSlice &
  CheckpointSlice &
  ModelsSlice &
  ImportSlice &
  AugmentSlice &
  HistorySlice &
  LessonSlice &
  EvaluationSlice &
  LayersSlice &
  ShareSlice;
export type AppStore = StoreApi<AppState>;
export type SliceCreator<T> = (
  set: StoreApi<AppState>['setState'],
  get: StoreApi<AppState>['getState'],
  client: Pick<
    TrainingClient,
    | 'train'
    | 'pause'
    | 'resume'
    | 'stop'
    | 'evaluate'
    | 'describeDataset'
    | 'exportModel'
    | 'loadModel'
    | 'previewAugmentation'
    | 'invariance'
    | 'predict'
    | 'testImages'
  >,
) => T;

/** Services the store uses besides the training client; tests leave out what they don't need. */
export interface StoreServices {
  /** Checkpoint storage (IndexedDB, read from the page). */
  checkpointStorage?: CheckpointStorage | null;
  /** The dataset import worker's client. */
  importer?: Importer;
  /** Where finished runs are kept for the Runs panel (IndexedDB, read from the page). */
  history?: RunHistoryStorage | null;
  /** Reads the sample files shipped in public/ (the data-on-disk lesson). */
  fetchSample?: SampleFetcher;
}

export function createAppStore(client: Parameters<SliceCreator<unknown>>[2], services: StoreServices = {}): AppStore {
  return createStore<AppState>()((set, get) => ({
    ...createConfigSlice(set, get, client),
    ...createDatasetSlice(set, get, client),
    ...createRunSlice(set, get, client),
    ...createMetricsSlice(set, get, client),
    ...createCheckpointSlice(set, get, client, services.checkpointStorage ?? null),
    ...createModelsSlice(set, get, client),
    ...createImportSlice(services.importer)(set, get, client),
    ...createAugmentSlice(set, get, client),
    ...createHistorySlice(set, get, services.history ?? null),
    ...createLessonSlice(set, get, services.fetchSample),
    ...createEvaluationSlice(set, get, client),
    ...createLayersSlice(set, get, client),
    ...createShareSlice(set, get, client),
  }));
}
