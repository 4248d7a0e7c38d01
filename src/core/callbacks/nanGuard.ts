import type { Callback } from './types';

/**
 * Stops training as soon as a batch loss is NaN or infinite, with an explanation. Once the
 * loss is NaN every weight it touches becomes NaN too, so going on would only waste time.
 */
export function nanGuard(): Callback {
  return {
    onBatchEnd(log, ctx) {
      if (Number.isFinite(log.loss) || ctx.stopTraining) return;
      ctx.stopTraining = true;
      ctx.stopMessage =
        `The loss became ${log.loss} at epoch ${log.epoch + 1}, batch ${log.batch + 1}: training diverged. ` +
        'Usually the learning rate is too high, or the inputs are unscaled (raw 0–255 pixels). ' +
        'Lower the learning rate (e.g. divide it by 10) or pick a preprocessing, then train again.';
    },
  };
}
