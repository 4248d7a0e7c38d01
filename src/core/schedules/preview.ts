/**
 * The learning-rate curve a schedule will follow over the planned run, for the preview chart
 * shown before training. Pure; the x axis is in epochs trained (0 .. epochs), so per-batch and
 * per-epoch stepping read the same way.
 */
import {
  SCHEDULES,
  formatLr,
  isPlanned,
  resolveParams,
  totalSteps,
  type ScheduleConfig,
  type StepPer,
} from './schedules';
import { MONITOR_LABELS } from '../callbacks/monitor';
import { formatCount } from '../format';

export interface PreviewPoint {
  /** Epochs trained when this rate takes effect (fractional when stepping per batch). */
  x: number;
  lr: number;
}

export interface SchedulePreview {
  /** Ordered by x, ending at x = epochs; draw as a step line (each rate holds until the next point). */
  points: PreviewPoint[];
  stepPer: StepPer;
  totalSteps: number;
  start: number;
  end: number;
  /** Sentences under the chart (the floor reached, plateau acting reactively). */
  notes: string[];
}

/** About how many batches an epoch will have for these settings (per-class rounding may shift it by one). */
export function plannedBatchesPerEpoch(c: { trainingExamples: number; validationSplit: number; batchSize: number }): number {
  const train = Math.max(1, Math.round(c.trainingExamples * (1 - (c.validationSplit || 0))));
  return c.batchSize >= 1 ? Math.ceil(train / Math.floor(c.batchSize)) : 1;
}

/**
 * The curve of `schedule` for a run of `epochs` epochs of `batchesPerEpoch` batches, with at
 * most about `maxPoints` points; null when the settings cannot give one (an invalid value).
 */
export function schedulePreview(
  c: { schedule: ScheduleConfig; learningRate: number; epochs: number },
  batchesPerEpoch: number,
  maxPoints = 240,
): SchedulePreview | null {
  const s = c.schedule;
  const info = SCHEDULES[s.id];
  const epochs = Math.floor(c.epochs);
  if (!info || !(c.learningRate > 0) || !(epochs >= 1) || !(batchesPerEpoch >= 1)) return null;
  const params = resolveParams(s);
  if (Object.values(params).some((v) => !Number.isFinite(v))) return null;
  const lr0 = c.learningRate;

  if (!isPlanned(s.id)) {
    const monitor = MONITOR_LABELS[s.monitor ?? 'val_loss'] ?? 'watched metric';
    return {
      points: [{ x: 0, lr: lr0 }, { x: epochs, lr: lr0 }],
      stepPer: 'epoch',
      totalSteps: epochs,
      start: lr0,
      end: lr0,
      notes: [
        `Reduce on plateau cannot be planned: it starts at ${formatLr(lr0)} and multiplies the rate by ` +
          `${formatLr(params.factor!)} whenever the ${monitor} has not improved for ${params.patience} ` +
          `epoch${params.patience === 1 ? '' : 's'}, so the line shows the starting rate; the drops appear on the live chart.`,
      ],
    };
  }

  const stepPer = s.stepPer === 'batch' ? 'batch' : 'epoch';
  const perStep = stepPer === 'batch' ? batchesPerEpoch : 1;
  const total = totalSteps(stepPer, epochs, batchesPerEpoch);
  const inputs = { lr0, params, totalSteps: total };
  const lr = (t: number) => info.lr!(t, inputs);
  /** Step t in words, 1-based: "epoch 4", or "batch 52 (epoch 1)". */
  const stepName = (t: number) =>
    stepPer === 'batch' ? `batch ${formatCount(t + 1)} (epoch ${Math.floor(t / perStep) + 1})` : `epoch ${t + 1}`;

  const ts = new Set<number>();
  const n = Math.min(total, Math.max(2, Math.floor(maxPoints)));
  for (let i = 0; i < n; i++) ts.add(Math.round((i * (total - 1)) / Math.max(1, n - 1)));
  // Staircase edges, exactly, while there are few of them: a sampled grid would blur them.
  if (s.id === 'step' && params.staircase) {
    const every = params.steps!;
    if (total / every <= maxPoints / 2) for (let t = every; t < total; t += every) ts.add(t - 1).add(t);
  }
  const notes: string[] = [];
  if (s.id === 'fixed' && params.decay! > 0) {
    const hit = Math.ceil((lr0 - params.floor!) / params.decay!);
    if (hit >= 0 && hit < total) {
      ts.add(hit - 1 >= 0 ? hit - 1 : 0).add(hit);
      notes.push(
        `From ${stepName(hit)} on, lr0 − decay·t would reach ${formatLr(params.floor!)} or less, ` +
          `so the rate stays at the floor ${formatLr(params.floor!)}: at zero the weights would stop changing, ` +
          'and a negative rate would climb the loss instead of descending it.',
      );
    }
  }
  // A rate this small no longer moves the weights: say where the schedule gets there, unless
  // that is only the last stretch of the run (a cosine annealed to 0 ends there by design).
  const tiny = Math.min(1e-7, lr0 / 1000);
  if (lr(total - 1) < tiny && !notes.length) {
    let lo = 0;
    let hi = total - 1; // the first step below `tiny`, by bisection (the planned rates never rise)
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (lr(mid) < tiny) hi = mid;
      else lo = mid + 1;
    }
    if (lo < 0.9 * total) {
      notes.push(
        `The rate falls below ${formatLr(tiny)} at ${stepName(lo)}: from there on the weights barely change. ` +
          (stepPer === 'batch' ? 'Step per epoch, or decay more slowly.' : 'Decay more slowly.'),
      );
    }
  }
  const steps = [...ts].filter((t) => t >= 0 && t < total).sort((a, b) => a - b);
  const points: PreviewPoint[] = steps.map((t) => ({ x: t / perStep, lr: lr(t) }));
  points.push({ x: epochs, lr: lr(total - 1) });
  return {
    points,
    stepPer,
    totalSteps: total,
    start: lr(0),
    end: lr(total - 1),
    notes,
  };
}
