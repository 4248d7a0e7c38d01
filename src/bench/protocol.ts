import type { ExperimentConfig } from '../core/training/config';

/** Asks the bare-fit worker to time `model.fit` on the same data as the playground. */
export interface BareFitRequest {
  config: ExperimentConfig;
}
export type BareFitReply =
  | { type: 'done'; epochMs: number[]; samples: number; backend: string }
  | { type: 'error'; message: string };
