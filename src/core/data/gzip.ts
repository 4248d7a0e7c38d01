/**
 * Gzip detection and inflation for both readers of gzip data: the bundled datasets
 * (`gunzip`, async) and an import's .tar.gz archives (`gunzipSync`). Both stop once the output
 * passes a size cap (a gzip bomb), feed the compressed bytes in the same steps and say the same
 * things about data that is not gzip, damaged or too large. They inflate with different
 * engines on purpose:
 *
 * - `gunzip` uses the platform's own `DecompressionStream` (browsers, Web Workers, Node 20):
 *   native, so the bundled MNIST files load as fast as the browser can inflate. fflate, in
 *   JavaScript, took about twice as long for Fashion-MNIST's 26 MB of training images.
 * - `gunzipSync` uses fflate's streaming `Gunzip`, which joins the members of a gzip made of
 *   several (`cat a.gz b.gz`, bgzip, some parallel compressors): the browsers'
 *   DecompressionStream refuses those ("junk after the end of compressed data"), and an
 *   import cannot choose how a learner's archive was made. It is synchronous, as the rest of
 *   the archive reading in the import worker is.
 */
import { Gunzip } from 'fflate';
import { formatBytes } from '../format';
import { DataFormatError } from './types';

/**
 * The most bytes one gunzip unpacks unless told otherwise: far above any file the app ships
 * (MNIST's training images unpack to 47 MB) and equal to what an import reads from an archive.
 */
export const MAX_GUNZIP_BYTES = 512_000_000;

/** Compressed bytes handed to the inflater at a time, so the cap is checked as the output grows. */
const INPUT_STEP = 1 << 20;

export interface GunzipLimit {
  /** Stop with a DataFormatError once the output passes this many bytes. */
  maxBytes?: number;
  /** How the too-large message goes on after "The file x unpacks to more than 512 MB, ". */
  tooLarge?: string;
}

const DEFAULT_TOO_LARGE =
  'far more than any dataset the app ships, so it is not the file it should be. Download it again.';

/** True when `bytes` starts with the gzip magic number 0x1f 0x8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function subject(fileName?: string): string {
  return fileName ? `The file ${fileName}` : 'The data';
}

function notGzipError(bytes: Uint8Array, fileName?: string): DataFormatError {
  return new DataFormatError(
    `${subject(fileName)} is not gzip-compressed: gzip data starts with the bytes 1f 8b, ` +
      `but it starts with ${hexPrefix(bytes)}. Use the file as it is, or download it again if it should be a .gz file.`,
  );
}

function damagedError(err: unknown, fileName?: string): DataFormatError {
  const detail = err instanceof Error && err.message ? ` (${err.message})` : '';
  return new DataFormatError(
    `${subject(fileName)} could not be decompressed: it starts like gzip data, but the compressed ` +
      `stream is damaged or cut off${detail}. This usually means an interrupted download; download it again.`,
  );
}

function tooLargeError(maxBytes: number, tooLarge: string, fileName?: string): DataFormatError {
  return new DataFormatError(`${subject(fileName)} unpacks to more than ${formatBytes(maxBytes)}, ${tooLarge}`);
}

/** The chunks as one array of `total` bytes (the one itself when there is only one). */
export function concatBytes(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/**
 * Inflates a gzip stream with the platform's DecompressionStream (one member: browsers refuse
 * more, Node joins them). A corrupt or truncated stream becomes a `DataFormatError`, and so
 * does one that unpacks past `limit.maxBytes`; `fileName` only improves the messages.
 */
export async function gunzip(bytes: Uint8Array, fileName?: string, limit: GunzipLimit = {}): Promise<Uint8Array> {
  const { maxBytes = MAX_GUNZIP_BYTES, tooLarge = DEFAULT_TOO_LARGE } = limit;
  if (!isGzip(bytes)) throw notGzipError(bytes, fileName);
  // Pulled a step at a time: the stream inflates each input chunk whole before its output can
  // be read, so one chunk of all the bytes would unpack a bomb entirely before the cap is seen.
  let offset = 0;
  const input = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.subarray(offset, offset + INPUT_STEP));
      offset += INPUT_STEP;
    },
  });
  const chunks: Uint8Array[] = [];
  let total = 0;
  let over = false;
  try {
    // The DOM typings want ArrayBuffer-backed chunks; ours may sit on any ArrayBufferLike.
    const reader = input
      .pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>)
      .getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        over = true;
        await reader.cancel().catch(() => {});
        break;
      }
      chunks.push(value);
    }
  } catch (err) {
    throw damagedError(err, fileName);
  }
  if (over) throw tooLargeError(maxBytes, tooLarge, fileName);
  return concatBytes(chunks, total);
}

/**
 * Inflates gzip data synchronously with fflate, joining every member, and stops with a
 * message once the output passes `limit.maxBytes` (a gzip bomb). Messages as `gunzip`'s.
 */
export function gunzipSync(bytes: Uint8Array, fileName?: string, limit: GunzipLimit = {}): Uint8Array {
  const { maxBytes = MAX_GUNZIP_BYTES, tooLarge = DEFAULT_TOO_LARGE } = limit;
  if (!isGzip(bytes)) throw notGzipError(bytes, fileName);
  const chunks: Uint8Array[] = [];
  let total = 0;
  let over = false;
  const g = new Gunzip((chunk) => {
    if (over) return;
    total += chunk.length;
    if (total > maxBytes) over = true;
    else chunks.push(chunk);
  });
  try {
    for (let o = 0; o < bytes.length && !over; o += INPUT_STEP) g.push(bytes.subarray(o, o + INPUT_STEP), o + INPUT_STEP >= bytes.length);
  } catch (err) {
    throw damagedError(err, fileName);
  }
  if (over) throw tooLargeError(maxBytes, tooLarge, fileName);
  return concatBytes(chunks, total);
}

/**
 * Inflates `bytes` only if they start with the gzip magic number, otherwise returns them
 * unchanged. Never decide by the file name: a server that sends a `.gz` file with
 * `Content-Encoding: gzip` makes the browser hand over the already inflated body.
 */
export async function maybeGunzip(bytes: Uint8Array, fileName?: string, limit?: GunzipLimit): Promise<Uint8Array> {
  return isGzip(bytes) ? gunzip(bytes, fileName, limit) : bytes;
}

function hexPrefix(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'nothing (it is empty)';
  return Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
}
