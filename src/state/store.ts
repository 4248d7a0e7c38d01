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
import { createAugmentSlice, type AugmentSlice } from './augmentSlice';

export type AppState = ConfigSlice & DatasetSlice & RunSlice & MetricsSlice & AugmentSlice;
export type AppStore = StoreApi<AppState>;
export type SliceCreator<T> = (
  set: StoreApi<AppState>['setState'],
  get: StoreApi<AppState>['getState'],
  client: Pick<TrainingClient, 'train' | 'pause' | 'resume' | 'stop' | 'evaluate' | 'describeDataset' | 'previewAugmentation' | 'invariance'>,
) => T;

export function createAppStore(client: Parameters<SliceCreator<unknown>>[2]): AppStore {
  return createStore<AppState>()((set, get) => ({
    ...createConfigSlice(set, get, client),
    ...createDatasetSlice(set, get, client),
    ...createRunSlice(set, get, client),
    ...createMetricsSlice(set, get, client),
    ...createAugmentSlice(set, get, client),
  }));
}
