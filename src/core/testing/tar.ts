/**
 * Test helper (never imported by the app; unit tests and e2e/import.spec use it): a tar
 * archive in memory, to build the CIFAR-format and other archives that the import's readTar
 * (core/data/import/archive) reads.
 */
import type { ArchiveEntry } from '../data/import/archive';

/** A ustar archive of `files`, in order, closed by the two empty blocks tar expects. */
export function writeTar(files: ArchiveEntry[]): Uint8Array {
  const enc = new TextEncoder();
  const blocks: Uint8Array[] = [];
  for (const f of files) {
    const h = new Uint8Array(512);
    h.set(enc.encode(f.path.slice(0, 100)), 0);
    h.set(enc.encode('0000644\0'), 100);
    h.set(enc.encode('0000000\0'), 108);
    h.set(enc.encode('0000000\0'), 116);
    h.set(enc.encode(`${f.bytes.length.toString(8).padStart(11, '0')}\0`), 124);
    h.set(enc.encode('00000000000\0'), 136);
    h[156] = 0x30;
    h.set(enc.encode('ustar\0'), 257);
    h.set(enc.encode('00'), 263);
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    h.set(enc.encode(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
    blocks.push(h);
    const body = new Uint8Array(Math.ceil(f.bytes.length / 512) * 512);
    body.set(f.bytes);
    blocks.push(body);
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((s, b) => s + b.length, 0));
  let o = 0;
  for (const b of blocks) {
    out.set(b, o);
    o += b.length;
  }
  return out;
}
