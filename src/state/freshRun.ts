import type { AppState } from './store';

/**
 * What every fresh start of the run area clears — a new run, a resumed checkpoint, a loaded
 * model — in one place, so no start forgets a field (a later run once inherited the earlier
 * run's checkpoint id, because three hand-written patches each missed it). Callers add their
 * own status and model fields on top.
 */
export function freshRunPatch(): Partial<AppState> {
  return {
    backend: null,
    progress: null,
    split: null,
    runMessage: null,
    testResult: null,
    endedAs: null,
    batchPoints: [],
    batchCount: 0,
    epochPoints: [],
    events: [],
    checkpointRunId: null,
    // The Layers chart and the first layer's pictures (state/layersSlice).
    layerNames: [],
    layerKinds: [],
    layerSamples: [],
    firstLayer: null,
  };
}
