/**
 * Shapes of the data the core trains on. Pixels stay uint8 (0..255) until preprocessing
 * turns the selected examples into float32, so a 60,000-image dataset costs 47 MB, not 188.
 */

/** Height, width, channels of one image. */
export type ImageShape = [height: number, width: number, channels: number];

/** A set of images with integer labels. `images` is row-major HWC, image after image. */
export interface ImageSet {
  images: Uint8Array;
  /** Class index per image, 0 .. classNames.length-1. */
  labels: Int32Array;
  count: number;
}

/** A dataset with its official train/test split. */
export interface Dataset {
  id: string;
  name: string;
  shape: ImageShape;
  classNames: string[];
  train: ImageSet;
  test: ImageSet;
}

/** Thrown for input data that cannot be read; `message` is written for a learner. */
export class DataFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataFormatError';
  }
}
