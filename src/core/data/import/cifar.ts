/**
 * The CIFAR-10 binary format (`cifar-10-binary.tar.gz`): records of 1 label byte and 3072
 * pixel bytes (1024 red, 1024 green, 1024 blue, row-major 32×32) in data_batch_1..5.bin
 * (train) and test_batch.bin (test); class names one per line in batches.meta.txt.
 */
import { DataFormatError } from '../types';
import type { ArchiveEntry } from './archive';

export const CIFAR_RECORD = 1 + 3072;
export const CIFAR_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

export interface CifarSplit {
  /** HWC RGB 32×32×3 per image. */
  images: Uint8Array;
  labels: Int32Array;
  count: number;
}

export function isCifarArchive(entries: ArchiveEntry[]): boolean {
  return entries.some((e) => /(^|\/)test_batch\.bin$/.test(e.path)) && entries.some((e) => /(^|\/)data_batch_\d+\.bin$/.test(e.path));
}

function parseBatches(files: ArchiveEntry[], maxImages: number): CifarSplit {
  let count = 0;
  for (const f of files) {
    if (f.bytes.length % CIFAR_RECORD !== 0) {
      throw new DataFormatError(
        `${f.path} is ${f.bytes.length} bytes, not a whole number of CIFAR-10 records (${CIFAR_RECORD} bytes each). ` +
          'The archive is damaged or not the binary version; download cifar-10-binary.tar.gz again.',
      );
    }
    count += f.bytes.length / CIFAR_RECORD;
  }
  count = Math.min(count, maxImages);
  const images = new Uint8Array(count * 3072);
  const labels = new Int32Array(count);
  let i = 0;
  for (const f of files) {
    for (let r = 0; r * CIFAR_RECORD < f.bytes.length && i < count; r++, i++) {
      const rec = f.bytes.subarray(r * CIFAR_RECORD, (r + 1) * CIFAR_RECORD);
      if (rec[0]! > 9) {
        throw new DataFormatError(`${f.path} gives record ${r} the label ${rec[0]}, but CIFAR-10 labels are 0..9. The file is damaged; download it again.`);
      }
      labels[i] = rec[0]!;
      const out = images.subarray(i * 3072, (i + 1) * 3072);
      for (let p = 0; p < 1024; p++) {
        out[p * 3] = rec[1 + p]!;
        out[p * 3 + 1] = rec[1 + 1024 + p]!;
        out[p * 3 + 2] = rec[1 + 2048 + p]!;
      }
    }
  }
  return { images, labels, count };
}

/** Train and test splits and class names from the archive's members. */
export function parseCifar(entries: ArchiveEntry[], maxImages = Infinity): { classNames: string[]; train: CifarSplit; test: CifarSplit } {
  const batch = (e: ArchiveEntry) => Number(/data_batch_(\d+)\.bin$/.exec(e.path)?.[1] ?? 0);
  const trainFiles = entries.filter((e) => batch(e) > 0).sort((a, b) => batch(a) - batch(b));
  const testFiles = entries.filter((e) => /(^|\/)test_batch\.bin$/.test(e.path));
  if (trainFiles.length === 0 || testFiles.length === 0) {
    throw new DataFormatError(
      'This archive lacks data_batch_N.bin or test_batch.bin, so it is not the CIFAR-10 binary version. ' +
        'Download cifar-10-binary.tar.gz (not the Python or MATLAB version).',
    );
  }
  const meta = entries.find((e) => /(^|\/)batches\.meta\.txt$/.test(e.path));
  const names = meta ? new TextDecoder().decode(meta.bytes).split(/\r?\n/).map((s) => s.trim()).filter(Boolean) : [];
  const classNames = names.length === 10 ? names : CIFAR_CLASSES;
  const test = parseBatches(testFiles, maxImages);
  const train = parseBatches(trainFiles, Math.max(0, maxImages - test.count));
  return { classNames, train, test };
}
