/**
 * Archives: zip (through fflate) and tar, both read whole from memory with their limits
 * checked from the headers before anything is inflated, so a zip bomb is refused, not run.
 */
import { DataFormatError } from '../types';
import { formatBytes, formatBytesCompared, formatCount } from '../../format';
import { IMPORT_LIMITS } from './limits';
import { readZipDirectory, readZipMember } from './zip';

export interface ArchiveEntry {
  path: string;
  bytes: Uint8Array;
}


/**
 * The files of a zip whose names pass `keep`. Every size is read from the central directory
 * (zip64 included, see ./zip) and checked before anything is inflated: archives that declare
 * more files or more uncompressed bytes than the limits, or that compress like a zip bomb,
 * are refused; each member is inflated into a buffer of its declared size, so a member that
 * lies about its size cannot grow past it.
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
  const dir = readZipDirectory(bytes, fileName);
  const kept = dir.members.filter((m) => !m.name.endsWith('/') && keep(m.name));
  if (kept.length > limits.maxEntries) {
    throw new DataFormatError(
      `The archive ${fileName} holds more than ${formatCount(limits.maxEntries)} files, the most an import reads. ` +
        'Import a smaller part of it.',
    );
  }
  // The size refused and its limit side by side, exact where rounding would make them read the same.
  const limitText = (file: string, archive: string) =>
    `an import reads files of up to ${file} and archives of up to ${archive} unpacked, to keep the tab responsive`;
  const zip64Note = dir.zip64 ? ' (It is a zip64 archive, the zip format for very large files: the format is fine, the sizes are not.)' : '';
  const advice = 'If the archive is genuine, unpack it and import a smaller folder of its images, or zip a part of them.';
  const big = kept.find((m) => m.size > limits.maxFileBytes);
  if (big) {
    const sizes = formatBytesCompared(big.size, limits.maxFileBytes);
    throw new DataFormatError(
      `The archive ${fileName} holds a file of ${sizes.a} (${big.name.slice(0, 60)}), and ${limitText(sizes.b, formatBytes(limits.maxBytes))}. ${advice}${zip64Note}`,
    );
  }
  const total = kept.reduce((n, m) => n + m.size, 0);
  if (total > limits.maxBytes) {
    const sizes = formatBytesCompared(total, limits.maxBytes);
    throw new DataFormatError(
      `The archive ${fileName} would unpack to ${sizes.a} in all (${formatCount(kept.length)} files), and ${limitText(formatBytes(limits.maxFileBytes), sizes.b)}. ${advice}${zip64Note}`,
    );
  }
  const bomb = kept.find((m) => m.size > 1024 * 1024 && m.size / Math.max(1, m.compressedSize) > 200);
  if (bomb) {
    throw new DataFormatError(
      `The archive ${fileName} would unpack ${bomb.name.slice(0, 60)} to ${formatBytes(bomb.size)} from ${formatBytes(bomb.compressedSize)}, ` +
        `compressed ${Math.round(bomb.size / Math.max(1, bomb.compressedSize))} to 1 as zip bombs are (images barely compress). ` +
        'Imports stop there to keep the tab responsive. If the archive is genuine, unpack it and import the folder.',
    );
  }
  return kept.map((m) => ({ path: m.name, bytes: readZipMember(bytes, m, fileName) }));
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
      throw new DataFormatError(`The archive ${fileName} holds more than ${formatCount(IMPORT_LIMITS.maxArchiveEntries)} files. Import a smaller part of it.`);
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
