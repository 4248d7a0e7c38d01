/**
 * The one-sentence reading under the Layers chart: what the latest per-layer gradients say
 * (vanishing, growing toward the input, exploding, healthy) and whether a layer's units are
 * mostly dead. Pure, so the UI computes it from the numbers it holds.
 */

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** "10⁷" for 7, "10⁻³" for -3. */
export function powerOfTen(exponent: number): string {
  const e = Math.round(exponent);
  const digits = String(Math.abs(e)).split('').map((d) => SUPERSCRIPT[Number(d)]).join('');
  return `10${e < 0 ? '⁻' : ''}${digits}`;
}

/** A gradient size for a sentence: 1.2e-11 → "1.2×10⁻¹¹", 0.05 → "0.05". */
export function formatSize(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const e = Math.floor(Math.log10(Math.abs(v)));
  if (e >= -2 && e < 3) return String(Number(v.toPrecision(2)));
  const m = v / 10 ** e;
  return `${Number(m.toFixed(1))}×${powerOfTen(e)}`;
}

export interface ReadingInput {
  /** Layer names, input to output. */
  names: readonly string[];
  /** Latest gradient RMS per layer. */
  gradRms: ArrayLike<number>;
  /** Latest share of zero outputs per layer (0..1), or absent. */
  actZero?: ArrayLike<number>;
  /**
   * Each row's layer class ("Dense", "BatchNormalization"…), or absent (all weight layers). A
   * BatchNormalization row measures its scale (gamma), which sits beside the kernels but is
   * not one: the sentences compare the kernels only, so a BN first or last in the stack does
   * not stand in for "the first layer" or "the output", and its outputs (normalized, never
   * exactly 0) are not ReLU units.
   */
  kinds?: readonly string[];
}

/** The class of a row that measures a BatchNormalization layer's gamma (core/inspect/probe). */
export const BATCH_NORM = 'BatchNormalization';

/** Below this everywhere, the loss barely depends on any weight. */
const TINY = 1e-6;
/** A ratio between first layer and output beyond this (either way) is worth a sentence. */
const SPREAD = 1e3;
/** A layer with this share of zero outputs has mostly dead units. */
const DEAD = 0.9;

/** The reading, or null with no layers. */
export function layersReading({ names, gradRms, actZero, kinds }: ReadingInput): string | null {
  const n = gradRms.length;
  if (n === 0) return null;
  const values = Array.from(gradRms);
  // Any row blown up, BatchNormalization too, is the news.
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    return `The gradients of ${names[bad] ?? 'a layer'} are no longer numbers (NaN or ∞): the weights blew up. Lower the learning rate and train again.`;
  }
  let rows = values.map((_, i) => i);
  if (kinds) {
    const kernels = rows.filter((i) => kinds[i] !== BATCH_NORM);
    if (kernels.length > 0) rows = kernels;
  }
  const main = gradientSentence(rows.map((i) => values[i]!));
  const dead = actZero ? deadSentence(rows.map((i) => names[i] ?? ''), rows.map((i) => actZero[i] ?? 0)) : '';
  return dead ? `${main} ${dead}` : main;
}

function gradientSentence(g: number[]): string {
  const n = g.length;
  const first = g[0]!;
  const last = g[n - 1]!;
  if (n === 1) return `One weight layer: its gradient RMS is ${formatSize(first)}.`;
  const largest = Math.max(...g);
  if (largest < TINY) {
    return (
      `Every gradient is tiny (at most ${formatSize(largest)}): the loss hardly depends on any weight yet, because the signal ` +
      'fades on its way through the layers — vanishing gradients.'
    );
  }
  if (first > 0 && last / first >= SPREAD) {
    return (
      `Gradients at the first layers are ${powerOfTen(Math.log10(last / first))} times smaller than at the output: ` +
      'the first layers barely learn — vanishing gradients. BatchNormalization after each Dense layer (or fewer layers) helps.'
    );
  }
  if (first === 0) return 'The first layer gets no gradient at all: it does not learn — vanishing gradients.';
  if (last > 0 && first / last >= SPREAD) {
    return (
      `Gradients grow toward the input: ${powerOfTen(Math.log10(first / last))} times larger at the first layer than at the output. ` +
      'Adam scales each step, so every layer still learns; with plain SGD the first layers could overshoot.'
    );
  }
  const ratio = Math.max(first, last) / Math.max(Math.min(first, last), Number.MIN_VALUE);
  return `Gradients stay within a factor of ${ratio < 10 ? ratio.toFixed(1) : Math.round(ratio)} from the first layer to the output: every layer is learning.`;
}

function deadSentence(names: readonly string[], zero: number[]): string {
  let worst = -1;
  zero.forEach((z, i) => {
    if (z >= DEAD && (worst < 0 || z > zero[worst]!)) worst = i;
  });
  if (worst < 0) return '';
  const count = zero.filter((z) => z >= DEAD).length;
  const others = count > 1 ? ` (and ${count - 1} other layer${count > 2 ? 's' : ''})` : '';
  return `${Math.round(zero[worst]! * 100)}% of the outputs of ${names[worst] || 'a layer'}${others} are zero: most of its ReLU units are dead.`;
}
