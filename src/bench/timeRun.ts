/**
 * Times one run of the playground's real training path (TrainingClient -> training worker ->
 * core loop) in this page; shared by the bench pages.
 */
import { TrainingClient } from '../client/trainingClient';
import type { ExperimentConfig } from '../core/training/config';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Samples/s of the epochs after the first (the first pays for kernel compilation). */
export const rate = (samples: number, epochMs: number[]) => (samples * 1000) / median(epochMs.slice(1));

export function timePlaygroundRun(config: ExperimentConfig): Promise<{ samplesPerSec: number; backend: string }> {
  return new Promise((resolve, reject) => {
    const client = new TrainingClient(
      () => new Worker(new URL('../worker/training.worker.ts', import.meta.url), { type: 'module' }),
    );
    const epochMs: number[] = [];
    let samples = 0;
    let backend = '';
    client.subscribe((e) => {
      if (e.type === 'backend') backend = e.report.backend;
      if (e.type === 'epochEnd') {
        epochMs.push(e.summary.trainMs);
        samples = e.summary.samples;
      }
      if (e.type === 'error' || e.type === 'workerCrashed' || e.type === 'workerRestarted') reject(new Error(e.message));
      if (e.type === 'runEnded') {
        client.dispose();
        resolve({ samplesPerSec: rate(samples, epochMs), backend });
      }
    });
    client.train(config);
  });
}
