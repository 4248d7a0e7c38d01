/**
 * Turns decoded examples into the app's Dataset: class names in natural order, and the
 * train/test split either from the source (train/ and test/ folders, a split column, CIFAR's
 * files) or drawn here: shuffled and stratified, 80/20 by default.
 */
import { createRng, deriveSeed } from '../../rng';
import { stratifiedSplit } from '../split';
import { DataFormatError, type Dataset, type ImageSet, type ImageShape } from '../types';
import { formatCount } from '../../format';
import { IMPORT_LIMITS } from './limits';
import type { SplitName } from './paths';

export interface Example {
  label: string;
  split: SplitName | null;
  /** size × size × channels uint8. */
  pixels: Uint8Array;
}

export interface AssembleOptions {
  id: string;
  name: string;
  shape: ImageShape;
  /** Share of the examples that go to test when the source gives no split (default 0.2). */
  testFraction?: number;
  seed?: number;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function gather(examples: Example[], indices: ArrayLike<number>, labels: Int32Array, size: number): ImageSet {
  const images = new Uint8Array(indices.length * size);
  const out = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    images.set(examples[indices[i]!]!.pixels, i * size);
    out[i] = labels[indices[i]!]!;
  }
  return { images, labels: out, count: indices.length };
}

export function assembleDataset(examples: Example[], o: AssembleOptions): Dataset {
  const size = o.shape[0] * o.shape[1] * o.shape[2];
  if (examples.length > IMPORT_LIMITS.maxImages) {
    throw new DataFormatError(`This import has ${formatCount(examples.length)} images; the most one dataset holds is ${formatCount(IMPORT_LIMITS.maxImages)}.`);
  }
  const classNames = [...new Set(examples.map((e) => e.label))].sort(collator.compare);
  if (classNames.length < 2) {
    throw new DataFormatError(
      classNames.length === 0
        ? 'No image could be imported, so there is nothing to train on. Check the list of skipped files.'
        : `All the images have the same class ("${classNames[0]}"); a classifier needs at least two. ` +
            'Put each class in its own folder (or give each row its label) and import again.',
    );
  }
  if (classNames.length > IMPORT_LIMITS.maxClasses) {
    throw new DataFormatError(
      `This import has ${formatCount(classNames.length)} different labels; the most a dataset may have is ${IMPORT_LIMITS.maxClasses}. ` +
        'Check that the label column (or the label depth) is the one you meant.',
    );
  }
  const classIndex = new Map(classNames.map((c, i) => [c, i]));
  const labels = Int32Array.from(examples, (e) => classIndex.get(e.label)!);
  for (const e of examples) {
    if (e.pixels.length !== size) throw new Error(`An example has ${e.pixels.length} pixel values, expected ${size}.`);
  }
  const fixedTrain: number[] = [];
  const fixedTest: number[] = [];
  const free: number[] = [];
  examples.forEach((e, i) => (e.split === 'train' ? fixedTrain : e.split === 'test' ? fixedTest : free).push(i));
  let train = fixedTrain;
  let test = fixedTest;
  if (free.length > 0) {
    const rng = createRng(deriveSeed(o.seed ?? 1, 'import-split'));
    const s = stratifiedSplit(Int32Array.from(free), labels, classNames.length, o.testFraction ?? 0.2, rng);
    train = [...fixedTrain, ...s.train];
    test = [...fixedTest, ...s.validation];
  }
  if (train.length === 0 || test.length === 0) {
    throw new DataFormatError(
      `The ${train.length === 0 ? 'training' : 'test'} split is empty (${formatCount(examples.length)} images in all). ` +
        'Add more images, at least a few per class, so both splits get some.',
    );
  }
  return {
    id: o.id,
    name: o.name,
    shape: o.shape,
    classNames,
    train: gather(examples, train, labels, size),
    test: gather(examples, test, labels, size),
  };
}

/** Images per class in each split, for the summary shown after an import. */
export function classCounts(d: Dataset): { train: number[]; test: number[] } {
  const count = (s: ImageSet) => {
    const c = new Array<number>(d.classNames.length).fill(0);
    for (const l of s.labels) c[l]!++;
    return c;
  };
  return { train: count(d.train), test: count(d.test) };
}
