/** The invariance sweeps as plain data (no tfjs), for the evaluation and the chart. */

export type SweepId = 'shift' | 'rotation' | 'zoom';

export interface SweepInfo {
  id: SweepId;
  label: string;
  /** Axis label for the amount. */
  unit: string;
  amounts: number[];
}

/** The sweeps, keyed by id, in the order the chart shows them. */
export const INVARIANCE_SWEEPS: Readonly<Record<SweepId, SweepInfo>> = {
  shift: {
    id: 'shift',
    label: 'Shift',
    unit: 'fraction of size',
    amounts: [0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4],
  },
  rotation: {
    id: 'rotation',
    label: 'Rotation',
    unit: 'degrees',
    amounts: [0, 15, 30, 45, 60, 90, 120, 150, 180],
  },
  zoom: { id: 'zoom', label: 'Zoom', unit: 'scale factor', amounts: [0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.3, 1.4] },
};

export interface InvariancePoint {
  sweep: SweepId;
  amount: number;
  acc: number;
  loss: number;
}

