/**
 * Archives: zip (through fflate) and tar, both read whole from memory with their limits
 * checked from the headers before anything is inflated, so a zip bomb is refused, not run.
 */
import { Gunzip, unzipSync } from 'fflate';
import { DataFormatError } from '../types';
import { fmt, IMPORT_LIMITS, mb } from './limits';

export interface ArchiveEntry {
  path: string;
  bytes: Uint8Array;
}


/**
 * The files of a zip whose names pass `keep`. Refuses archives that declare more files or
 * more uncompressed bytes than the limits; fflate inflates each member into a buffer of its
 * declared size, so a member that lies about its size cannot grow past it.
 */
export function readZip(
  bytes: Uint8Array,
  fileName: string,
  keep: (path: string) => boolean,
  limits: { maxEntries: number; maxBytes: number; maxFileBytes: number } = {
    maxEntries: IMPORT_LIMITS.maxArchiveEntries,
    maxBytes: IMPORT_LIMITS.maxArchiveBytes,
    maxFileBytes: IMPORT_LIMITS.maxFileBytes,
  },
): ArchiveEntry[] {
  let entries = 0;
  let total = 0;
  const check = (name: string, size: number, originalSize: number) => {
    entries++;
    total += originalSize;
    if (entries > limits.maxEntries) {
      throw new DataFormatError(
        `The archive ${fileName} holds more than ${fmt(limits.maxEntries)} files, the most an import reads. ` +
          'Import a smaller part of it.',
      );
    }
    const bomb = originalSize > 1024 * 1024 && originalSize / Math.max(1, size) > 200;
    if (total > limits.maxBytes || originalSize > limits.maxFileBytes || bomb) {
      throw new DataFormatError(
        `The archive ${fileName} would unpack to ${originalSize > limits.maxFileBytes ? `a file of ${mb(originalSize)} (${name.slice(0, 60)})` : `more than ${mb(limits.maxBytes)}`}` +
          `${bomb ? `, compressed ${Math.round(originalSize / Math.max(1, size))} to 1 as zip bombs are (images barely compress)` : ''}. ` +
          `Imports stop there to keep the tab responsive (limits: ${mb(limits.maxFileBytes)} a file, ${mb(limits.maxBytes)} in all). ` +
          'If the archive is genuine, unpack it and import a smaller folder.',
      );
    }
  };
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        if (f.name.endsWith('/') || !keep(f.name)) return false;
        check(f.name, f.size, f.originalSize);
        return true;
      },
    });
  } catch (err) {
    if (err instanceof DataFormatError) throw err;
    throw new DataFormatError(
      `The file ${fileName} could not be read as a zip archive (${(err as Error).message}). ` +
        'It may be damaged or in another format; create the zip again.',
    );
  }
  return Object.entries(files).map(([path, b]) => ({ path, bytes: b }));
}

/** The regular files of a (ustar or GNU) tar archive; names longer than 100 use the ustar prefix or GNU long names. */
export function readTar(bytes: Uint8Array, fileName: string, keep: (path: string) => boolean = () => true): ArchiveEntry[] {
  const out: ArchiveEntry[] = [];
  const dec = new TextDecoder();
  const str = (o: number, n: number) => {
    const s = bytes.subarray(o, o + n);
    const end = s.indexOf(0);
    return dec.decode(end >= 0 ? s.subarray(0, end) : s);
  };
  let o = 0;
  let longName: string | null = null;
  let entries = 0;
  while (o + 512 <= bytes.length) {
    if (bytes.subarray(o, o + 512).every((b) => b === 0)) break;
    const sizeText = str(o + 124, 12).trim();
    const size = parseInt(sizeText || '0', 8);
    if (!Number.isFinite(size) || size < 0 || !/^[0-7]*$/.test(sizeText)) {
      throw new DataFormatError(`The file ${fileName} is not a valid tar archive (a header at byte ${o} is damaged). Download it again.`);
    }
    const type = String.fromCharCode(bytes[o + 156]!);
    const prefix = str(o + 257, 6).startsWith('ustar') ? str(o + 345, 155) : '';
    let name = longName ?? (prefix ? `${prefix}/${str(o, 100)}` : str(o, 100));
    longName = null;
    const data = o + 512;
    if (data + size > bytes.length) {
      throw new DataFormatError(`The archive ${fileName} is cut short (the file ${name.slice(0, 60)} is incomplete). Download it again.`);
    }
    if (++entries > IMPORT_LIMITS.maxArchiveEntries) {
      throw new DataFormatError(`The archive ${fileName} holds more than ${fmt(IMPORT_LIMITS.maxArchiveEntries)} files. Import a smaller part of it.`);
    }
    if (type === 'L') longName = str(data, size);
    else if ((type === '0' || type === '\0') && keep(name)) {
      name = name.replace(/^\.\//, '');
      out.push({ path: name, bytes: bytes.subarray(data, data + size) });
    }
    o = data + Math.ceil(size / 512) * 512;
  }
  return out;
}

/** A tar archive in memory (used by tests and fixtures to build CIFAR-format archives). */
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

/** Inflates gzip data, stopping with a message once the output passes `maxBytes` (a gzip bomb). */
export function gunzipLimited(bytes: Uint8Array, fileName: string, maxBytes: number = IMPORT_LIMITS.maxArchiveBytes): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const g = new Gunzip((chunk) => {
    total += chunk.length;
    if (total > maxBytes) {
      throw new DataFormatError(
        `The file ${fileName} unpacks to more than ${mb(maxBytes)}, the most an import reads. ` +
          'If it is genuine, unpack it and import a smaller part of it.',
      );
    }
    chunks.push(chunk);
  });
  try {
    const step = 1 << 20;
    for (let o = 0; o < bytes.length; o += step) g.push(bytes.subarray(o, o + step), o + step >= bytes.length);
  } catch (err) {
    if (err instanceof DataFormatError) throw err;
    throw new DataFormatError(`The file ${fileName} could not be unpacked as gzip (${(err as Error).message}). It may be damaged; download it again.`);
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
