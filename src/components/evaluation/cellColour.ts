/**
 * Colours of confusion-matrix cells: blue for correct (the diagonal), red for mistakes,
 * stronger for a larger share of the true class; the text is black or white, whichever has
 * the contrast (WCAG 4.5:1) on that background.
 */

const BLUE = [29, 78, 216] as const;
const RED = [185, 28, 28] as const;

/** sRGB channel to linear light. */
const lin = (c: number) => {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};

const luminance = (rgb: number[]) => 0.2126 * lin(rgb[0]!) + 0.7152 * lin(rgb[1]!) + 0.0722 * lin(rgb[2]!);
const mix = (base: readonly number[], alpha: number) => base.map((c) => Math.round(255 - alpha * (255 - c)));

/** Relative luminance of the dark text colour, #111827. */
const DARK_TEXT = luminance([17, 24, 39]);

/** Contrast the cell text keeps at least (WCAG asks 4.5:1; a margin keeps rounding safe). */
const MIN_CONTRAST = 5;

/** Background and text colour of a cell holding `share` (0..1) of its row. */
export function cellColours(share: number, diagonal: boolean): { background: string; color: string } {
  // Small shares of mistakes matter: a square root makes 1% visible, not invisible.
  let alpha = share <= 0 ? 0 : Math.min(1, diagonal ? share : 0.15 + 0.85 * Math.sqrt(share));
  const base = diagonal ? BLUE : RED;
  for (;;) {
    const rgb = mix(base, alpha);
    const l = luminance(rgb);
    const onWhite = 1.05 / (l + 0.05);
    const onBlack = (l + 0.05) / (DARK_TEXT + 0.05);
    if (onBlack >= MIN_CONTRAST) return { background: `rgb(${rgb.join(', ')})`, color: '#111827' };
    if (onWhite >= MIN_CONTRAST || alpha >= 1) return { background: `rgb(${rgb.join(', ')})`, color: '#fff' };
    alpha = Math.min(1, alpha + 0.02); // the middle tones suit neither: darken until white reads
  }
}
