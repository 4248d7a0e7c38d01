/**
 * The whole import, from the user's files to a Dataset, with the browser-only parts (reading
 * a File, decoding an image, fetching a URL) passed in. Steps: unpack archives, find an index
 * (CSV/JSON) or read the folder layout, check the limits, decode and resize every image
 * (skipping and listing the ones that fail), then split.
 */
import type { Dataset } from '../types';
import { DataFormatError } from '../types';
import { assembleDataset, type Example } from './assemble';
import { readTar, readZip, type ArchiveEntry } from './archive';
import { gunzipSync } from '../gzip';
import { isCifarArchive, parseCifar } from './cifar';
import { readImageHeader } from './imageHeader';
import { parseCsvIndex, parseJsonIndex, type IndexRow, type RawPixels } from './indexFile';
import { formatBytesCompared, formatCount } from '../../format';
import { IMPORT_GUNZIP_LIMIT, IMPORT_LIMITS } from './limits';
import { escapesFolder, isImagePath, isJunkPath, labelFromFolders, normalizePath, stripCommonRoot, type LabelDepth, type SplitName } from './paths';
import { toDatasetPixels, type Channels } from './resize';
import { HOSTS_DECLINED, refusedUrl, urlHosts, type UrlHost } from './hosts';

export interface SourceFile {
  path: string;
  size: number;
  read(): Promise<Uint8Array>;
}

/** Decoded pixels: HWC with `channels` per pixel (the browser gives RGBA, 4). */
export interface Decoded {
  width: number;
  height: number;
  channels: number;
  data: ArrayLike<number>;
}

export interface ImportHooks {
  /**
   * Decodes an image. `maxSide` is a hint: the decoder may shrink (antialiased) an image whose
   * sides exceed it, to save memory; the exact area resize to the dataset size follows.
   */
  decode(bytes: Uint8Array, maxSide: number): Promise<Decoded>;
  fetchUrl(url: string): Promise<Uint8Array>;
  /**
   * Asked once, before any URL of an index is fetched: the hosts they are on. Resolves to
   * whether the learner agreed; on false the import stops and nothing is downloaded.
   */
  confirmHosts(hosts: UrlHost[], urls: number): Promise<boolean>;
  /** The app's origin (`location.origin`): its own http: addresses may be fetched, others' not. */
  origin: string;
  /** Called after each step; the caller throttles. */
  progress(stage: string, done: number, total: number): void;
  /** Throws (or returns true) to stop the import between images. */
  cancelled(): boolean;
}

export interface ImportSettings {
  id: string;
  name: string;
  size: number;
  channels: Channels;
  labelDepth: LabelDepth;
  testFraction: number;
  seed?: number;
}

export interface ImportResult {
  dataset: Dataset;
  /** Images that could not be used, with the reason. */
  skipped: string[];
  /** Index rows that could not be read. */
  problems: string[];
  source: string;
}

export class ImportCancelled extends Error {
  constructor(message = 'The import was cancelled.') {
    super(message);
    this.name = 'ImportCancelled';
  }
}

/** What to decode for one example. */
type Job = { label: string; split: SplitName | null; what: string } & (
  | { kind: 'bytes'; read(): Promise<Uint8Array> }
  | { kind: 'url'; url: string }
  | { kind: 'pixels'; pixels: RawPixels }
);

const ARCHIVE = /\.(zip|tar|tar\.gz|tgz)$/i;
const INDEX = /\.(csv|json)$/i;
const MAX_LISTED = 200;
/** Images decoded at the same time. */
const DECODE_LANES = 3;

function fromBytes(path: string, bytes: Uint8Array): SourceFile {
  return { path, size: bytes.length, read: async () => bytes };
}

