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
  batchPoints: BatchLog[];
  epochPoints: EpochPoint[];
  /** Events of the current run (overfitting onset, checkpoints, early stop…), in order. */
  events: TrainEvent[];
  chartScale: ChartScale;
  smoothing: Smoothing;
  setChartScale(scale: ChartScale): void;
  setSmoothing(s: Smoothing): void;
}

export const createMetricsSlice: SliceCreator<MetricsSlice> = (set) => ({
  batchPoints: [],
  epochPoints: [],
  events: [],
  chartScale: 'epoch',
  smoothing: 'smoothed',
  setChartScale: (chartScale) => set({ chartScale }),
  setSmoothing: (smoothing) => set({ smoothing }),
});
