/**
 * Exploding gradients: a layer's gradient many times its early size while its weights grow
 * too: each step overshoots, which makes the next gradient larger (plain SGD at a high
 * learning rate). A growing gradient alone is not it: a deep stack's output layer starts
 * with almost none and gains it as it learns, its weights barely changing.
 * Reported once per run, through `ctx.emit`; it never stops training (the NaN guard does).
 */
import type { Callback } from '../callbacks/types';
import { inspectedLayers } from './probe';
import { BATCH_NORM, formatSize } from './reading';
import { formatCount } from '../format';

export interface ExplodingGradientsOptions {
  /** Gradient RMS above this many times the layer's early level… (default 10) */
  gradFactor?: number;
  /** …while its weights' RMS is above this many times their first value (default 4). */
  weightFactor?: number;
  /** Samples that set the early level (default 3). */
  warmupSamples?: number;
}

export function explodingGradients(o: ExplodingGradientsOptions = {}): Callback {
  const gradFactor = o.gradFactor ?? 10;
  const weightFactor = o.weightFactor ?? 4;
  const warmup = o.warmupSamples ?? 3;
  let names: string[] = [];
  let kinds: string[] = [];
  let early: number[] = [];
  let firstWeights: number[] | null = null;
  let seen = 0;
  let reported = false;
  return {
    onTrainBegin(ctx) {
      const rows = inspectedLayers(ctx.model);
      names = rows.map((l) => l.name);
      kinds = rows.map((l) => l.kind);
      early = [];
      firstWeights = null;
      seen = 0;
      reported = false;
    },
    onLayerStats(s, ctx) {
      if (reported) return;
      const n = s.gradRms.length;
      firstWeights ??= Array.from(s.weightRms);
      if (seen < warmup) {
        for (let i = 0; i < n; i++) early[i] = (early[i] ?? 0) + s.gradRms[i]! / warmup;
        seen++;
        if (s.gradRms.every(Number.isFinite)) return;
      }
      // The layer that grew the most (any that is no longer a number first).
      let pick = -1;
      let pickGrew = 0;
      let pickWeights = 0;
      for (let i = 0; i < n; i++) {
        const g = s.gradRms[i]!;
        const grew = g / Math.max(early[i] ?? 0, 1e-30);
        const wGrew = s.weightRms[i]! / Math.max(firstWeights[i] ?? 0, 1e-30);
        const blown = !Number.isFinite(g) || !Number.isFinite(s.weightRms[i]!);
        if (blown) {
          pick = i;
          pickGrew = Infinity;
          break;
        }
        if (grew >= gradFactor && wGrew >= weightFactor && grew > pickGrew) [pick, pickGrew, pickWeights] = [i, grew, wGrew];
      }
      if (pick < 0) return;
      reported = true;
      const g = s.gradRms[pick]!;
      const name = names[pick] ?? `layer ${pick + 1}`;
      // A BatchNormalization row's "weights" are its scale, gamma (see inspectedLayers).
      const weights = kinds[pick] === BATCH_NORM ? 'its scale (gamma)' : 'its weights';
      ctx.emit({
        kind: 'explodingGradients',
        epoch: s.epoch + 1,
        step: s.step,
        value: g,
        message:
          pickGrew === Infinity
            ? `At batch ${s.step + 1} the gradients of ${name} stopped being numbers (NaN or ∞): each step overshot and made the next ` +
              'gradient larger until they overflowed — exploding gradients. Lower the learning rate (e.g. 10 times) and train again.'
            : `At batch ${s.step + 1} the gradients of ${name} reached ${formatSize(g)}, ${formatCount(pickGrew)} times ` +
              `their early size, and ${weights} grew ${formatCount(pickWeights)}-fold: each step overshoots and makes ` +
              'the next gradient larger — exploding gradients. Lower the learning rate (e.g. 10 times), or use Adam, which scales its steps.',
      });
    },
  };
}
