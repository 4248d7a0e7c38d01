/**
 * What the page's sample grid shows of a dataset: sizes, class counts and a few images per
 * class. Pure (no tfjs), so the worker's entry describes a dataset before tfjs has loaded.
 */
import type { Dataset, ImageShape } from './types';

/** A few images per class for the sample grid, and the split sizes. */
export interface DatasetInfo {
  id: string;
  name: string;
  shape: ImageShape;
  classNames: string[];
  trainCount: number;
  testCount: number;
  /** Training images per class. */
  classCounts: number[];
  samples: { label: number; pixels: Uint8Array }[];
}

/** Sizes, class counts and `perClass` sample images of each class for the sample grid. */
export function describeDataset(d: Dataset, perClass = 3): DatasetInfo {
  const [h, w, c] = d.shape;
  const size = h * w * c;
  const classCounts = new Array<number>(d.classNames.length).fill(0);
  for (const l of d.train.labels) classCounts[l]!++;
  const samples: DatasetInfo['samples'] = [];
  const taken = new Array<number>(d.classNames.length).fill(0);
  for (let i = 0; i < d.train.count && samples.length < perClass * d.classNames.length; i++) {
    const label = d.train.labels[i]!;
    if (taken[label]! >= perClass) continue;
    taken[label]!++;
    samples.push({ label, pixels: d.train.images.slice(i * size, (i + 1) * size) });
  }
  samples.sort((a, b) => a.label - b.label);
  return {
    id: d.id,
    name: d.name,
    shape: d.shape,
    classNames: d.classNames,
    trainCount: d.train.count,
    testCount: d.test.count,
    classCounts,
    samples,
  };
}
