import { describe, expect, it } from 'vitest';
import { cellColours } from './cellColour';

const lin = (c: number) => ((c / 255) <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
const lum = (css: string) => {
  const [r, g, b] = (css === '#fff' ? [255, 255, 255] : css === '#111827' ? [17, 24, 39] : css.match(/\d+/g)!.map(Number)) as number[];
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
};

describe('cellColours', () => {
  it('keeps every cell text at 4.5:1 contrast or more', () => {
    for (const diagonal of [true, false]) {
      for (let k = 0; k <= 100; k++) {
        const { background, color } = cellColours(k / 100, diagonal);
        const [a, b] = [lum(background), lum(color)].sort((x, y) => y - x);
        expect((a! + 0.05) / (b! + 0.05), `${k}% ${diagonal}`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });
});
