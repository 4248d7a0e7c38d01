/**
 * Pure helpers for the event markers on the charts and the events list: how each kind of
 * event looks, where its marker goes on the epoch or batch axis, and the generalization gap
 * rows. No React here, so it is unit-tested under Node.
 */
import type { BatchLog, TrainEvent, TrainEventKind } from '../../core/callbacks/types';
import type { ChartScale } from '../../state/metricsSlice';
import type { EpochRow } from './series';
import { generalizationGap } from '../../core/callbacks/overfitting';

export interface EventStyle {
  /** What the list and the marker's accessible name call it. */
  label: string;
  /** A glyph drawn at the top of the marker line. */
  symbol: string;
  color: string;
}

export const EVENT_STYLES: Record<TrainEventKind, EventStyle> = {
  overfitting: { label: 'Overfitting begins', symbol: '◆', color: '#c026d3' },
  divergence: { label: 'Divergence', symbol: '▲', color: '#dc2626' },
  notLearning: { label: 'Not learning', symbol: '═', color: '#92400e' },
  lossSpike: { label: 'Loss spike', symbol: '↑', color: '#e11d48' },
  bestEpoch: { label: 'Best epoch', symbol: '★', color: '#16a34a' },
  checkpoint: { label: 'Checkpoint saved', symbol: '●', color: '#0891b2' },
  earlyStop: { label: 'Early stop', symbol: '■', color: '#b45309' },
  restoredBest: { label: 'Best weights restored', symbol: '↺', color: '#15803d' },
  lrReduced: { label: 'Learning rate reduced', symbol: '▼', color: '#7c3aed' },
  nan: { label: 'Loss became NaN', symbol: '✖', color: '#991b1b' },
  resumed: { label: 'Resumed', symbol: '▶', color: '#2563eb' },
  storage: { label: 'Storage', symbol: '!', color: '#6b7280' },
  explodingGradients: { label: 'Exploding gradients', symbol: '⚡', color: '#ea580c' },
};

/** One marker line: every event that falls at the same x, in the order they happened. */
export interface Marker {
  x: number;
  /** Indexes into the run's events array. */
  indexes: number[];
  kinds: TrainEventKind[];
  /** The sentences, one per event, for the hover text. */
  text: string;
  /** The accessible name: "Epoch 6: Overfitting begins. …". */
  ariaLabel: string;
  color: string;
  symbol: string;
}

/** The step of the last batch of each 0-based epoch present in `batchPoints`. */
function lastStepByEpoch(batchPoints: readonly BatchLog[]): Map<number, number> {
  const last = new Map<number, number>();
  for (let i = 0; i < batchPoints.length; i++) {
    const p = batchPoints[i]!;
    const next = batchPoints[i + 1];
    if (!next || next.epoch !== p.epoch) last.set(p.epoch, Math.max(last.get(p.epoch) ?? -Infinity, p.step));
  }
  return last;
}

/**
 * Markers for `events` on the epoch axis (x = the 1-based epoch) or the batch axis (x = the
 * event's step, or the last batch of its epoch; events whose batches are not there yet are
 * left out). Events at the same x share one marker, drawn in the style of its most
 * important kind (a checkpoint never hides an overfitting onset or an early stop).
 */
export function toMarkers(
  events: readonly TrainEvent[],
  scale: ChartScale,
  batchPoints: readonly BatchLog[] = [],
): Marker[] {
  if (events.length === 0) return [];
  const steps = scale === 'batch' && events.some((e) => e.step === undefined) ? lastStepByEpoch(batchPoints) : null;
  const byX = new Map<number, Marker>();
  events.forEach((e, i) => {
    const x = scale === 'epoch' ? e.epoch : (e.step ?? steps?.get(e.epoch - 1));
    if (x === undefined || !Number.isFinite(x)) return;
    const style = EVENT_STYLES[e.kind] ?? EVENT_STYLES.storage;
    const line = `${style.label}: ${e.message}`;
    const m = byX.get(x);
    if (m) {
      m.indexes.push(i);
      m.kinds.push(e.kind);
      const lead = EVENT_STYLES[m.kinds[leadIndex(m)]!] ?? EVENT_STYLES.storage;
      m.color = lead.color;
      m.symbol = lead.symbol;
      m.text += `\n${line}`;
      m.ariaLabel += ` ${line}`;
    } else {
      byX.set(x, {
        x,
        indexes: [i],
        kinds: [e.kind],
        text: line,
        ariaLabel: `Epoch ${e.epoch}: ${line}`,
        color: style.color,
        symbol: style.symbol,
      });
    }
  });
  return [...byX.values()].sort((a, b) => a.x - b.x);
}

