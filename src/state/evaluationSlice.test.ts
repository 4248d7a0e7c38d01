import { describe, expect, it } from 'vitest';
import { TrainingClient } from '../client/trainingClient';
import type { FromWorker, ToWorker } from '../protocol/messages';
import { createAppStore } from './store';

function setup() {
  const sent: ToWorker[] = [];
  const worker = {
    postMessage: (m: ToWorker) => void sent.push(m),
    terminate() {},
    onmessage: null as ((e: { data: FromWorker }) => void) | null,
    onerror: null,
    onmessageerror: null,
  };
  const client = new TrainingClient(() => worker as unknown as Worker);
  const store = createAppStore(client);
  const reply = (m: FromWorker) => worker.onmessage!({ data: m });
  return { store, sent, reply, client };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

// 4 test images, 2 classes: image 1 (a "b") is called "a" with 0.9, image 3 (an "a") "b" with 0.6.
const predictions = (runId: number): FromWorker => ({
  type: 'testPredictions',
  runId,
  datasetId: 'toy',
  datasetName: 'Toy',
  classNames: ['a', 'b'],
  shape: [1, 1, 1],
  labels: Int32Array.from([0, 1, 1, 0]),
  probs: Float32Array.from([0.8, 0.2, 0.9, 0.1, 0.3, 0.7, 0.4, 0.6]),
  ms: 12,
});

describe('evaluation slice', () => {
  it('builds the matrix and per-class numbers from the test predictions, and fetches a cell’s images', async () => {
    const { store, sent, reply } = setup();
    store.getState().train();
    const runId = store.getState().runId!;
    store.getState().applyEvents([predictions(runId)]);
    const ev = store.getState().evaluation!;
    expect(Array.from(ev.matrix)).toEqual([1, 1, 1, 1]);
    expect(ev.accuracy).toBe(0.5);
    expect(ev.perClass[0]).toMatchObject({ support: 2, correct: 1, predictedCount: 2 });

    const shown = store.getState().showCell(1, 0);
    const req = sent.find((m) => m.type === 'testImages')!;
    expect(req).toMatchObject({ type: 'testImages', runId, indices: Int32Array.from([1]) });
    expect(store.getState().gallery).toMatchObject({ kind: 'cell', trueClass: 1, predictedClass: 0, total: 1, loading: true });
    reply({ type: 'testImages', requestId: (req as { requestId: number }).requestId, shape: [1, 1, 1], pixels: Uint8Array.of(200) });
    await shown;
    expect(store.getState().gallery).toMatchObject({ loading: false, pixels: Uint8Array.of(200) });

    void store.getState().showMostConfidentlyWrong();
    expect(Array.from(store.getState().gallery!.indices)).toEqual([1, 3]);
  });

  it('says why the gallery is empty-handed, in words', async () => {
    const { store, sent, reply } = setup();
    store.getState().train();
    store.getState().applyEvents([predictions(store.getState().runId!)]);
    const shown = store.getState().showMostConfidentlyWrong();
    const req = sent.filter((m) => m.type === 'testImages').pop() as { requestId: number };
    reply({ type: 'testImages', requestId: req.requestId, error: 'These results belong to a model the worker no longer holds.' });
    await shown;
    expect(store.getState().gallery!.error).toMatch(/no longer holds/);
  });

  it('keeps one drawing in flight and sends only the newest of those drawn meanwhile', async () => {
    const { store, sent, reply } = setup();
    const img = (v: number) => ({ width: 1, height: 1, data: new Uint8ClampedArray([v, v, v, 255]) });
    store.getState().predictDrawing(img(1));
    store.getState().predictDrawing(img(2));
    store.getState().predictDrawing(img(3));
    const predicts = () => sent.filter((m) => m.type === 'predict') as { requestId: number; image: { data: Uint8ClampedArray } }[];
    expect(predicts()).toHaveLength(1);
    expect(store.getState().tryIt.status).toBe('waiting');
    const result = { probs: Float32Array.of(0.25, 0.75), classNames: ['a', 'b'], input: Uint8Array.of(0), shape: [1, 1, 1] as [number, number, number], empty: false };
    reply({ type: 'prediction', requestId: predicts()[0]!.requestId, result });
    await tick();
    expect(predicts()).toHaveLength(2);
    expect(predicts()[1]!.image.data[0]).toBe(3);
    reply({ type: 'prediction', requestId: predicts()[1]!.requestId, error: 'There is no model yet: train one.' });
    await tick();
    expect(store.getState().tryIt).toMatchObject({ status: 'error', error: 'There is no model yet: train one.' });
    store.getState().clearPrediction();
    expect(store.getState().tryIt).toEqual({ status: 'idle', result: null, error: null });
  });

  it('forgets the results when a new run starts', () => {
    const { store } = setup();
    store.getState().train();
    const runId = store.getState().runId!;
    store.getState().applyEvents([predictions(runId)]);
    store.getState().applyEvents([{ type: 'runStarted', runId, trainCount: 1, validationCount: 0, batchesPerEpoch: 1 }]);
    expect(store.getState().evaluation).toBeNull();
  });
});
