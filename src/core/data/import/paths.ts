/**
 * Paths inside an imported folder or archive: which files are images, which are junk to skip
 * silently, and how a folder layout becomes labels and splits.
 */
import { DataFormatError } from '../types';

const IMAGE_EXT = /\.(png|jpe?g|webp|gif|bmp)$/i;

/** Normalises separators, drops a leading "./" or "/". */
export function normalizePath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.?\/+/, '').replace(/\/{2,}/g, '/');
}

/** Hidden files and folders (.DS_Store, .git/…) and macOS zip metadata (__MACOSX/). */
export function isJunkPath(p: string): boolean {
  return normalizePath(p)
    .split('/')
    .some((part) => (part.startsWith('.') && part !== '..') || part === '__MACOSX' || part === 'Thumbs.db' || part === 'desktop.ini');
}

/**
 * A path that climbs out of its folder ("../x.png", "a/../../x.png"), as crafted archives
 * carry: never read, and listed as skipped (it once vanished silently as a "hidden" file).
 */
export function escapesFolder(p: string): boolean {
  return normalizePath(p).split('/').includes('..');
}

export function isImagePath(p: string): boolean {
  return IMAGE_EXT.test(p) && !isJunkPath(p) && !escapesFolder(p);
}

export type LabelDepth = 'top' | 'leaf';
export type SplitName = 'train' | 'test';

export interface LabelledPath {
  path: string;
  label: string;
  /** The split the folder layout fixes, or null when the import must split. */
  split: SplitName | null;
}

/**
 * Strips the folder all paths share (the folder the user picked, or the zip's root folder).
 * With `keepFolder`, stops while every path still has a folder (a one-class folder stays a class).
 */
export function stripCommonRoot(paths: string[], keepFolder = false): { root: string; rel: string[] } {
  const norm = paths.map(normalizePath);
  let root = '';
  for (;;) {
    const first = norm[0]?.slice(root.length).split('/');
    if (!first || first.length < 2) break;
    const candidate = `${root}${first[0]}/`;
    if (!norm.every((p) => p.startsWith(candidate) && p.length > candidate.length)) break;
    if (keepFolder && !norm.every((p) => p.slice(candidate.length).includes('/'))) break;
    // Never strip a train/test folder: it carries the split.
    if (/^(train|test)$/i.test(first[0]!)) break;
    root = candidate;
  }
  return { root, rel: norm.map((p) => p.slice(root.length)) };
}

/**
 * Labels image paths from their folders. Layouts: `class/img.png`, `train|test/class/img.png`
 * (the split is theirs), and nested classes `species/breed/img.png` where `depth` picks the
 * top folder or the leaf folder as the label. Paths are relative to the dataset root.
 */
export function labelFromFolders(
  relPaths: string[],
  depth: LabelDepth,
): { entries: LabelledPath[]; unlabelled: string[] } {
  const out: LabelledPath[] = [];
  const parts = relPaths.map((p) => normalizePath(p).split('/'));
  const splitFolders = parts.filter((p) => p.length >= 2 && /^(train|test)$/i.test(p[0]!));
  const hasSplits = splitFolders.length > 0 && parts.every((p) => p.length >= 3 && /^(train|test)$/i.test(p[0]!));
  const loose: string[] = [];
  parts.forEach((p, i) => {
    let split: SplitName | null = null;
    let dirs = p.slice(0, -1);
    if (hasSplits) {
      split = dirs[0]!.toLowerCase() as SplitName;
      dirs = dirs.slice(1);
    }
    if (dirs.length === 0) {
      loose.push(relPaths[i]!);
      return;
    }
    out.push({ path: relPaths[i]!, label: depth === 'top' ? dirs[0]! : dirs[dirs.length - 1]!, split });
  });
  if (out.length === 0 && loose.length > 0) {
    throw new DataFormatError(
      `The ${loose.length} images are not inside class folders, so their classes are unknown. ` +
        'Put the images of each class in a folder named after the class (e.g. cats/…, dogs/…), ' +
        'or add a CSV or JSON index with a label and a location for each image.',
    );
  }
  if (hasSplits) {
    const splits = new Set(out.map((e) => e.split));
    if (!splits.has('train') || !splits.has('test')) {
      const missing = splits.has('train') ? 'test' : 'train';
      throw new DataFormatError(
        `The folder has a ${missing === 'test' ? 'train' : 'test'}/ folder but no ${missing}/ folder with images. ` +
          `Add ${missing}/ with the same class folders, or remove the train/test level to let the import split the data.`,
      );
    }
  }
  return { entries: out, unlabelled: loose };
}