/** Which kind a shared marker shows, most important first. */
const PRIORITY: TrainEventKind[] = [
  'nan',
  'divergence',
  'explodingGradients',
  'notLearning',
  'lossSpike',
  'overfitting',
  'earlyStop',
  'restoredBest',
  'bestEpoch',
  'lrReduced',
  'resumed',
  'storage',
  'checkpoint',
];

/** The index in `m.kinds` of the kind the marker is drawn as. */
function leadIndex(m: Marker): number {
  let best = 0;
  m.kinds.forEach((k, j) => {
    if (PRIORITY.indexOf(k) < PRIORITY.indexOf(m.kinds[best]!)) best = j;
  });
  return best;
}

/** An epoch row with its generalization gap: val − train for loss, train − val for accuracy (points). */
export interface GapRow extends EpochRow {
  gap_loss: number | null;
  gap_acc: number | null;
}

export function withGap(rows: readonly EpochRow[]): GapRow[] {
  const v = (x: number | null) => x ?? undefined;
  return rows.map((r) => {
    const gap = generalizationGap({ loss: v(r.loss), val_loss: v(r.val_loss), acc: v(r.acc), val_acc: v(r.val_acc) });
    return { ...r, gap_loss: gap.loss, gap_acc: gap.acc };
  });
}

/** One line of the events list: an event, or all the run's checkpoint events in one. */
export interface EventListItem {
  kind: TrainEventKind;
  /** "Epoch 6", or "Epochs 1–9" for the checkpoints. */
  epochText: string;
  label: string;
  message: string;
  /** Indexes into the run's events array (the markers this line highlights). */
  indexes: number[];
}

/**
 * The events list: events by epoch (arrival order within an epoch: a checkpoint's event
 * arrives when its write finishes, which can be after the run's last events), except that
 * checkpoints, routine and often one per epoch, share one line at the end, so the best epoch,
 * the overfitting onset and the early stop are not buried among them.
 */
export function eventListItems(events: readonly TrainEvent[]): EventListItem[] {
  const ordered = events.map((e, i) => ({ e, i })).sort((a, b) => a.e.epoch - b.e.epoch || a.i - b.i);
  const items: EventListItem[] = [];
  const saved = ordered.filter(({ e }) => e.kind === 'checkpoint');
  for (const { e, i } of ordered) {
    if (e.kind === 'checkpoint') continue;
    const style = EVENT_STYLES[e.kind] ?? EVENT_STYLES.storage;
    items.push({ kind: e.kind, epochText: `Epoch ${e.epoch}`, label: style.label, message: e.message, indexes: [i] });
  }
  if (saved.length === 1) {
    const { e, i } = saved[0]!;
    items.push({ kind: 'checkpoint', epochText: `Epoch ${e.epoch}`, label: EVENT_STYLES.checkpoint.label, message: e.message, indexes: [i] });
  } else if (saved.length > 1) {
    const first = saved[0]!.e.epoch;
    const last = saved.at(-1)!.e.epoch;
    items.push({
      kind: 'checkpoint',
      epochText: first === last ? `Epoch ${first}` : `Epochs ${first}–${last}`,
      label: `${saved.length} checkpoints saved`,
      message: `The latest: ${saved.at(-1)!.e.message}`,
      indexes: saved.map(({ i }) => i),
    });
  }
  return items;
}
