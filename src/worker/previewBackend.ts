import * as tf from '@tensorflow/tfjs';

/**
 * The augmentation preview needs a tfjs backend, but before the first run none is chosen.
 * Then it uses the plain CPU one (a few dozen small images); a backend a run has chosen is
 * left alone, and the next run's backend selection replaces this one.
 */
export async function ensurePreviewBackend(): Promise<void> {
  if (tf.engine().backendName) return;
  await tf.setBackend('cpu');
  await tf.ready();
}
