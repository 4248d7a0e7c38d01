/**
 * Reading a download whole, but never more than a cap: a server that streams without a
 * Content-Length (or lies in it) once filled the tab with 800 MB. The stream is cancelled as
 * soon as the cap is passed, so at most `cap` bytes plus one chunk are ever held.
 */
import { concatBytes } from '../gzip';
import { DataFormatError } from '../types';
import { formatBytes } from '../../format';

export async function readCapped(body: ReadableStream<Uint8Array> | null, cap: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => {});
      throw new DataFormatError(`the file is larger than the limit of ${formatBytes(cap)}, so its download was stopped`);
    }
    chunks.push(value);
  }
  return concatBytes(chunks, total);
}
