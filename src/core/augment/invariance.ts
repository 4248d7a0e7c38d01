/**
 * Invariance evaluation: test accuracy of a trained model when every test image is shifted,
 * rotated or zoomed by a fixed amount, for a sweep of amounts. A model trained on centred,
 * upright images typically falls off quickly; one trained with augmentation holds on longer.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng, deriveSeed } from '../rng';
import { evaluate, type TensorData } from '../training/train';
import type { LossId } from '../training/losses';
import { applyAugmentation, IDENTITY_PARAMS, type AugmentParams, type PixelRange } from './augment';
import { INVARIANCE_SWEEPS, type InvariancePoint, type SweepId } from './sweeps';

export * from './sweeps';

/** The transform that applies `amount` of `sweep` to each of `count` images (seeded directions). */
export function sweepParams(sweep: SweepId, amount: number, count: number, h: number, w: number, seed: number): AugmentParams[] {
  const rng = createRng(deriveSeed(seed, 'invariance'));
  return Array.from({ length: count }, () => {
    const phi = 2 * Math.PI * rng.next();
    const p: AugmentParams = { ...IDENTITY_PARAMS, augmented: true };
    if (sweep === 'shift') {
      p.dx = Math.round(amount * w * Math.cos(phi));
      p.dy = Math.round(amount * h * Math.sin(phi));
    } else if (sweep === 'rotation') {
      p.angle = amount;
    } else {
      p.zoom = amount;
    }
    return p;
  });
}

/**
 * Evaluates `model` on the first `maxExamples` test images under every sweep and amount,
 * calling `onPoint` after each. Stops early when `shouldStop` returns true.
 */
export async function evaluateInvariance(opts: {
  model: tf.LayersModel;
  test: TensorData;
  loss: LossId;
  range: PixelRange;
  seed: number;
  maxExamples?: number;
  sweeps?: SweepId[];
  onPoint?: (p: InvariancePoint) => void;
  shouldStop?: () => boolean;
}): Promise<InvariancePoint[]> {
  const count = Math.min(opts.test.count, opts.maxExamples ?? 2000);
  const [, h, w] = opts.test.x.shape as [number, number, number, number];
  const points: InvariancePoint[] = [];
  const x = tf.slice(opts.test.x, 0, count);
  const y = tf.slice(opts.test.y, 0, count);
  try {
    for (const sweep of opts.sweeps ?? (Object.keys(INVARIANCE_SWEEPS) as SweepId[])) {
      for (const amount of INVARIANCE_SWEEPS[sweep].amounts) {
        if (opts.shouldStop?.()) return points;
        const params = sweepParams(sweep, amount, count, h, w, opts.seed);
        const moved = tf.tidy(() => applyAugmentation(x, params, 'pad', opts.range));
        try {
          const r = await evaluate(opts.model, { x: moved, y, count }, opts.loss, 500);
          const point = { sweep, amount, acc: r.acc, loss: r.loss };
          points.push(point);
          opts.onPoint?.(point);
        } finally {
          if (moved !== x) moved.dispose();
        }
      }
    }
  } finally {
    tf.dispose([x, y]);
  }
  return points;
}
