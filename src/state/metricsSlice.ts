import type { BatchLog, EpochLogs, TrainEvent } from '../core/callbacks/types';
import type { SliceCreator } from './store';

export interface EpochPoint extends EpochLogs {
  /** 1-based, as the chapter counts epochs. */
  epoch: number;
  samplesPerSec: number;
}

export type ChartScale = 'epoch' | 'batch';
export type Smoothing = 'raw' | 'smoothed';

/** The curves of the current run and how the learner wants them drawn. */
export interface MetricsSlice {
  /**
   * Every batch of the run, in order. Append-only and appended *in place* (a copy per frame
   * was quadratic over a long run): subscribe to `batchCount`, which changes with every append,
   * and read the points from here. A new run gets a new array.
   */
  batchPoints: BatchLog[];
  /** How many batch points there are: the value to subscribe to for "new batches". */
  batchCount: number;
  epochPoints: EpochPoint[];
  /** Events of the current run (overfitting onset, checkpoints, early stop…), in order. */
  events: TrainEvent[];
  chartScale: ChartScale;
  smoothing: Smoothing;
  /** The presenter view: run controls and charts only, large, for a projector. */
  presenting: boolean;
  setChartScale(scale: ChartScale): void;
  setSmoothing(s: Smoothing): void;
  setPresenting(on: boolean): void;
}

export const createMetricsSlice: SliceCreator<MetricsSlice> = (set) => ({
  batchPoints: [],
  batchCount: 0,
  epochPoints: [],
  events: [],
  chartScale: 'epoch',
  smoothing: 'smoothed',
  setChartScale: (chartScale) => set({ chartScale }),
  presenting: false,
  setSmoothing: (smoothing) => set({ smoothing }),
  setPresenting: (presenting) => set({ presenting }),
});
