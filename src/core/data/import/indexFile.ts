/**
 * CSV and JSON indexes: one example per row, with a label and a location. The location is a
 * path inside the imported folder or archive, an http(s) URL, or the pixels themselves.
 */
import { DataFormatError } from '../types';
import { formatCount } from '../../format';
import { IMPORT_LIMITS } from './limits';
import type { SplitName } from './paths';

export interface RawPixels {
  height: number;
  width: number;
  channels: number;
  /** HWC, values 0..255. */
  data: Uint8Array;
}

export type Location =
  | { kind: 'path'; path: string }
  | { kind: 'url'; url: string }
  | { kind: 'pixels'; pixels: RawPixels };

export interface IndexRow {
  /** 1-based row number in the file (the header is row 1 in a CSV), for messages. */
  row: number;
  label: string;
  location: Location;
  split: SplitName | null;
}

export interface ParsedIndex {
  rows: IndexRow[];
  /** Rows that could not be read, with the reason. */
  problems: string[];
}

/** RFC 4180 CSV: commas, double-quoted fields with "" escapes, CRLF or LF line ends. */
export function parseCsv(text: string, maxRows = Infinity): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // byte order mark
  let fieldStart = true;
  for (; i < n; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && fieldStart) {
      quoted = true;
      fieldStart = false;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      fieldStart = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      fieldStart = true;
      if (!(row.length === 1 && row[0] === '')) rows.push(row);
      row = [];
      if (rows.length > maxRows) return rows;
    } else {
      field += ch;
      fieldStart = false;
    }
  }
  if (quoted) throw new DataFormatError('The CSV file ends inside a quoted field: a closing double quote (") is missing.');
  row.push(field);
  if (!(row.length === 1 && row[0] === '')) rows.push(row);
  return rows;
}

function tooMany(count: number, what: string): DataFormatError {
  return new DataFormatError(
    `The ${what} lists more than ${formatCount(IMPORT_LIMITS.maxIndexRows)} examples${count > 0 ? ` (${formatCount(count)} or more)` : ''}, ` +
      `the most one import takes. Split it into smaller datasets or keep a subset.`,
  );
}

const MAX_LABEL = 100;

function cleanLabel(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return null;
  const s = v.trim();
  return s.length === 0 || s.length > MAX_LABEL ? null : s;
}

function parseSplit(v: unknown): SplitName | null | 'bad' {
  if (v === undefined || v === null || v === '') return null;
  const s = String(v).trim().toLowerCase();
  if (s === 'train' || s === 'training') return 'train';
  if (s === 'test' || s === 'testing') return 'test';
  return 'bad';
}

/**
 * Pixels given as numbers: a nested array [rows][cols] or [rows][cols][channels], or a flat
 * list whose length is a square (greyscale) or 3× a square (RGB). Values 0..255; a list whose
 * values all lie in 0..1 with a fraction is read as 0..1 and scaled.
 */
export function pixelsFromNumbers(value: unknown): RawPixels | string {
  let flat: number[];
  let height: number;
  let width: number;
  let channels: number;
  if (Array.isArray(value) && value.length > 0 && Array.isArray(value[0])) {
    height = value.length;
    const first = value[0] as unknown[];
    width = first.length;
    channels = Array.isArray(first[0]) ? (first[0] as unknown[]).length : 1;
    if (width === 0 || channels < 1 || channels > 4) return 'the nested array has no columns or a pixel with more than 4 channels';
    flat = (value as unknown[]).flat(2) as number[];
    if (flat.length !== height * width * channels) return 'the rows of the nested array do not all have the same length';
  } else if (Array.isArray(value)) {
    flat = value as number[];
    const n = flat.length;
    const side = Math.round(Math.sqrt(n));
    const side3 = Math.round(Math.sqrt(n / 3));
    if (n > 0 && side * side === n) [height, width, channels] = [side, side, 1];
    else if (n > 0 && side3 * side3 * 3 === n) [height, width, channels] = [side3, side3, 3];
    else return `a flat list of ${formatCount(n)} numbers is neither a square greyscale image (e.g. 784 = 28×28) nor a square RGB one (e.g. 3072 = 32×32×3)`;
  } else return 'the pixels are not an array of numbers';
  if (height * width > 4096 * 4096) return 'the embedded image is larger than 4096×4096';
  let max = 0;
  let fraction = false;
  for (const v of flat) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 255) {
      return `the pixel value ${JSON.stringify(v)?.slice(0, 20)} is not a number from 0 to 255`;
    }
    if (v > max) max = v;
    if (!fraction && v % 1 !== 0) fraction = true;
  }
  const scale = fraction && max <= 1 ? 255 : 1;
  const data = new Uint8Array(flat.length);
  for (let i = 0; i < flat.length; i++) data[i] = Math.round(flat[i]! * scale);
  return { height, width, channels, data };
}

