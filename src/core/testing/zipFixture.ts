/**
 * Test fixtures: zip archives written byte by byte, in the shapes real tools produce and
 * hostile ones can — zip64 with or without its end record, sizes that claim gigabytes, an
 * encrypted member, another compression method, one part of a split archive. Only tests
 * import this module.
 */

export interface FixtureMember {
  name: string;
  data: Uint8Array;
  /** The uncompressed size the headers claim (default: the data's length). */
  claimedSize?: number;
  /** Compression method written in the headers (default 0, stored). */
  method?: number;
  encrypted?: boolean;
}

export interface FixtureOptions {
  /**
   * 'none': a classic zip. 'extra': zip64 extra fields with 0xFFFFFFFF placeholders in the
   * central directory but no zip64 end record (what some tools write, and what fflate misread).
   * 'full': also the zip64 end record and its locator.
   */
  zip64?: 'none' | 'extra' | 'full';
  /** The disk number in the end record (non-zero: a part of a split archive). */
  disk?: number;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function record(size: number, write: (dv: DataView) => void): Uint8Array {
  const b = new Uint8Array(size);
  write(new DataView(b.buffer));
  return b;
}

const setU64 = (dv: DataView, at: number, n: number) => {
  dv.setUint32(at, n % 2 ** 32, true);
  dv.setUint32(at + 4, Math.floor(n / 2 ** 32), true);
};

/** A zip of `members` (their data stored as given, whatever `method` the headers claim). */
export function zipFixture(members: FixtureMember[], opts: FixtureOptions = {}): Uint8Array {
  const zip64 = opts.zip64 ?? 'none';
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const m of members) {
    const name = enc.encode(m.name);
    const size = m.claimedSize ?? m.data.length;
    const flags = 0x800 | (m.encrypted ? 1 : 0);
    const method = m.method ?? 0;
    const local = record(30 + name.length, (dv) => {
      dv.setUint32(0, 0x04034b50, true);
      dv.setUint16(4, zip64 === 'none' ? 20 : 45, true);
      dv.setUint16(6, flags, true);
      dv.setUint16(8, method, true);
      dv.setUint32(18, m.data.length, true);
      dv.setUint32(22, Math.min(size, 0xffffffff), true);
      dv.setUint16(26, name.length, true);
    });
    local.set(name, 30);
    const wide = zip64 !== 'none';
    const extra = wide
      ? record(28, (dv) => {
          dv.setUint16(0, 1, true);
          dv.setUint16(2, 24, true);
          setU64(dv, 4, size);
          setU64(dv, 12, m.data.length);
          setU64(dv, 20, offset);
        })
      : new Uint8Array(0);
    const c = record(46 + name.length + extra.length, (dv) => {
      dv.setUint32(0, 0x02014b50, true);
      dv.setUint16(4, wide ? 45 : 20, true);
      dv.setUint16(6, wide ? 45 : 20, true);
      dv.setUint16(8, flags, true);
      dv.setUint16(10, method, true);
      dv.setUint32(20, wide ? 0xffffffff : m.data.length, true);
      dv.setUint32(24, wide ? 0xffffffff : size, true);
      dv.setUint16(28, name.length, true);
      dv.setUint16(30, extra.length, true);
      dv.setUint32(42, wide ? 0xffffffff : offset, true);
    });
    c.set(name, 46);
    c.set(extra, 46 + name.length);
    central.push(c);
    parts.push(local, m.data);
    offset += local.length + m.data.length;
  }
  const cd = concat(central);
  const cdOffset = offset;
  parts.push(cd);
  if (zip64 === 'full') {
    const eocd64At = cdOffset + cd.length;
    parts.push(
      record(56, (dv) => {
        dv.setUint32(0, 0x06064b50, true);
        setU64(dv, 4, 44);
        dv.setUint16(12, 45, true);
        dv.setUint16(14, 45, true);
        setU64(dv, 24, members.length);
        setU64(dv, 32, members.length);
        setU64(dv, 40, cd.length);
        setU64(dv, 48, cdOffset);
      }),
      record(20, (dv) => {
        dv.setUint32(0, 0x07064b50, true);
        setU64(dv, 8, eocd64At);
        dv.setUint32(16, 1, true);
      }),
    );
  }
  parts.push(
    record(22, (dv) => {
      dv.setUint32(0, 0x06054b50, true);
      dv.setUint16(4, opts.disk ?? 0, true);
      dv.setUint16(6, opts.disk ?? 0, true);
      dv.setUint16(8, zip64 === 'full' ? 0xffff : members.length, true);
      dv.setUint16(10, zip64 === 'full' ? 0xffff : members.length, true);
      dv.setUint32(12, zip64 === 'full' ? 0xffffffff : cd.length, true);
      dv.setUint32(16, zip64 === 'full' ? 0xffffffff : cdOffset, true);
    }),
  );
  return concat(parts);
}
