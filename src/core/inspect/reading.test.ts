import { describe, expect, it } from 'vitest';
import { formatSize, layersReading, powerOfTen } from './reading';

describe('powerOfTen and formatSize', () => {
  it.each([
    [7, '10⁷'],
    [-3, '10⁻³'],
    [0, '10⁰'],
    [12.4, '10¹²'],
  ])('10^%s', (e, want) => expect(powerOfTen(e)).toBe(want));
  it.each([
    [1.2e-11, '1.2×10⁻¹¹'],
    [0.05, '0.05'],
    [250, '250'],
    [9.4e-5, '9.4×10⁻⁵'],
    [0, '0'],
    [Number.NaN, 'NaN'],
  ])('%s', (v, want) => expect(formatSize(v)).toBe(want));
});

describe('layersReading', () => {
  const names = ['dense_2', 'dense_3', 'dense_4'];
  it.each([
    { gradRms: [1.2e-11, 1.2e-10, 7.1e-4], want: /^Gradients at the first layers are 10⁸ times smaller than at the output: .*vanishing gradients/ },
    { gradRms: [250, 3, 0.05], want: /^Gradients grow toward the input: 10⁴ times larger at the first layer/ },
    { gradRms: [0.01, 0.02, 0.04], want: /^Gradients stay within a factor of 4\.0 from the first layer to the output/ },
    { gradRms: [5e-9, 4e-9, 8e-9], want: /^Every gradient is tiny \(at most 8×10⁻⁹\).*vanishing gradients/ },
    { gradRms: [0.01, Number.NaN, 0.04], want: /^The gradients of dense_3 are no longer numbers/ },
    { gradRms: [0, 0.01, 0.04], want: /^The first layer gets no gradient at all/ },
    { gradRms: [0.3], want: /^One weight layer: its gradient RMS is 0.3\.$/ },
  ])('$gradRms', ({ gradRms, want }) => {
    expect(layersReading({ names, gradRms })).toMatch(want);
  });
  it('adds dead units', () => {
    expect(layersReading({ names, gradRms: [0.01, 0.02, 0.04], actZero: [0.95, 0.5, 0.99] })).toMatch(
      / 99% of the outputs of dense_4 \(and 1 other layer\) are zero: most of its ReLU units are dead\.$/,
    );
    expect(layersReading({ names, gradRms: [0.01, 0.02, 0.04], actZero: [0.5, 0.5, 0] })).not.toMatch(/dead/);
  });
  it('is null without layers', () => expect(layersReading({ names: [], gradRms: [] })).toBeNull());
});
