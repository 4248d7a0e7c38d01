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

  describe('with BatchNormalization rows (their gamma gradients)', () => {
    const bnNames = ['batch_normalization_1', 'dense_2', 'batch_normalization_2', 'dense_3'];
    const kinds = ['BatchNormalization', 'Dense', 'BatchNormalization', 'Dense'];
    it('compares the first and last kernels, not a BN row at either end', () => {
      // Counting the BN first row, 1e-9 → 0.01 would read as vanishing; the kernels are 0.01 → 0.04.
      expect(layersReading({ names: bnNames, kinds, gradRms: [1e-9, 0.01, 1e-9, 0.04] })).toMatch(/^Gradients stay within a factor of 4\.0 /);
      expect(layersReading({ names: bnNames, gradRms: [1e-9, 0.01, 1e-9, 0.04] })).toMatch(/vanishing/);
      // One kernel among BN rows is one weight layer.
      expect(layersReading({ names: bnNames.slice(0, 2), kinds: kinds.slice(0, 2), gradRms: [1e-9, 0.3] })).toBe('One weight layer: its gradient RMS is 0.3.');
    });
    it('still names a BN row that blew up, and leaves BN outputs out of the dead units', () => {
      expect(layersReading({ names: bnNames, kinds, gradRms: [0.01, 0.01, Number.NaN, 0.04] })).toMatch(/^The gradients of batch_normalization_2 are no longer numbers/);
      const actZero = [0.95, 0.5, 0.99, 0];
      expect(layersReading({ names: bnNames, kinds, gradRms: [0.01, 0.01, 0.01, 0.04], actZero })).not.toMatch(/dead/);
      expect(layersReading({ names: bnNames, kinds, gradRms: [0.01, 0.01, 0.01, 0.04], actZero: [0, 0.93, 0, 0] })).toMatch(/93% of the outputs of dense_2 are zero/);
    });
    it('only BN rows: read them all', () => {
      expect(layersReading({ names: bnNames.slice(0, 1), kinds: kinds.slice(0, 1), gradRms: [0.2] })).toBe('One weight layer: its gradient RMS is 0.2.');
    });
  });
});
