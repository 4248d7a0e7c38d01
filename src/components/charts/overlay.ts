/**
 * Recorded runs drawn over the live curves: which ones (ticked "Compare", and the baseline),
 * in what colour, as chart rows. Pure, so the Runs table's swatches and the charts agree.
 */
import type { RunRecord } from '../../core/runs/record';
import type { EpochRow } from './series';
import { toEpochSeries } from './series';

/** One colour per overlaid run; none is the live run's blue or orange. Each is at least 3:1 on white. */
export const OVERLAY_COLORS = ['#7c3aed', '#047857', '#be185d', '#a16207', '#0e7490', '#4b5563'] as const;

export interface Overlay {
  id: string;
  name: string;
  color: string;
  baseline: boolean;
  epochRows: EpochRow[];
  /** The recorded per-batch curve (bucket means), accuracy in percent. */
  batchRows: { step: number; loss: number | null; acc: number | null }[];
  validation: boolean;
}

/**
 * The runs to draw over the live curves of dataset `datasetId`: the baseline first, then the
 * ticked runs in list order, each with its colour. Runs of other datasets are left out (their
 * curves measure another task), and so is the record of the live run itself.
 */
export function overlays(runs: readonly RunRecord[], datasetId: string, liveRecordId: string | null): Overlay[] {
  const drawn = runs.filter((r) => (r.compared || r.baseline) && r.config.datasetId === datasetId && r.id !== liveRecordId);
  drawn.sort((a, b) => Number(b.baseline) - Number(a.baseline));
  return drawn.map((r, i) => {
    const epochRows = toEpochSeries(r.epochs.map((e) => ({ ...e, samplesPerSec: 0 })));
    return {
      id: r.id,
      name: r.baseline ? `${r.name} (baseline)` : r.name,
      color: OVERLAY_COLORS[i % OVERLAY_COLORS.length]!,
      baseline: r.baseline,
      epochRows,
      batchRows: r.batches,
      validation: epochRows.some((row) => row.val_loss !== null || row.val_acc !== null),
    };
  });
}

/** The colour each drawn run gets, by id (for the Runs table). */
export function overlayColors(list: readonly Overlay[]): Map<string, string> {
  return new Map(list.map((o) => [o.id, o.color]));
}
