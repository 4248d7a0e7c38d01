/**
 * Posts what core/inspect measures: the sampled steps' per-layer statistics (grouped, one
 * message per burst, typed arrays transferred) and the first layer's pictures at the run's
 * start and at each epoch's end.
 */
import type { Callback } from '../core/callbacks/types';
import { inspectedLayers } from '../core/inspect/probe';
import { firstLayerPictures, withChange, type FirstLayerPictures } from '../core/inspect/firstLayer';
import type { LayerStatsSample } from '../core/inspect/stats';
import type { Post } from './sessionDeps';

const buffersOf = (s: LayerStatsSample) => [s.gradRms.buffer, s.weightRms.buffer, s.actMean.buffer, s.actStd.buffer, s.actZero.buffer] as ArrayBuffer[];

export function inspector({ runId, inputShape, post }: { runId: number; inputShape: readonly number[]; post: Post }): Callback {
  let layers: string[] = [];
  let kinds: string[] = [];
  let outbox: LayerStatsSample[] = [];
  let scheduled = false;
  const send = () => {
    scheduled = false;
    if (outbox.length === 0) return;
    post({ type: 'layerStats', runId, layers, kinds, samples: outbox }, outbox.flatMap(buffersOf));
    outbox = [];
  };
  /** The run's starting pictures (never sent, so never transferred), to show what changed. */
  let start: FirstLayerPictures | null = null;
  const pictures = async (model: Parameters<typeof firstLayerPictures>[0], epoch: number) => {
    const raw = await firstLayerPictures(model, inputShape, epoch);
    if (!raw) return;
    // The random start is kept to show what changed, not sent: it would land in the same frame
    // as the run's start, the costliest store flush of a run.
    if (epoch === 0) {
      start = raw;
      return;
    }
    const p = withChange(raw, start);
    post({ type: 'firstLayer', runId, pictures: p }, [p.values.buffer as ArrayBuffer, ...(p.change ? [p.change.buffer as ArrayBuffer] : [])]);
  };
  return {
    async onTrainBegin(ctx) {
      const rows = inspectedLayers(ctx.model);
      layers = rows.map((l) => l.name);
      kinds = rows.map((l) => l.kind);
      await pictures(ctx.model, 0);
    },
    onLayerStats(sample) {
      outbox.push(sample);
      if (!scheduled) {
        scheduled = true;
        setTimeout(send, 0);
      }
    },
    async onEpochEnd(summary, ctx) {
      send();
      await pictures(ctx.model, summary.epoch + 1);
    },
    onTrainEnd: () => send(),
  };
}
