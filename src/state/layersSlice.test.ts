import { describe, expect, it } from 'vitest';
import { createAppStore } from './store';
import { silentClient } from '../client/testing/silentClient';
import { MAX_LAYER_SAMPLES } from './layersSlice';
import type { LayerStatsSample } from '../core/inspect/stats';
import type { ClientEvent } from '../client/trainingClient';

const client = silentClient;

const sample = (step: number): LayerStatsSample => ({
  step, epoch: 0, gradRms: Float32Array.of(step), weightRms: Float32Array.of(1), actMean: Float32Array.of(0), actStd: Float32Array.of(1), actZero: Float32Array.of(0),
});
const stats = (steps: number[], runId = 1): ClientEvent => ({ type: 'layerStats', runId, layers: ['dense_2'], kinds: ['Dense'], samples: steps.map(sample) });

describe('layersSlice', () => {
  it('appends samples, names the rows, keeps a thinned history, and resets when a run starts', () => {
    const store = createAppStore(client);
    store.getState().applyEvents([stats([0, 10]), stats([20])]);
    let s = store.getState();
    expect(s.layerNames).toEqual(['dense_2']);
    expect(s.layerKinds).toEqual(['Dense']);
    expect(s.layerSamples.map((x) => x.step)).toEqual([0, 10, 20]);
    const v = s.layerVersion;
    store.getState().applyEvents([stats(Array.from({ length: MAX_LAYER_SAMPLES }, (_, i) => 30 + 10 * i))]);
    s = store.getState();
    expect(s.layerVersion).toBeGreaterThan(v);
    expect(s.layerSamples.length).toBeLessThanOrEqual(MAX_LAYER_SAMPLES);
    expect(s.layerSamples.at(-1)!.step).toBe(20 + 10 * MAX_LAYER_SAMPLES); // the latest is kept
    const pictures = { layer: 'dense_2', kind: 'dense' as const, units: 1, count: 1, shape: [1, 1, 1] as [number, number, number], values: Float32Array.of(1), epoch: 1 };
    store.getState().applyEvents([{ type: 'firstLayer', runId: 1, pictures }]);
    expect(store.getState().firstLayer).toBe(pictures);
    store.getState().applyEvents([{ type: 'runStarted', runId: 2, trainCount: 1, validationCount: 0, batchesPerEpoch: 1 }]);
    s = store.getState();
    expect([s.layerNames, s.layerKinds, s.layerSamples, s.firstLayer]).toEqual([[], [], [], null]);
  });
  it('names the rows when a run starts and measures in the same flush, as the run before', () => {
    const store = createAppStore(client);
    store.getState().applyEvents([stats([0])]);
    store.getState().applyEvents([{ type: 'runStarted', runId: 2, trainCount: 1, validationCount: 0, batchesPerEpoch: 1 }, stats([0], 2)]);
    const s = store.getState();
    expect([s.layerNames, s.layerKinds, s.layerSamples.length]).toEqual([['dense_2'], ['Dense'], 1]);
  });
  it('Train clears them at once (freshRunPatch)', () => {
    const store = createAppStore(client);
    store.getState().applyEvents([stats([0])]);
    store.getState().train();
    expect(store.getState().layerSamples).toEqual([]);
  });
});
