/**
 * Gzip detection and inflation with the platform's own `DecompressionStream`, which browsers,
 * Web Workers and Node 20 all provide, so the app ships no inflate library.
 */
import { DataFormatError } from './types';

/** True when `bytes` starts with the gzip magic number 0x1f 0x8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function subject(fileName?: string): string {
  return fileName ? `The file ${fileName}` : 'The data';
}

/**
 * Inflates a gzip stream (concatenated members are joined). A corrupt or truncated stream
 * becomes a `DataFormatError`; `fileName` only improves the message.
 */
export async function gunzip(bytes: Uint8Array, fileName?: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) {
    throw new DataFormatError(
      `${subject(fileName)} is not gzip-compressed: gzip data starts with the bytes 1f 8b, ` +
        `but it starts with ${hexPrefix(bytes)}. Use the file as it is, or download it again if it should be a .gz file.`,
    );
  }
  const input = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    // The DOM typings want ArrayBuffer-backed chunks; ours may sit on any ArrayBufferLike.
    const reader = input
      .pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>)
      .getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
    }
  } catch (err) {
    const detail = err instanceof Error && err.message ? ` (${err.message})` : '';
    throw new DataFormatError(
      `${subject(fileName)} could not be decompressed: it starts like gzip data, but the compressed ` +
        `stream is damaged or cut off${detail}. This usually means an interrupted download; download it again.`,
    );
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/**
 * Inflates `bytes` only if they start with the gzip magic number, otherwise returns them
 * unchanged. Never decide by the file name: a server that sends a `.gz` file with
 * `Content-Encoding: gzip` makes the browser hand over the already inflated body.
 */
export async function maybeGunzip(bytes: Uint8Array, fileName?: string): Promise<Uint8Array> {
  return isGzip(bytes) ? gunzip(bytes, fileName) : bytes;
}

function hexPrefix(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'nothing (it is empty)';
  return Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
}
