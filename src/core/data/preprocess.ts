/**
 * Turns uint8 pixels into the float32 inputs a model sees. Only the selected examples are
 * converted, so the full dataset can stay in uint8 (a quarter of the memory).
 */

/** Id of a preprocessing method. */
export type PreprocessingId = 'raw' | 'normalize' | 'center' | 'standardize';

/** What the UI shows for a preprocessing method. */
export interface PreprocessingInfo {
  id: PreprocessingId;
  label: string;
  /** One sentence for a learner: what the inputs look like afterwards. */
  description: string;
}

/** The preprocessing methods, keyed by id, in the order a menu should list them. */
export const PREPROCESSING: Readonly<Record<PreprocessingId, PreprocessingInfo>> = {
  raw: {
    id: 'raw',
    label: 'Raw pixels',
    description: 'Pixel values 0..255 as they are, which makes early training unstable with most initializations.',
  },
  normalize: {
    id: 'normalize',
    label: 'Normalize to [0, 1]',
    description: 'Each pixel divided by 255, so inputs lie in [0, 1].',
  },
  center: {
    id: 'center',
    label: 'Center to [-1, 1]',
    description: 'Each pixel divided by 127.5 minus 1, so inputs lie in [-1, 1] around zero.',
  },
  standardize: {
    id: 'standardize',
    label: 'Standardize',
    description:
      'Subtract the mean and divide by the standard deviation, both measured on the training split only, so training inputs have mean 0 and standard deviation 1.',
  },
};

/** Mean and standard deviation of pixel values, in pixel units (0..255 scale). */
export interface PixelStats {
  mean: number;
  std: number;
}

/**
 * Smallest standard deviation `computeStats` reports and `preprocess` divides by: a set of
 * identical images has std 0, and dividing by it would turn every input into NaN.
 */
export const MIN_STD = 1e-6;

function checkGather(images: Uint8Array, pixelsPerImage: number, indices: Int32Array): void {
  if (!Number.isInteger(pixelsPerImage) || pixelsPerImage < 1) {
    throw new RangeError(`pixelsPerImage must be a positive integer, got ${pixelsPerImage}.`);
  }
  const available = Math.floor(images.length / pixelsPerImage);
  for (let i = 0; i < indices.length; i++) {
    const idx = indices[i];
    if (idx < 0 || idx >= available) {
      throw new RangeError(`Image index ${idx} (position ${i}) is outside the ${available} images available.`);
    }
  }
}

/**
 * One scalar mean and (population) standard deviation over every pixel of the images at
 * `indices`; compute it on the training split only, so no information leaks from validation
 * or test data. `std` is at least `MIN_STD`.
 */
export function computeStats(images: Uint8Array, pixelsPerImage: number, indices: Int32Array): PixelStats {
  checkGather(images, pixelsPerImage, indices);
  if (indices.length === 0) {
    throw new Error('Cannot compute pixel statistics of zero images: select at least one training image.');
  }
  // Pixels are integers, so both sums stay exact in float64 up to 2^53 (about 138 million
  // images of 784 pixels): the one-pass variance loses nothing to cancellation here.
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < indices.length; i++) {
    const start = indices[i] * pixelsPerImage;
    const end = start + pixelsPerImage;
    for (let p = start; p < end; p++) {
      const v = images[p];
      sum += v;
      sumSq += v * v;
    }
  }
  const n = indices.length * pixelsPerImage;
  const mean = sum / n;
  const variance = Math.max(0, sumSq / n - mean * mean);
  return { mean, std: Math.max(Math.sqrt(variance), MIN_STD) };
}

/**
 * Gathers the images at `indices`, in that order, into one float32 array of
 * `indices.length × pixelsPerImage` values (same HWC layout), scaled by `method`.
 * `standardize` needs `stats` from `computeStats` on the training split; the other methods
 * ignore `stats`.
 */
export function preprocess(
  images: Uint8Array,
  pixelsPerImage: number,
  indices: Int32Array,
  method: PreprocessingId,
  stats?: PixelStats,
): Float32Array {
  checkGather(images, pixelsPerImage, indices);
  // Only 256 possible inputs: a lookup table makes every method one load per pixel.
  const table = new Float32Array(256);
  switch (method) {
    case 'raw':
      for (let v = 0; v < 256; v++) table[v] = v;
      break;
    case 'normalize':
      for (let v = 0; v < 256; v++) table[v] = v / 255;
      break;
    case 'center':
      for (let v = 0; v < 256; v++) table[v] = v / 127.5 - 1;
      break;
    case 'standardize': {
      if (!stats || !Number.isFinite(stats.mean) || !Number.isFinite(stats.std)) {
        throw new Error(
          'Standardizing needs the mean and standard deviation of the training pixels: call computeStats on the training split and pass its result.',
        );
      }
      const std = Math.max(stats.std, MIN_STD);
      for (let v = 0; v < 256; v++) table[v] = (v - stats.mean) / std;
      break;
    }
    default:
      throw new Error(`Unknown preprocessing "${String(method)}"; use one of ${Object.keys(PREPROCESSING).join(', ')}.`);
  }
  const out = new Float32Array(indices.length * pixelsPerImage);
  for (let i = 0; i < indices.length; i++) {
    const start = indices[i] * pixelsPerImage;
    const base = i * pixelsPerImage;
    for (let p = 0; p < pixelsPerImage; p++) out[base + p] = table[images[start + p]];
  }
  return out;
}
