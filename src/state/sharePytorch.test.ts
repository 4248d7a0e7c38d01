import { describe, expect, it } from 'vitest';
import { TrainingClient } from '../client/trainingClient';
import { FakeWorker } from '../client/testing/fakeWorker';
import { createAppStore } from './store';

const setup = () => createAppStore(new TrainingClient(() => new FakeWorker() as unknown as Worker));

describe('Export PyTorch script (share slice)', () => {
  it('offers the current experiment as train_pytorch.py, with the dataset the app knows', () => {
    const s = setup();
    s.getState().setConfig({ learningRate: 0.0123, epochs: 3 });
    const r = s.getState().pytorchScriptFile();
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.file.name).toBe('train_pytorch.py');
    expect(r.file.type).toBe('text/x-python');
    const text = r.file.data as string;
    expect(text).toMatch(/^#!\/usr\/bin\/env python3/);
    expect(text).toContain('"learningRate": 0.0123');
    expect(text).toContain('"name": "MNIST"');
  });

  it('says why there is no script for a dataset drawn in the browser', () => {
    const s = setup();
    s.getState().setConfig({ datasetId: 'shapes' });
    const r = s.getState().pytorchScriptFile();
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problem).toMatch(/no files for the script to read/);
  });
});
