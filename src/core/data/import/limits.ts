/**
 * The limits an import enforces, stated once so the UI can show them and every check uses the
 * same numbers. They keep a browser tab responsive: a dataset lives in memory (uint8 pixels)
 * while training, and every source file is read whole.
 */
import { formatBytes, formatCount } from '../../format';

export const IMPORT_LIMITS = {
  /** Images in one dataset (train + test). CIFAR-10 (60,000) fits. */
  maxImages: 60_000,
  /** Largest side of a source image, in pixels; checked from the file header before decoding. */
  maxSide: 8192,
  /** Largest source image area, in pixels (e.g. 6000×4000 = 24 MP). */
  maxPixels: 40_000_000,
  // Sizes in decimal units (64 MB = 64,000,000 bytes), as core/format writes them, so every
  // message states a limit as the round number it is.
  /** Bytes of one source file (image, index, archive member). */
  maxFileBytes: 64_000_000,
  /** Files in a zip or tar archive. */
  maxArchiveEntries: 100_000,
  /** Total uncompressed bytes of an archive, read from its headers before inflating. */
  maxArchiveBytes: 512_000_000,
  /** Rows in a CSV or JSON index. */
  maxIndexRows: 60_000,
  /** Total pixel bytes of the imported dataset (count × size × size × channels). */
  maxDatasetBytes: 400_000_000,
  /** Distinct classes. */
  maxClasses: 1000,
} as const;

/** A .tar.gz unpacks to at most what an import reads from any archive (see core/data/gzip). */
export const IMPORT_GUNZIP_LIMIT = {
  maxBytes: IMPORT_LIMITS.maxArchiveBytes,
  tooLarge: 'the most an import reads. If it is genuine, unpack it and import a smaller part of it.',
} as const;

/** Output sizes the import offers (square images). */
export const IMPORT_SIZES = [16, 28, 32, 48, 64] as const;


/** The limits in one sentence for the import panel. */
export function describeLimits(): string {
  const L = IMPORT_LIMITS;
  return (
    `Up to ${formatCount(L.maxImages)} images and ${L.maxClasses} classes; each image at most ` +
    `${formatCount(L.maxSide)} pixels on a side and ${L.maxPixels / 1e6} megapixels; archives up to ` +
    `${formatBytes(L.maxArchiveBytes)} unpacked.`
  );
}
