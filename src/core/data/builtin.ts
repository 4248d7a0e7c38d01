/**
 * The datasets that ship with the app as static files under `public/datasets/<id>/`: the
 * official IDX files, gzip-compressed, with their canonical train/test split.
 */
import { maybeGunzip } from './gzip';
import { parseIdxImages, parseIdxLabels } from './idx';
import { DataFormatError, type Dataset, type ImageSet, type ImageShape } from './types';
import { isSyntheticDatasetId, loadSyntheticDataset, SYNTHETIC_DATASETS } from './shapes';
import { formatCount } from '../format';

export { SYNTHETIC_DATASETS, isSyntheticDatasetId };

/** Paths of the four IDX files, relative to the app's base URL (or the `public/` folder). */
export interface BuiltinDatasetFiles {
  trainImages: string;
  trainLabels: string;
  testImages: string;
  testLabels: string;
}

/** What the app knows about a bundled dataset before downloading it. */
export interface BuiltinDatasetInfo {
  id: string;
  name: string;
  /** [height, width, channels] of one image. */
  shape: ImageShape;
  /** Display name per label value, in label order. */
  classNames: string[];
  files: BuiltinDatasetFiles;
}

function idxFiles(id: string): BuiltinDatasetFiles {
  return {
    trainImages: `datasets/${id}/train-images-idx3-ubyte.gz`,
    trainLabels: `datasets/${id}/train-labels-idx1-ubyte.gz`,
    testImages: `datasets/${id}/t10k-images-idx3-ubyte.gz`,
    testLabels: `datasets/${id}/t10k-labels-idx1-ubyte.gz`,
  };
}

/** Id of a bundled dataset. */
export type BuiltinDatasetId = 'mnist' | 'fashion-mnist';

/**
 * Bundled datasets by id. Both are 60,000 train + 10,000 test grey 28×28 images, 10 classes.
 * Treat as read-only; `loadBuiltinDataset` hands out copies of the arrays.
 */
export const BUILTIN_DATASETS: Readonly<Record<BuiltinDatasetId, BuiltinDatasetInfo>> = {
  mnist: {
    id: 'mnist',
    name: 'MNIST',
    shape: [28, 28, 1],
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    files: idxFiles('mnist'),
  },
  'fashion-mnist': {
    id: 'fashion-mnist',
    name: 'Fashion-MNIST',
    shape: [28, 28, 1],
    classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    files: idxFiles('fashion-mnist'),
  },
};

/** True when `id` names a bundled dataset (narrows the type). */
export function isBuiltinDatasetId(id: string): id is BuiltinDatasetId {
  return Object.prototype.hasOwnProperty.call(BUILTIN_DATASETS, id);
}

const fileName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/**
 * Inflated file bytes kept between visits, by path (in the browser: Cache Storage). Inflating
 * MNIST's 55 MB costs about a second here; reading them back, about a tenth of that.
 */
export interface InflatedCache {
  get(path: string): Promise<Uint8Array | null>;
  /** Stores a copy; may fail quietly (quota, no storage). */
  put(path: string, bytes: Uint8Array): void;
}

async function loadSplit(
  info: BuiltinDatasetInfo,
  imagesPath: string,
  labelsPath: string,
  fetchBytes: (path: string) => Promise<Uint8Array>,
  cache?: InflatedCache,
): Promise<ImageSet> {
  if (cache) {
    const [imageBytes, labelBytes] = await Promise.all([imagesPath, labelsPath].map((p) => cache.get(p).catch(() => null)));
    if (imageBytes && labelBytes) {
      try {
        return parseSplit(info, imagesPath, labelsPath, imageBytes, labelBytes);
      } catch {
        // a damaged copy: download again (and replace it)
      }
    }
  }
  const [imageBytes, labelBytes] = await Promise.all(
    [imagesPath, labelsPath].map(async (p) => maybeGunzip(await fetchBytes(p), fileName(p))),
  );
  const set = parseSplit(info, imagesPath, labelsPath, imageBytes!, labelBytes!);
  cache?.put(imagesPath, imageBytes!);
  cache?.put(labelsPath, labelBytes!);
  return set;
}

/** Checks and parses one split's inflated image and label files. */
function parseSplit(info: BuiltinDatasetInfo, imagesPath: string, labelsPath: string, imageBytes: Uint8Array, labelBytes: Uint8Array): ImageSet {
  const imagesName = fileName(imagesPath);
  const labelsName = fileName(labelsPath);
  const images = parseIdxImages(imageBytes, imagesName);
  const labels = parseIdxLabels(labelBytes, labelsName);
  const [height, width] = info.shape;
  if (images.rows !== height || images.cols !== width) {
    throw new DataFormatError(
      `The file ${imagesName} holds images of ${images.rows}×${images.cols} pixels, but ${info.name} images are ` +
        `${height}×${width}. The file belongs to a different dataset; download the right one again.`,
    );
  }
  if (images.count !== labels.length) {
    throw new DataFormatError(
      `The files ${imagesName} and ${labelsName} do not match: one has ${formatCount(images.count)} images, ` +
        `the other ${formatCount(labels.length)} labels, but every image needs exactly one label. ` +
        `They probably come from different splits or downloads; download both again.`,
    );
  }
  const numClasses = info.classNames.length;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= numClasses) {
      throw new DataFormatError(
        `The file ${labelsName} gives image ${i} the label ${labels[i]}, but ${info.name} only has the labels ` +
          `0..${numClasses - 1}. The file is damaged or from another dataset; download it again.`,
      );
    }
  }
  return { images: images.pixels, labels, count: images.count };
}

/**
 * Downloads and parses a bundled dataset. `fetchBytes` receives relative paths such as
 * `datasets/mnist/train-images-idx3-ubyte.gz` (the browser resolves them against the base
 * URL, Node against `public/`). Bodies may arrive gzipped or already inflated. The images are
 * views into the inflated buffers (no copy). With a `cache`, a split whose two inflated files
 * are there (and parse) is read from it, and a downloaded split is stored in it.
 */
export async function loadBuiltinDataset(
  id: string,
  fetchBytes: (path: string) => Promise<Uint8Array>,
  cache?: InflatedCache,
): Promise<Dataset> {
  if (isSyntheticDatasetId(id)) return loadSyntheticDataset(id); // generated, no files
  if (!isBuiltinDatasetId(id)) {
    throw new DataFormatError(
      `There is no built-in dataset called "${id}". The built-in datasets are: ` +
        `${[...Object.keys(BUILTIN_DATASETS), ...Object.keys(SYNTHETIC_DATASETS)].map((k) => `"${k}"`).join(', ')}. Pick one of those.`,
    );
  }
  const entry = BUILTIN_DATASETS[id];
  const info: BuiltinDatasetInfo = { ...entry, shape: [...entry.shape], classNames: [...entry.classNames] };
  const { files } = info;
  const [train, test] = await Promise.all([
    loadSplit(info, files.trainImages, files.trainLabels, fetchBytes, cache),
    loadSplit(info, files.testImages, files.testLabels, fetchBytes, cache),
  ]);
  return { id: info.id, name: info.name, shape: info.shape, classNames: info.classNames, train, test };
}