/** A location cell of a CSV: a URL, a path, or numbers ("[…]" JSON, or separated by spaces or semicolons). */
function locationFromString(s: string): Location | string {
  const t = s.trim();
  if (t === '') return 'the location is empty';
  if (/^https?:\/\//i.test(t)) return { kind: 'url', url: t };
  if (/^[a-z][a-z0-9+.-]*:/i.test(t) && !/^[a-z]:[\\/]/i.test(t)) return `only http(s) URLs can be fetched, not "${t.slice(0, 40)}"`;
  if (t.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(t);
    } catch {
      return 'the location starts with "[" but is not a valid JSON array of numbers';
    }
    const px = pixelsFromNumbers(parsed);
    return typeof px === 'string' ? px : { kind: 'pixels', pixels: px };
  }
  if (/^[\d.\s;]+$/.test(t) && /\d[\s;]+\d/.test(t)) {
    const px = pixelsFromNumbers(t.split(/[\s;]+/).map(Number));
    return typeof px === 'string' ? px : { kind: 'pixels', pixels: px };
  }
  return { kind: 'path', path: t };
}

function locationFromValue(v: unknown): Location | string {
  if (typeof v === 'string') return locationFromString(v);
  if (Array.isArray(v)) {
    const px = pixelsFromNumbers(v);
    return typeof px === 'string' ? px : { kind: 'pixels', pixels: px };
  }
  return 'the location is missing (give a path, an http(s) URL, or an array of pixel values)';
}

const MAX_PROBLEMS = 20;

function addProblem(problems: string[], count: { n: number }, msg: string) {
  count.n++;
  if (problems.length < MAX_PROBLEMS) problems.push(msg);
}

function finish(rows: IndexRow[], problems: string[], count: { n: number }, what: string): ParsedIndex {
  if (count.n > problems.length) problems.push(`…and ${formatCount(count.n - problems.length)} more rows with problems.`);
  if (rows.length === 0) {
    throw new DataFormatError(
      `The ${what} has no usable rows${problems.length ? `: ${problems.slice(0, 3).join(' ').replace(/\.$/, '')}` : ''}. ` +
        'Each example needs a label and a location (a path, an http(s) URL, or pixel values).',
    );
  }
  return { rows, problems };
}

/** A CSV index with a header row naming at least `label` and `location` (also `split`). */
export function parseCsvIndex(text: string, fileName: string): ParsedIndex {
  const table = parseCsv(text, IMPORT_LIMITS.maxIndexRows + 1);
  if (table.length - 1 > IMPORT_LIMITS.maxIndexRows) throw tooMany(0, `file ${fileName}`);
  const header = (table[0] ?? []).map((h) => h.trim().toLowerCase());
  const li = header.indexOf('label');
  const pi = ['location', 'path', 'file', 'filename', 'image', 'url', 'pixels'].map((k) => header.indexOf(k)).find((i) => i >= 0) ?? -1;
  if (li < 0 || pi < 0) {
    throw new DataFormatError(
      `The first row of ${fileName} must name the columns, with at least "label" and "location" ` +
        `(found: ${header.slice(0, 6).map((h) => `"${h.slice(0, 20)}"`).join(', ') || 'nothing'}). ` +
        'Add a header row such as: label,location',
    );
  }
  const si = header.indexOf('split');
  const rows: IndexRow[] = [];
  const problems: string[] = [];
  const count = { n: 0 };
  for (let r = 1; r < table.length; r++) {
    const cells = table[r]!;
    const row = r + 1;
    const label = cleanLabel(cells[li]);
    if (label === null) {
      addProblem(problems, count, `Row ${row}: the label is empty or longer than ${MAX_LABEL} characters.`);
      continue;
    }
    const location = locationFromString(cells[pi] ?? '');
    if (typeof location === 'string') {
      addProblem(problems, count, `Row ${row}: ${location}.`);
      continue;
    }
    const split = si >= 0 ? parseSplit(cells[si]) : null;
    if (split === 'bad') {
      addProblem(problems, count, `Row ${row}: the split must be "train" or "test".`);
      continue;
    }
    rows.push({ row, label, location, split });
  }
  return finish(rows, problems, count, `file ${fileName}`);
}

/** A JSON index: an array of `{label, location}` objects (also `split`). */
export function parseJsonIndex(text: string, fileName: string): ParsedIndex {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new DataFormatError(`The file ${fileName} is not valid JSON (${(err as Error).message}). Check it in a JSON validator.`);
  }
  if (!Array.isArray(data)) {
    throw new DataFormatError(`The file ${fileName} must hold an array of objects like {"label": "cat", "location": "cats/1.png"}.`);
  }
  if (data.length > IMPORT_LIMITS.maxIndexRows) throw tooMany(data.length, `file ${fileName}`);
  const rows: IndexRow[] = [];
  const problems: string[] = [];
  const count = { n: 0 };
  data.forEach((item: unknown, i) => {
    const row = i + 1;
    if (typeof item !== 'object' || item === null) {
      addProblem(problems, count, `Entry ${row}: not an object with a label and a location.`);
      return;
    }
    const o = item as Record<string, unknown>;
    const label = cleanLabel(o.label);
    if (label === null) {
      addProblem(problems, count, `Entry ${row}: the label is missing, empty or longer than ${MAX_LABEL} characters.`);
      return;
    }
    const location = locationFromValue(o.location ?? o.pixels ?? o.path ?? o.url);
    if (typeof location === 'string') {
      addProblem(problems, count, `Entry ${row}: ${location}.`);
      return;
    }
    const split = parseSplit(o.split);
    if (split === 'bad') {
      addProblem(problems, count, `Entry ${row}: the split must be "train" or "test".`);
      return;
    }
    rows.push({ row, label, location, split });
  });
  return finish(rows, problems, count, `file ${fileName}`);
}
