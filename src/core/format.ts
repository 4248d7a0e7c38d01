/**
 * Sizes and counts as every panel and message writes them, from one place so that the
 * checkpoint list, the models list, the layer builder and the import messages agree: decimal
 * units ("870 kB", "2.1 MB", "3.5 GB", as browsers and file managers count downloads) and
 * thousands separators ("1,199,882"). Pure: no DOM, usable in the worker and in Node.
 */

// One shared formatter: Number.prototype.toLocaleString builds a new one on every call, which
// is slow where charts format hundreds of ticks and tooltips per frame.
const WHOLE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const DECIMAL = new Intl.NumberFormat('en-US');

/** A whole number with thousands separators: 1199882 -> "1,199,882" (rounded to the nearest whole). */
export function formatCount(n: number): string {
  return WHOLE.format(Math.round(n));
}

/** A number that need not be whole, with thousands separators and up to 3 decimals: 1000.5 -> "1,000.5". */
export function formatNumber(n: number): string {
  return DECIMAL.format(n);
}

/** "3.1 billion", "48 million", "5,400": large counts in words a learner reads at once. */
export function formatLarge(n: number): string {
  if (n >= 1e12) return `${(n / 1e12).toFixed(n >= 1e13 ? 0 : 1)} trillion`;
  if (n >= 1e9) return `${(n / 1e9).toFixed(n >= 1e10 ? 0 : 1)} billion`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)} million`;
  return formatCount(n);
}

const UNITS = ['kB', 'MB', 'GB', 'TB'] as const;

/** An exact size, "1 byte", "31,399 bytes": where the rounded figure would hide a difference. */
export function formatExactBytes(bytes: number): string {
  const n = Math.round(bytes);
  return `${formatCount(n)} byte${n === 1 ? '' : 's'}`;
}

/**
 * A size in decimal units: "999 bytes", "870 kB", "2.1 MB", "12 MB", "3.5 GB". One decimal
 * below 10 of a unit, whole units above, so every figure has two or three digits; a value that
 * would round to 1000 of a unit is written in the next ("1.0 MB", not "1000 kB").
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '? bytes';
  if (Math.round(bytes) < 1000) return formatExactBytes(bytes);
  let v = bytes / 1000;
  let i = 0;
  while (v >= 999.5 && i < UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v < 9.95 ? v.toFixed(1) : Math.round(v)} ${UNITS[i]}`;
}

/**
 * Two sizes a message compares ("holds A but describes B", "A is larger than the limit of B"),
 * exact when rounding would make them read the same: a file 100 bytes short must not read
 * "holds 2.7 MB but describes 2.7 MB". `exact` says which was chosen, for a message that then
 * adds the difference.
 */
export function formatBytesCompared(a: number, b: number): { a: string; b: string; exact: boolean } {
  const ra = formatBytes(a);
  const rb = formatBytes(b);
  if (ra !== rb || Math.round(a) === Math.round(b)) return { a: ra, b: rb, exact: false };
  return { a: formatExactBytes(a), b: formatExactBytes(b), exact: true };
}