async function unpack(
  files: SourceFile[],
  hooks: ImportHooks,
): Promise<{ files: SourceFile[]; cifar: ArchiveEntry[] | null }> {
  const out: SourceFile[] = [];
  let cifar: ArchiveEntry[] | null = null;
  for (const f of files) {
    if (!ARCHIVE.test(f.path) || isJunkPath(f.path)) {
      out.push(f);
      continue;
    }
    if (f.size > IMPORT_LIMITS.maxArchiveBytes) {
      const { a: size, b: limit } = formatBytesCompared(f.size, IMPORT_LIMITS.maxArchiveBytes);
      throw new DataFormatError(`The archive ${f.path} is ${size}; the most an import reads is ${limit}.`);
    }
    hooks.progress(`Unpacking ${f.path}`, 0, 1);
    const bytes = await f.read();
    const name = f.path.slice(f.path.lastIndexOf('/') + 1);
    // Entries not read are still named (an empty stand-in), so the import lists them as skipped.
    const notRead: string[] = [];
    const keep = (p: string) => {
      const read = !isJunkPath(p) && !escapesFolder(p) && (isImagePath(p) || INDEX.test(p) || /\.(bin|txt)$/i.test(p));
      if (!read && !isJunkPath(p)) notRead.push(p);
      return read;
    };
    let entries: ArchiveEntry[];
    if (/\.zip$/i.test(f.path)) entries = readZip(bytes, name, keep);
    else {
      const tar = /\.tar$/i.test(f.path) ? bytes : gunzipSync(bytes, name, IMPORT_GUNZIP_LIMIT);
      entries = readTar(tar, name, keep);
    }
    if (isCifarArchive(entries)) cifar = entries;
    else for (const e of entries) out.push(fromBytes(e.path, e.bytes));
    if (!cifar) for (const p of notRead) out.push(fromBytes(p, new Uint8Array(0)));
  }
  return { files: out, cifar };
}

function cifarExamples(entries: ArchiveEntry[], s: ImportSettings, hooks: ImportHooks): Example[] {
  const c = parseCifar(entries, IMPORT_LIMITS.maxImages);
  const out: Example[] = [];
  const size = s.size * s.size * s.channels;
  const total = c.train.count + c.test.count;
  for (const [split, set] of [['train', c.train], ['test', c.test]] as const) {
    for (let i = 0; i < set.count; i++) {
      if (out.length % 500 === 0) {
        if (hooks.cancelled()) throw new ImportCancelled();
        hooks.progress('Converting images', out.length, total);
      }
      const pixels = new Uint8Array(size);
      toDatasetPixels(set.images.subarray(i * 3072, (i + 1) * 3072), 32, 32, 3, s.size, s.channels, pixels, 0);
      out.push({ label: c.classNames[set.labels[i]!]!, split, pixels });
    }
  }
  return out;
}

/**
 * The CSV or JSON index of an import, if any: only one at the top level of what was picked
 * counts (a stray info.json inside a class folder is just a non-image file).
 */
function chooseIndex(files: SourceFile[]): SourceFile | null {
  const { rel } = stripCommonRoot(files.map((f) => f.path));
  const indexes = files.filter((f, i) => INDEX.test(f.path) && !isJunkPath(f.path) && !rel[i]!.includes('/'));
  if (indexes.length === 0) return null;
  // Prefer a conventional name, then alphabetical order.
  indexes.sort(
    (a, b) =>
      Number(!/(index|labels)\./i.test(a.path)) - Number(!/(index|labels)\./i.test(b.path)) || a.path.localeCompare(b.path),
  );
  return indexes[0]!;
}

/** The skipped-file line for a file over the per-file limit (exact bytes if both would read "64 MB"). */
function tooLargeFile(f: SourceFile): string {
  const { a: size, b: limit } = formatBytesCompared(f.size, IMPORT_LIMITS.maxFileBytes);
  return `${f.path}: ${size} is larger than ${limit}.`;
}

