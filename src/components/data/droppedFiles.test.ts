import { describe, expect, it } from 'vitest';
import { datasetName } from './droppedFiles';

const f = (path: string) => ({ path, file: null as unknown as File });

describe('datasetName', () => {
  it('names a dataset after the picked folder or the main file', () => {
    expect(datasetName([f('pets/cat/1.png'), f('pets/dog/2.png')])).toBe('pets');
    expect(datasetName([f('cifar-10-binary.tar.gz')])).toBe('cifar-10-binary');
    expect(datasetName([f('1.png'), f('labels.csv')])).toBe('labels');
    expect(datasetName([f('a.zip')])).toBe('a');
  });
});
