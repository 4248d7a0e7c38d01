/**
 * The baseline: a plain tfjs `model.fit` of the same model on the same examples, in its own
 * module worker, with the same backend set-up as the training worker.
 */
import { appUrl } from '../worker/appUrl';
import * as tf from '@tensorflow/tfjs';
import { loadBuiltinDataset } from '../core/data/builtin';
import { buildModel } from '../core/model/build';
import { prepareData } from '../core/training/prepare';
import { selectBackend } from '../worker/backend';
import type { BareFitReply, BareFitRequest } from './protocol';

const post = (m: BareFitReply) => (self as unknown as Worker).postMessage(m);

async function fetchBytes(path: string) {
  return new Uint8Array(await (await fetch(appUrl(path))).arrayBuffer());
}

self.onmessage = async (e: MessageEvent<BareFitRequest>) => {
  const { config } = e.data;
  try {
    const dataset = await loadBuiltinDataset(config.datasetId, fetchBytes);
    const report = await selectBackend(config.backend, config.model, dataset.shape, dataset.classNames.length);
    const data = prepareData(dataset, config);
    const model = buildModel(config.model, dataset.shape, { seed: config.seed, numClasses: dataset.classNames.length });
    model.compile({ optimizer: tf.train.adam(config.learningRate), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    // tfjs' own sparse loss wants float labels; the cast happens once, outside the timing.
    const labels = data.train.y.toFloat();
    const epochMs: number[] = [];
    for (let i = 0; i < config.epochs; i++) {
      const t0 = performance.now();
      await model.fit(data.train.x, labels, { batchSize: config.batchSize, epochs: 1, shuffle: true, verbose: 0 });
      epochMs.push(performance.now() - t0);
    }
    post({ type: 'done', epochMs, samples: data.train.count, backend: report.backend });
    labels.dispose();
    data.dispose();
    model.dispose();
  } catch (err) {
    post({ type: 'error', message: (err as Error).message });
  }
};
