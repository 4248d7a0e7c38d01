import type { EpochRow } from './series';

/**
 * A chart in words, for screen readers (the plot itself is an image): how many epochs, the last
 * epoch's training and validation values, and the best validation epoch. Accuracy rows are in
 * percent, as the chart draws them.
 */
export function chartSummary(metric: 'loss' | 'acc', rows: readonly EpochRow[], validation: boolean): string {
  const name = metric === 'loss' ? 'Loss' : 'Accuracy';
  const done = rows.filter((r) => r[metric] !== null);
  if (done.length === 0) return `${name}: no epoch finished yet.`;
  const fmt = (v: number) => (metric === 'loss' ? v.toFixed(4) : `${v.toFixed(1)}%`);
  const last = done.at(-1)!;
  const valKey = metric === 'loss' ? 'val_loss' : 'val_acc';
  let text = `${name} after ${done.length} epoch${done.length === 1 ? '' : 's'}: training ${fmt(last[metric]!)}`;
  const vals = validation ? done.filter((r) => r[valKey] !== null) : [];
  if (vals.length > 0) {
    text += `, validation ${fmt(last[valKey] ?? vals.at(-1)![valKey]!)}`;
    const best = vals.reduce((b, r) => ((metric === 'loss' ? r[valKey]! < b[valKey]! : r[valKey]! > b[valKey]!) ? r : b));
    text += `; best validation ${fmt(best[valKey]!)} at epoch ${best.epoch}`;
  }
  const first = done[0]![metric]!;
  text += `. It started at ${fmt(first)}.`;
  return text;
}