async function indexJobs(index: SourceFile, files: SourceFile[]): Promise<{ jobs: Job[]; problems: string[]; skipped: string[] }> {
  if (index.size > IMPORT_LIMITS.maxFileBytes) {
    const { a: size, b: limit } = formatBytesCompared(index.size, IMPORT_LIMITS.maxFileBytes);
    throw new DataFormatError(`The index ${index.path} is ${size}; the most an import reads is ${limit}.`);
  }
  const text = new TextDecoder().decode(await index.read());
  const name = index.path.slice(index.path.lastIndexOf('/') + 1);
  const parsed: { rows: IndexRow[]; problems: string[] } = /\.json$/i.test(index.path) ? parseJsonIndex(text, name) : parseCsvIndex(text, name);
  const byPath = new Map(files.map((f) => [normalizePath(f.path), f]));
  // Files picked together with the index (no folder) are found by their name alone, when unique.
  const byName = new Map<string, SourceFile | null>();
  for (const f of files) {
    const n = normalizePath(f.path).replace(/^.*\//, '');
    byName.set(n, byName.has(n) ? null : f);
  }
  const dir = normalizePath(index.path).includes('/') ? normalizePath(index.path).replace(/[^/]*$/, '') : '';
  const skipped: string[] = [];
  const jobs: Job[] = [];
  for (const r of parsed.rows) {
    const what = `row ${r.row}`;
    const loc = r.location;
    if (loc.kind === 'pixels') jobs.push({ kind: 'pixels', pixels: loc.pixels, label: r.label, split: r.split, what });
    else if (loc.kind === 'url') jobs.push({ kind: 'url', url: loc.url, label: r.label, split: r.split, what: loc.url });
    else {
      const p = normalizePath(loc.path);
      const f = byPath.get(dir + p) ?? byPath.get(p) ?? (p.includes('/') && !dir ? byName.get(p.replace(/^.*\//, '')) : undefined) ?? undefined;
      if (!f) {
        skipped.push(
          `${loc.path} (${what}): not found${files.length <= 1 ? ' — import the folder or zip that holds the index and the images, or pick them together' : ' in the imported files'}.`,
        );
        continue;
      }
      jobs.push({ kind: 'bytes', read: () => f.read(), label: r.label, split: r.split, what: f.path });
      if (f.size > IMPORT_LIMITS.maxFileBytes) jobs.pop(), skipped.push(tooLargeFile(f));
    }
  }
  return { jobs, problems: parsed.problems, skipped };
}

function folderJobs(files: SourceFile[], depth: LabelDepth): { jobs: Job[]; skipped: string[] } {
  const images = files.filter((f) => isImagePath(f.path));
  // Say what else was there and not read (a README, a PDF, a zip inside the zip), never drop it silently.
  const notRead: string[] = [];
  for (const f of files) {
    if (isImagePath(f.path) || isJunkPath(f.path)) continue;
    notRead.push(
      escapesFolder(f.path)
        ? `${f.path}: its path leaves the import's folder (".."), as only a damaged or crafted archive has; it is not read.`
        : ARCHIVE.test(f.path)
          ? `${f.path}: an archive inside the import is not opened; unpack it and import its folder.`
          : `${f.path}: not an image (the import reads PNG, JPEG, WebP, GIF and BMP files).`,
    );
  }
  if (images.length === 0) {
    const n = notRead.length;
    throw Object.assign(
      new DataFormatError(
        'No images were found (PNG, JPEG, WebP, GIF or BMP). Pick a folder with one sub-folder of images per class, ' +
          'a zip of such a folder, a CSV or JSON index, or cifar-10-binary.tar.gz.' +
          (n > 0 ? ` ${formatCount(n)} file${n === 1 ? ' was' : 's were'} not read; the list of skipped files says why.` : ''),
      ),
      { skipped: summarise(notRead), problems: [] },
    );
  }
  const { rel } = stripCommonRoot(images.map((f) => f.path), true);
  const { entries, unlabelled } = labelFromFolders(rel, depth);
  const byRel = new Map(rel.map((r, i) => [r, images[i]!]));
  const skipped = [...unlabelled.map((p) => `${byRel.get(p)!.path}: not inside a class folder, so its class is unknown.`), ...notRead];
  const jobs: Job[] = [];
  for (const e of entries) {
    const f = byRel.get(e.path)!;
    if (f.size > IMPORT_LIMITS.maxFileBytes) {
      skipped.push(tooLargeFile(f));
      continue;
    }
    jobs.push({ kind: 'bytes', read: () => f.read(), label: e.label, split: e.split, what: f.path });
  }
  return { jobs, skipped };
}

/** Refuses an image from its header: not an image format we decode, or too large. */
export function checkImageHeader(bytes: Uint8Array): string | null {
  const h = readImageHeader(bytes);
  if (!h) return 'not a PNG, JPEG, WebP, GIF or BMP image (or a damaged one)';
  const L = IMPORT_LIMITS;
  if (h.width > L.maxSide || h.height > L.maxSide || h.width * h.height > L.maxPixels) {
    return `${formatCount(h.width)}×${formatCount(h.height)} pixels is larger than the limit (${formatCount(L.maxSide)} on a side, ${L.maxPixels / 1e6} megapixels); shrink it first`;
  }
  if (h.width === 0 || h.height === 0) return 'the image has no pixels';
  return null;
}

async function decodeJob(job: Job, s: ImportSettings, hooks: ImportHooks): Promise<Uint8Array> {
  let d: Decoded;
  if (job.kind === 'pixels') d = { ...job.pixels };
  else {
    const bytes = job.kind === 'url' ? await hooks.fetchUrl(job.url) : await job.read();
    const bad = checkImageHeader(bytes);
    if (bad) throw new DataFormatError(bad);
    d = await hooks.decode(bytes, s.size * 8);
  }
  const out = new Uint8Array(s.size * s.size * s.channels);
  toDatasetPixels(d.data, d.width, d.height, d.channels, s.size, s.channels, out, 0);
  return out;
}

function summarise(skipped: string[]): string[] {
  return skipped.length > MAX_LISTED ? [...skipped.slice(0, MAX_LISTED), `…and ${formatCount(skipped.length - MAX_LISTED)} more.`] : skipped;
}

/** Runs an import; throws DataFormatError with a learner-facing message, or ImportCancelled. */
export async function runImport(input: SourceFile[], s: ImportSettings, hooks: ImportHooks): Promise<ImportResult> {
  const { files, cifar } = await unpack(input, hooks);
  const shape: [number, number, number] = [s.size, s.size, s.channels];
  if (cifar) {
    const examples = cifarExamples(cifar, s, hooks);
    const dataset = assembleDataset(examples, { id: s.id, name: s.name, shape, testFraction: s.testFraction, seed: s.seed });
    return { dataset, skipped: [], problems: [], source: 'CIFAR-10 binary archive' };
  }
  let index = chooseIndex(files);
  let found: { jobs: Job[]; skipped: string[]; problems: string[] };
  try {
    found = index ? await indexJobs(index, files) : { ...folderJobs(files, s.labelDepth), problems: [] };
  } catch (err) {
    // An unreadable CSV/JSON beside class folders is not the index: use the folders.
    if (!(err instanceof DataFormatError) || !index || !files.some((f) => isImagePath(f.path) && f.path.split('/').length > 1)) throw err;
    const ignored = `${index.path} was not used as an index: ${err.message}`;
    index = null;
    found = { ...folderJobs(files, s.labelDepth), problems: [ignored] };
  }
  const { jobs, problems } = found;
  const skipped = [...found.skipped];
  const L = IMPORT_LIMITS;
  if (jobs.length > L.maxImages) {
    throw new DataFormatError(
      `This import has ${formatCount(jobs.length)} images; the most one dataset may hold is ${formatCount(L.maxImages)}. Import a smaller selection.`,
    );
  }
  const bytes = jobs.length * s.size * s.size * s.channels;
  if (bytes > L.maxDatasetBytes) {
    const { a: size, b: limit } = formatBytesCompared(bytes, L.maxDatasetBytes);
    throw new DataFormatError(
      `${formatCount(jobs.length)} images of ${s.size}×${s.size}×${s.channels} would need ${size} of memory; the limit is ${limit}. ` +
        'Choose a smaller image size or greyscale, or import fewer images.',
    );
  }
  // No server is contacted before the learner has seen which ones and agreed. Addresses the
  // app refuses anyway (http: on another site) are listed as skipped without asking.
  const urls = jobs.flatMap((j) => (j.kind === 'url' ? [j.url] : []));
  const contacted = urls.some((u) => refusedUrl(u, hooks.origin) === null);
  if (contacted && !(await hooks.confirmHosts(urlHosts(urls, hooks.origin), urls.length))) throw new ImportCancelled(HOSTS_DECLINED);
  // A few images decode at once (the browser decodes off this thread); results keep their order.
  const results: (Example | string | undefined)[] = new Array(jobs.length);
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < jobs.length) {
      if (hooks.cancelled()) throw new ImportCancelled();
      const i = next++;
      const job = jobs[i]!;
      try {
        results[i] = { label: job.label, split: job.split, pixels: await decodeJob(job, s, hooks) };
      } catch (err) {
        if (err instanceof ImportCancelled) throw err;
        results[i] = `${job.what}: ${(err as Error).message.replace(/\.$/, '')}.`;
      }
      hooks.progress('Decoding images', ++done, jobs.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(DECODE_LANES, jobs.length) }, lane));
  const examples: Example[] = [];
  for (const r of results) {
    if (typeof r === 'string') skipped.push(r);
    else if (r) examples.push(r);
  }
  hooks.progress('Decoding images', jobs.length, jobs.length);
  let dataset: Dataset;
  try {
    dataset = assembleDataset(examples, { id: s.id, name: s.name, shape, testFraction: s.testFraction, seed: s.seed });
  } catch (err) {
    if (err instanceof DataFormatError && skipped.length > 0) {
      // The list goes with the message ("Check the list of skipped files" once named a list that was never shown).
      throw Object.assign(new DataFormatError(`${err.message} First skipped file: ${skipped[0]}`), { skipped: summarise(skipped), problems });
    }
    throw err;
  }
  return { dataset, skipped: summarise(skipped), problems, source: index ? `index ${index.path}` : 'folders' };
}
