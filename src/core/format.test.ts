import { describe, expect, it } from 'vitest';
import { formatBytes, formatBytesCompared, formatCount, formatExactBytes, formatLarge, formatNumber } from './format';

describe('formatBytes', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [999, '999 bytes'],
    [999.6, '1.0 kB'],
    [1000, '1.0 kB'],
    [870_000, '870 kB'],
    [999_700, '1.0 MB'],
    [2_100_000, '2.1 MB'],
    [9_960_000, '10 MB'],
    [12_345_678, '12 MB'],
    [400_000_000, '400 MB'],
    [3.5e9, '3.5 GB'],
    [2e15, '2000 TB'],
    [-1, '? bytes'],
    [NaN, '? bytes'],
  ])('%d -> %s', (n, s) => expect(formatBytes(n)).toBe(s));
});

describe('formatBytesCompared', () => {
  it('keeps the rounded figures when they differ', () => {
    expect(formatBytesCompared(1_200_000, 2_700_000)).toEqual({ a: '1.2 MB', b: '2.7 MB', exact: false });
  });

  it('gives exact bytes when the rounded figures would read the same', () => {
    expect(formatBytesCompared(2_700_000, 2_700_100)).toEqual({ a: '2,700,000 bytes', b: '2,700,100 bytes', exact: true });
  });

  it('does not spell out equal sizes', () => {
    expect(formatBytesCompared(5_000, 5_000)).toEqual({ a: '5.0 kB', b: '5.0 kB', exact: false });
  });
});

describe('counts', () => {
  it.each([
    [0, '0'],
    [1_199_882, '1,199,882'],
    [2.6, '3'],
  ])('formatCount(%d) -> %s', (n, s) => expect(formatCount(n)).toBe(s));

  it.each([
    [5_400, '5,400'],
    [48_000_000, '48 million'],
    [3.1e9, '3.1 billion'],
    [2e13, '20 trillion'],
  ])('formatLarge(%d) -> %s', (n, s) => expect(formatLarge(n)).toBe(s));

  it('formatNumber keeps decimals', () => {
    expect([formatNumber(1000), formatNumber(0.05), formatNumber(1234.5)]).toEqual(['1,000', '0.05', '1,234.5']);
  });

  it('formatExactBytes says byte or bytes', () => {
    expect([formatExactBytes(1), formatExactBytes(31_399)]).toEqual(['1 byte', '31,399 bytes']);
  });
});
