/**
 * Reader for the IDX format of MNIST and Fashion-MNIST: a big-endian header (magic number,
 * then one uint32 per dimension) followed by raw uint8 data.
 */
import { isGzip } from './gzip';
import { DataFormatError } from './types';
import { formatCount } from '../format';

/** Magic number of an IDX file of uint8 with 3 dimensions (count, rows, cols): images. */
export const IDX_IMAGES_MAGIC = 0x00000803;
/** Magic number of an IDX file of uint8 with 1 dimension (count): labels. */
export const IDX_LABELS_MAGIC = 0x00000801;

/** Images read from an IDX file; `pixels` is count×rows×cols uint8, row-major, one channel. */
export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  /** A view into the input buffer (no copy); 0 = background, 255 = full ink. */
  pixels: Uint8Array;
}

const hex32 = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
const subject = (fileName?: string): string => (fileName ? `The file ${fileName}` : 'The data');

const IDX_TYPES: Record<number, string> = {
  0x08: 'unsigned bytes',
  0x09: 'signed bytes',
  0x0b: '16-bit integers',
  0x0c: '32-bit integers',
  0x0d: '32-bit floats',
  0x0e: '64-bit floats',
};

/** Explains a magic number in words, so the learner sees what kind of file they gave. */
function describeMagic(magic: number): string {
  if (magic === IDX_IMAGES_MAGIC) return 'an IDX images file';
  if (magic === IDX_LABELS_MAGIC) return 'an IDX labels file';
  const type = IDX_TYPES[(magic >>> 8) & 0xff];
  if (magic >>> 16 === 0 && type) {
    return `an IDX file of ${type} with ${magic & 0xff} dimension(s)`;
  }
  return 'not an IDX file';
}

function checkMagic(bytes: Uint8Array, expected: number, what: string, fileName?: string): void {
  const who = subject(fileName);
  if (isGzip(bytes)) {
    throw new DataFormatError(
      `${who} is still gzip-compressed (it starts with 1f 8b), so it cannot be read as ${what} yet. ` +
        `Decompress it first (the app does this itself for .gz downloads).`,
    );
  }
  if (bytes.length < 4) {
    throw new DataFormatError(
      `${who} is too short to be ${what}: it has ${formatCount(bytes.length)} byte(s), but even the header needs more. ` +
        `The file is probably empty or cut off; download it again.`,
    );
  }
  const magic = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, false);
  if (magic !== expected) {
    let hint = 'Check that you picked the right file.';
    if (magic === IDX_LABELS_MAGIC) hint = 'It looks like a labels file was given where the images were expected.';
    if (magic === IDX_IMAGES_MAGIC) hint = 'It looks like an images file was given where the labels were expected.';
    throw new DataFormatError(
      `${who} is not ${what}: it starts with the magic number ${hex32(magic)} (${describeMagic(magic)}), ` +
        `but ${what} starts with ${hex32(expected)}. ${hint}`,
    );
  }
}

function readHeader(bytes: Uint8Array, words: number, what: string, fileName?: string): number[] {
  const headerBytes = 4 * (1 + words);
  if (bytes.length < headerBytes) {
    throw new DataFormatError(
      `${subject(fileName)} is too short to be ${what}: the header alone needs ${headerBytes} bytes, ` +
        `but the file has only ${formatCount(bytes.length)}. The file is cut off; download it again.`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: words }, (_, i) => view.getUint32(4 * (1 + i), false));
}

/**
 * Parses an uncompressed IDX images file (magic 0x00000803). Bytes after the promised data
 * are ignored. `fileName` only improves error messages.
 */
export function parseIdxImages(bytes: Uint8Array, fileName?: string): IdxImages {
  const what = 'an IDX images file';
  checkMagic(bytes, IDX_IMAGES_MAGIC, what, fileName);
  const [count, rows, cols] = readHeader(bytes, 3, what, fileName);
  if (rows === 0 || cols === 0) {
    throw new DataFormatError(
      `${subject(fileName)} claims images of ${rows}×${cols} pixels, which is impossible. ` +
        `The header is damaged; download the file again.`,
    );
  }
  const need = count * rows * cols;
  const have = bytes.length - 16;
  if (have < need) {
    throw new DataFormatError(
      `${subject(fileName)} is truncated: its header promises ${formatCount(count)} images of ${rows}×${cols} pixels ` +
        `(${formatCount(need)} bytes) but only ${formatCount(have)} bytes follow. Download it again.`,
    );
  }
  return { count, rows, cols, pixels: bytes.subarray(16, 16 + need) };
}

/**
 * Parses an uncompressed IDX labels file (magic 0x00000801) into one class index per example.
 * Bytes after the promised data are ignored. `fileName` only improves error messages.
 */
export function parseIdxLabels(bytes: Uint8Array, fileName?: string): Int32Array {
  const what = 'an IDX labels file';
  checkMagic(bytes, IDX_LABELS_MAGIC, what, fileName);
  const [count] = readHeader(bytes, 1, what, fileName);
  const have = bytes.length - 8;
  if (have < count) {
    throw new DataFormatError(
      `${subject(fileName)} is truncated: its header promises ${formatCount(count)} labels (one byte each) ` +
        `but only ${formatCount(have)} bytes follow. Download it again.`,
    );
  }
  return Int32Array.from(bytes.subarray(8, 8 + count));
}
