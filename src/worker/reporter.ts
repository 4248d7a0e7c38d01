/**
 * The run's progress reporter: a callback that posts batch logs (one message per burst) and
 * epoch summaries, each with the run's progress and training rate.
 */
import type { BatchLog, Callback } from '../core/callbacks/types';
import type { RunControl } from '../core/training/runControl';
import type { Progress } from '../protocol/messages';
import type { Post } from './sessionDeps';

export interface ReporterOptions {
  runId: number;
  epochs: number;
  batchesPerEpoch: number;
  /** The samples the whole run trains on, for the time left. */
  totalSamples: number;
  /** The run's control: its active time (pauses excluded) gives the rate. */
  control: RunControl;
  post: Post;
}

/** Batches logs into one message per burst and tracks the training rate. */
export function reporter({ runId, epochs, batchesPerEpoch, totalSamples, control, post }: ReporterOptions): Callback {
  let outbox: BatchLog[] = [];
  let scheduled = false;
  let epoch = 0;
  let batch = 0;
  let samplesDone = 0;
  const window: { t: number; samples: number }[] = [];
  const progress = (): Progress => {
    const t = control.activeMs();
    window.push({ t, samples: samplesDone });
    while (window.length > 2 && t - window[0]!.t > 3000) window.shift();
    const first = window[0]!;
    const rate = t > first.t ? ((samplesDone - first.samples) * 1000) / (t - first.t) : 0;
    const left = totalSamples - samplesDone;
    return {
      epoch,
      epochs,
      batch,
      batchesPerEpoch,
      samplesPerSec: rate,
      secondsLeft: rate > 0 ? left / rate : null,
    };
  };
  const send = () => {
    scheduled = false;
    if (outbox.length === 0) return;
    post({ type: 'batches', runId, points: outbox, progress: progress() });
    outbox = [];
  };
  return {
    onBatchEnd(log, ctx) {
      batchesPerEpoch = ctx.batchesPerEpoch; // varies by one between folds in cross-validation
      epoch = log.epoch;
      batch = log.batch + 1;
      samplesDone += log.size;
      outbox.push(log);
      if (!scheduled) {
        scheduled = true;
        setTimeout(send, 0);
      }
    },
    onEpochEnd(summary) {
      send();
      epoch = summary.epoch + 1;
      batch = 0;
      post({ type: 'epochEnd', runId, summary, progress: progress() });
    },
  };
}
