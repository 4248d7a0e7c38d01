import { describe, expect, it } from 'vitest';
import { deflateSync, strToU8, unzipSync, zipSync } from 'fflate';
import { readZip } from './archive';
import { readZipDirectory } from './zip';
import { zipFixture } from '../../testing/zipFixture';

const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3]);
const all = () => true;

describe('zip64 and what an import cannot read', () => {
  it.each(['extra', 'full'] as const)('reads a zip64 archive (%s) within the limits', (zip64) => {
    const z = zipFixture([{ name: 'pets/cat/a.png', data: png }, { name: 'pets/dog/b.png', data: png.slice(0, 9) }], { zip64 });
    expect(readZipDirectory(z, 'p.zip').zip64).toBe(true);
    const files = readZip(z, 'p.zip', all);
    expect(files.map((f) => [f.path, f.bytes.length])).toEqual([['pets/cat/a.png', 11], ['pets/dog/b.png', 9]]);
    expect(Array.from(files[0]!.bytes)).toEqual(Array.from(png));
  });

  it('reads a deflated member of a zip64 archive', () => {
    const data = strToU8('a small file '.repeat(40));
    const z = zipFixture([{ name: 'notes.txt', data: deflateSync(data), claimedSize: data.length, method: 8 }], { zip64: 'extra' });
    expect(new TextDecoder().decode(readZip(z, 'n.zip', all)[0]!.bytes)).toBe('a small file '.repeat(40));
  });

  // fflate alone reads the placeholder 0xFFFFFFFF of a zip64 archive without a zip64 end
  // record as the size: "4096 MB" for a member of 2 GiB. The fixture reproduces that.
  const big = zipFixture([{ name: 'scans/cat/a.png', data: png }, { name: 'scans/cat/huge.tif.png', data: png, claimedSize: 2 ** 31 }], { zip64: 'extra' });

  it('the fixture is the archive fflate misread', () => {
    const seen: number[] = [];
    unzipSync(big, { filter: (f) => (seen.push(f.originalSize), false) });
    expect(seen).toEqual([0xffffffff, 0xffffffff]);
  });

  it.each(['extra', 'full'] as const)('a 2 GiB zip64 member (%s) is refused with its real size, why and what to do', (zip64) => {
    const z = zip64 === 'extra' ? big : zipFixture([{ name: 'scans/cat/huge.tif.png', data: png, claimedSize: 2 ** 31 }], { zip64 });
    expect(() => readZip(z, 'scans.zip', all)).toThrow(
      'The archive scans.zip holds a file of 2.1 GB (scans/cat/huge.tif.png), and an import reads files of up to 64 MB and ' +
        'archives of up to 512 MB unpacked, to keep the tab responsive. If the archive is genuine, unpack it and import a ' +
        'smaller folder of its images, or zip a part of them. (It is a zip64 archive, the zip format for very large files: ' +
        'the format is fine, the sizes are not.)',
    );
  });

  it('sizes past 4 GiB are read whole, not cut to 32 bits', () => {
    const z = zipFixture([{ name: 'x/y/video.png', data: png, claimedSize: 5 * 2 ** 30 + 1 }], { zip64: 'full' });
    expect(readZipDirectory(z, 'v.zip').members[0]!.size).toBe(5 * 2 ** 30 + 1);
    expect(() => readZip(z, 'v.zip', all)).toThrow(/holds a file of 5\.4 GB \(x\/y\/video\.png\)/);
  });

  it('an archive whose files add up past the limit says the total', () => {
    const members = Array.from({ length: 12 }, (_, i) => ({ name: `d/c/${i}.png`, data: png, claimedSize: 50_000_000 }));
    expect(() => readZip(zipFixture(members, { zip64: 'full' }), 'many.zip', all)).toThrow(
      'The archive many.zip would unpack to 600 MB in all (12 files), and an import reads files of up to 64 MB and archives of up to 512 MB unpacked',
    );
    // A classic zip gets the same message, without the zip64 note.
    let message = '';
    try {
      readZip(zipFixture(members), 'many.zip', all);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^The archive many\.zip would unpack to 600 MB in all/);
    expect(message).not.toMatch(/zip64/);
  });

  it('only the files the import keeps count towards the limits', () => {
    const z = zipFixture([{ name: 'd/c/a.png', data: png }, { name: 'd/backup.iso', data: png, claimedSize: 2 ** 31 }], { zip64: 'extra' });
    expect(readZip(z, 'd.zip', (p) => p.endsWith('.png')).map((f) => f.path)).toEqual(['d/c/a.png']);
  });

  it.each([
    [
      'an encrypted member',
      zipFixture([{ name: 'd/c/a.png', data: png, encrypted: true }]),
      'The archive x.zip is password-protected (d/c/a.png is encrypted), and an import cannot read encrypted files. Unzip it with its password, then import the folder (or a zip made without a password).',
    ],
    [
      'bzip2 compression',
      zipFixture([{ name: 'd/c/a.png', data: png, method: 12 }]),
      'The archive x.zip compresses d/c/a.png with bzip2 (method 12); an import reads zips made with Deflate, the usual method, or no compression. Create the zip again with your system\'s "Compress" or "Send to › Compressed folder", or import the unpacked folder.',
    ],
    [
      'one part of a split archive',
      zipFixture([{ name: 'd/c/a.png', data: png }], { disk: 2 }),
      'The archive x.zip is one part of a zip split across several files (.z01, .z02, … or .zip.001, …), which an import cannot read. Join the parts into one zip with the program that made them, or unpack them and import the folder.',
    ],
    [
      'an archive cut short',
      zipFixture([{ name: 'd/c/a.png', data: png }]).slice(0, 40),
      'The file x.zip could not be read as a zip archive (its end, with the list of the files it holds, is missing: the download or copy was cut short). It may be damaged, cut short or in another format; create the zip again with your system\'s "Compress" or "Send to › Compressed folder", or import the unpacked folder.',
    ],
    [
      'zip64 placeholders without the zip64 sizes',
      (() => {
        const z = zipFixture([{ name: 'd/c/a.png', data: png }], { zip64: 'extra' });
        const dv = new DataView(z.buffer);
        const cd = z.length - 22 - (46 + 'd/c/a.png'.length + 28);
        expect(dv.getUint32(cd, true)).toBe(0x02014b50);
        dv.setUint16(cd + 46 + 'd/c/a.png'.length, 0x5455, true); // the zip64 field's id becomes another's
        return z;
      })(),
      'The file x.zip could not be read as a zip archive (d/c/a.png lacks the zip64 sizes its record calls for).',
    ],
  ])('%s is named precisely', (_name, z, message) => {
    expect(() => readZip(z, 'x.zip', all)).toThrow(message);
  });

  it('still reads what fflate writes, and refuses a bomb', () => {
    const z = zipSync({ 'p/c/a.png': png, 'p/d/': new Uint8Array(0) });
    expect(readZip(z, 'p.zip', all).map((f) => f.path)).toEqual(['p/c/a.png']);
    const bomb = zipSync({ 'p/c/a.png': new Uint8Array(8 * 1024 * 1024) }, { level: 9 });
    expect(() => readZip(bomb, 'b.zip', all)).toThrow(/^The archive b\.zip would unpack p\/c\/a\.png to 8\.4 MB from [\d.]+ kB, compressed \d+ to 1 as zip bombs are/);
  });

});
