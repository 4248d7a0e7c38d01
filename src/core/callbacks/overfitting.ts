/**
 * Watches the epoch curves and marks two moments a learner should see: the onset of
 * overfitting (validation loss starts rising while training loss still falls) and divergence
 * (training and validation loss both rising sharply). Each is reported once per onset.
 * Also the generalization gap, shown on the charts.
 */
import type { EpochLogs, JsonValue, StatefulCallback } from './types';

/** How far validation lags training: val_loss − loss and acc − val_acc (null without validation). */
export interface GeneralizationGap {
  loss: number | null;
  acc: number | null;
}

export function generalizationGap(logs: Partial<EpochLogs>): GeneralizationGap {
  const ok = (v: number | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
  return {
    loss: ok(logs.val_loss) && ok(logs.loss) ? logs.val_loss - logs.loss : null,
    acc: ok(logs.val_acc) && ok(logs.acc) ? logs.acc - logs.val_acc : null,
  };
}

export interface OverfittingOptions {
  /** Epochs validation loss must stay above its lowest (and curves rise for divergence): one noisy epoch is not a trend. */
  patience?: number;
  /** How much above its lowest validation loss must be to count (absolute)… */
  minDelta?: number;
  /** …plus this share of the lowest (0.01 = 1%), so that noise on a flat curve is not a rise. */
  minRise?: number;
  /** A loss that grows by this factor from one epoch to the next rises sharply (1.1 = +10%). */
  sharpRise?: number;
}

interface DetectorState {
  /** Lowest validation loss so far, its 0-based epoch, and the training loss then. */
  minVal: number | null;
  minValEpoch: number;
  trainAtMin: number | null;
  /** Epochs in a row validation loss stayed above its lowest. */
  above: number;
  overfitArmed: boolean;
  prevLoss: number | null;
  prevVal: number | null;
  /** Epochs in a row both losses rose sharply. */
  sharp: number;
  divergeArmed: boolean;
}

const fresh = (): DetectorState => ({
  minVal: null,
  minValEpoch: -1,
  trainAtMin: null,
  above: 0,
  overfitArmed: true,
  prevLoss: null,
  prevVal: null,
  sharp: 0,
  divergeArmed: true,
});

const f3 = (v: number) => v.toFixed(3);
const epochs = (n: number) => `${n} epoch${n === 1 ? '' : 's'}`;

export function overfittingDetector(options: OverfittingOptions = {}): StatefulCallback {
  const patience = Math.max(1, Math.floor(options.patience ?? 2));
  const minDelta = Math.abs(options.minDelta ?? 0);
  const minRise = Math.abs(options.minRise ?? 0.01);
  const sharpRise = options.sharpRise ?? 1.1;
  let s = fresh();

  return {
    stateKey: 'overfittingDetector',
    getState: () => ({ ...s }) as unknown as JsonValue,
    setState(state) {
      s = { ...fresh(), ...((state ?? {}) as Partial<DetectorState>) };
    },
    onTrainBegin() {
      s = fresh();
    },

    onEpochEnd({ epoch, logs }, ctx) {
      const loss = logs.loss;
      const val = typeof logs.val_loss === 'number' && Number.isFinite(logs.val_loss) ? logs.val_loss : null;
      if (!Number.isFinite(loss)) return; // the NaN guard speaks for these
      const { prevLoss, prevVal } = s;
      s.prevLoss = loss;
      s.prevVal = val;

      // Divergence: both curves (training alone without validation) jump up, epoch after epoch.
      const rose = (now: number | null, before: number | null) => now !== null && before !== null && now > before * sharpRise;
      if (rose(loss, prevLoss) && (val === null || rose(val, prevVal))) s.sharp += 1;
      else s.sharp = 0;
      if (prevLoss !== null && loss < prevLoss) s.divergeArmed = true;
      if (s.sharp >= patience && s.divergeArmed) {
        s.divergeArmed = false;
        const onset = epoch + 2 - s.sharp;
        const both = val === null ? 'training loss rose' : 'training and validation loss both rose';
        ctx.emit({
          kind: 'divergence',
          epoch: onset,
          value: loss,
          message:
            `Training diverges around epoch ${onset}: ${both} sharply for ${epochs(s.sharp)} (training loss now ${f3(loss)}). ` +
            'The learning rate is probably too high: lower it, or restore an earlier checkpoint.',
        });
      }

      if (val === null) return;
      if (s.minVal === null || val < s.minVal - minDelta) {
        if (s.minVal !== null && val < s.minVal - minDelta) s.overfitArmed = true; // recovered: a new onset may come
        s.minVal = val;
        s.minValEpoch = epoch;
        s.trainAtMin = loss;
        s.above = 0;
        return;
      }
      if (val > s.minVal * (1 + minRise) + minDelta) s.above += 1;
      else s.above = 0;
      const trainingFalls = loss < s.trainAtMin! && (prevLoss === null || loss <= prevLoss);
      if (s.overfitArmed && s.above >= patience && trainingFalls) {
        s.overfitArmed = false;
        const onset = epoch + 2 - s.above; // the first epoch of this rise, 1-based
        const gap = val - loss;
        ctx.emit({
          kind: 'overfitting',
          epoch: onset,
          value: gap,
          message:
            `Overfitting begins around epoch ${onset}: validation loss has stayed above its lowest ` +
            `(${f3(s.minVal)} at epoch ${s.minValEpoch + 1}) for ${epochs(s.above)} while training loss kept falling; ` +
            `the gap is now ${f3(gap)}.`,
        });
      }
    },
  };
}
