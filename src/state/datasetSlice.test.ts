import { describe, expect, it } from 'vitest';
import { TrainingClient } from '../client/trainingClient';
import type { DatasetInfo, ToWorker } from '../protocol/messages';
import { createAppStore } from './store';
import { FakeWorker } from '../client/testing/fakeWorker';


const info = (trainCount: number): DatasetInfo => ({
  id: 'mnist', name: 'MNIST', shape: [28, 28, 1], classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  trainCount, testCount: 100, classCounts: new Array(10).fill(trainCount / 10), samples: [],
});

describe('selectDataset', () => {
  function setup() {
    const worker = new FakeWorker();
    const store = createAppStore(new TrainingClient(() => worker as unknown as Worker));
    const answer = (count: number) => {
      const req = worker.sent.find((m) => m.type === 'describeDataset') as Extract<ToWorker, { type: 'describeDataset' }>;
      worker.onmessage?.({ data: { type: 'datasetInfo', requestId: req.requestId, info: info(count) } });
    };
    return { store, answer };
  }

  it('keeps a training-example count typed while the dataset was loading', async () => {
    const { store, answer } = setup();
    const loading = store.getState().selectDataset('mnist');
    store.getState().setConfig({ trainingExamples: 600 });
    answer(60000);
    await loading;
    expect(store.getState().config.trainingExamples).toBe(600);
  });

  it('still follows the dataset when the count was left at "all"', async () => {
    const { store, answer } = setup();
    const loading = store.getState().selectDataset('mnist');
    answer(50000);
    await loading;
    expect(store.getState().config.trainingExamples).toBe(50000);
  });
});
