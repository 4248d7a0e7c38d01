/**
 * A zip archive's central directory, read by hand so that every size is known — zip64
 * included — before anything is inflated, and every way an archive cannot be read gets its
 * own sentence (split, encrypted, an unknown compression, cut short). fflate's `unzipSync`
 * read a member's zip64 sizes only when the archive also had a zip64 end record, so a 2 GiB
 * member of an archive without one was reported as "4096 MB" (its 0xFFFFFFFF placeholder).
 * The members are inflated with fflate, into buffers of their declared size.
 *
 * Layout (APPNOTE.TXT 4.3): members' local headers and data, then the central directory (one
 * record per member), then for zip64 a zip64 end record and its locator, then the end record.
 */
import { inflateSync } from 'fflate';
import { DataFormatError } from '../types';

export interface ZipMember {
  name: string;
  /** 0 stored, 8 deflated; anything else is refused when the member is read. */
  method: number;
  /** General purpose flags: bit 0 encrypted, bit 11 UTF-8 name. */
  flags: number;
  compressedSize: number;
  size: number;
  /** Where its local header starts. */
  offset: number;
  /** Whether its sizes or offset came from a zip64 extra field. */
  zip64: boolean;
}

export interface ZipDirectory {
  members: ZipMember[];
  /** Whether the archive is in the zip64 format (an end record or a member's extra field). */
  zip64: boolean;
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const LOCATOR64 = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX32 = 0xffffffff;

/** What the compression methods a learner may meet are called, for the message. */
const METHODS: Record<number, string> = {
  1: 'Shrink',
  6: 'Implode',
  9: 'Deflate64',
  12: 'bzip2',
  14: 'LZMA',
  19: 'LZ77',
  93: 'Zstandard',
  95: 'XZ',
  98: 'PPMd',
  99: 'AES encryption',
};

const REMAKE = 'Create the zip again with your system\'s "Compress" or "Send to › Compressed folder", or import the unpacked folder.';

function damaged(fileName: string, what: string): DataFormatError {
  return new DataFormatError(
    `The file ${fileName} could not be read as a zip archive (${what}). It may be damaged, cut short or in another format; ${REMAKE.charAt(0).toLowerCase()}${REMAKE.slice(1)}`,
  );
}

/** A little-endian 64-bit count as a JS number (exact below 2^53, which any real size is). */
function u64(dv: DataView, at: number): number {
  return dv.getUint32(at, true) + dv.getUint32(at + 4, true) * 2 ** 32;
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

/** The central directory of the zip `bytes`; throws a DataFormatError that says what is wrong. */
export function readZipDirectory(bytes: Uint8Array, fileName: string): ZipDirectory {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = bytes.length;
  // The end record is the last 22 bytes, unless a comment (at most 65,535 bytes) follows it.
  let e = -1;
  for (let i = len - 22; i >= 0 && i >= len - 22 - 0xffff; i--) {
    if (dv.getUint32(i, true) === EOCD) {
      e = i;
      break;
    }
  }
  if (e < 0) {
    if (len >= 4 && dv.getUint32(0, true) === LOCAL) {
      throw damaged(fileName, 'its end, with the list of the files it holds, is missing: the download or copy was cut short');
    }
    throw damaged(fileName, 'no zip directory was found');
  }
  const disk = dv.getUint16(e + 4, true);
  const cdDisk = dv.getUint16(e + 6, true);
  let count = dv.getUint16(e + 10, true);
  let cdSize = dv.getUint32(e + 12, true);
  let cdOffset = dv.getUint32(e + 16, true);
  let zip64 = false;
  if (e >= 20 && dv.getUint32(e - 20, true) === LOCATOR64) {
    const at = u64(dv, e - 12);
    if (at + 56 > len || dv.getUint32(at, true) !== EOCD64) throw damaged(fileName, 'its zip64 end record is missing or damaged');
    zip64 = true;
    count = u64(dv, at + 32);
    cdSize = u64(dv, at + 40);
    cdOffset = u64(dv, at + 48);
  }
  if (disk !== 0 || cdDisk !== 0) {
    throw new DataFormatError(
      `The archive ${fileName} is one part of a zip split across several files (.z01, .z02, … or .zip.001, …), which an import cannot read. ` +
        'Join the parts into one zip with the program that made them, or unpack them and import the folder.',
    );
  }
  if (cdOffset + cdSize > len) throw damaged(fileName, 'the list of the files it holds points past its end: it was cut short');
  const members: ZipMember[] = [];
  let o = cdOffset;
  for (let i = 0; i < count; i++) {
    if (o + 46 > len || dv.getUint32(o, true) !== CENTRAL) throw damaged(fileName, `the record of file ${i + 1} of ${count} is damaged`);
    const flags = dv.getUint16(o + 8, true);
    const method = dv.getUint16(o + 10, true);
    let compressedSize = dv.getUint32(o + 20, true);
    let size = dv.getUint32(o + 24, true);
    const nameLen = dv.getUint16(o + 28, true);
    const extraLen = dv.getUint16(o + 30, true);
    const commentLen = dv.getUint16(o + 32, true);
    let offset = dv.getUint32(o + 42, true);
    const nameBytes = bytes.subarray(o + 46, o + 46 + nameLen);
    const name = (flags & 0x800 ? utf8 : latin1).decode(nameBytes);
    let memberZip64 = false;
    if (size === MAX32 || compressedSize === MAX32 || offset === MAX32) {
      // The zip64 extra field (id 1) holds, in this order, the 64-bit values that did not fit.
      let x = o + 46 + nameLen;
      const end = x + extraLen;
      let found = false;
      while (x + 4 <= end) {
        const id = dv.getUint16(x, true);
        const n = dv.getUint16(x + 2, true);
        if (id === 1) {
          let at = x + 4;
          const next = () => {
            if (at + 8 > x + 4 + n) throw damaged(fileName, `the zip64 sizes of ${name.slice(0, 60)} are incomplete`);
            const value = u64(dv, at);
            at += 8;
            return value;
          };
          if (size === MAX32) size = next();
          if (compressedSize === MAX32) compressedSize = next();
          if (offset === MAX32) offset = next();
          found = true;
          break;
        }
        x += 4 + n;
      }
      if (!found) throw damaged(fileName, `${name.slice(0, 60)} lacks the zip64 sizes its record calls for`);
      memberZip64 = true;
      zip64 = true;
    }
    members.push({ name, method, flags, compressedSize, size, offset, zip64: memberZip64 });
    o += 46 + nameLen + extraLen + commentLen;
  }
  return { members, zip64 };
}

/** A member's bytes: stored ones sliced, deflated ones inflated into a buffer of its declared size. */
export function readZipMember(bytes: Uint8Array, m: ZipMember, fileName: string): Uint8Array {
  const shown = m.name.slice(0, 60);
  if (m.flags & 1 || m.method === 99) {
    throw new DataFormatError(
      `The archive ${fileName} is password-protected (${shown} is encrypted), and an import cannot read encrypted files. ` +
        'Unzip it with its password, then import the folder (or a zip made without a password).',
    );
  }
  if (m.method !== 0 && m.method !== 8) {
    const method = METHODS[m.method] ? `${METHODS[m.method]} (method ${m.method})` : `method ${m.method}`;
    throw new DataFormatError(
      `The archive ${fileName} compresses ${shown} with ${method}; an import reads zips made with Deflate, the usual method, or no compression. ` +
        REMAKE,
    );
  }
  const len = bytes.length;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (m.offset + 30 > len || dv.getUint32(m.offset, true) !== LOCAL) throw damaged(fileName, `the data of ${shown} is not where its record says`);
  const start = m.offset + 30 + dv.getUint16(m.offset + 26, true) + dv.getUint16(m.offset + 28, true);
  if (start + m.compressedSize > len) throw damaged(fileName, `${shown} is cut short`);
  const data = bytes.subarray(start, start + m.compressedSize);
  if (m.method === 0) return data.slice(0, m.size);
  try {
    return inflateSync(data, { out: new Uint8Array(m.size) });
  } catch (err) {
    throw damaged(fileName, `${shown} could not be inflated: ${(err as Error).message}`);
  }
}
