/**
 * The unpatched baseline: a bare tfjs `model.fit` on tfjs 4.22 exactly as installed, without
 * the playground's kernel fixes (no fast transposed matmul, no wasm convolution gradients)
 * and without backend fallback. It answers "how fast would this be without our work". The
 * wasm binaries are the same files, on one thread (what the app ran before issue 5).
 */
import { appUrl } from '../worker/appUrl';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import '../worker/wasmFiles';
import { loadBuiltinDataset } from '../core/data/builtin';
import { buildModel } from '../core/model/build';
import { prepareData } from '../core/training/prepare';
import type { BareFitReply, BareFitRequest } from './protocol';

tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

const post = (m: BareFitReply) => (self as unknown as Worker).postMessage(m);

async function fetchBytes(path: string) {
  return new Uint8Array(await (await fetch(appUrl(path))).arrayBuffer());
}

self.onmessage = async (e: MessageEvent<BareFitRequest>) => {
  const { config } = e.data;
  try {
    if (config.backend === 'auto') throw new Error('the unpatched baseline needs a named backend');
    if (!(await tf.setBackend(config.backend))) throw new Error(`backend ${config.backend} did not start`);
    await tf.ready();
    const dataset = await loadBuiltinDataset(config.datasetId, fetchBytes);
    const data = prepareData(dataset, config);
    const model = buildModel(config.model, dataset.shape, { seed: config.seed, numClasses: dataset.classNames.length });
    model.compile({ optimizer: tf.train.adam(config.learningRate), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const labels = data.train.y.toFloat();
    const epochMs: number[] = [];
    for (let i = 0; i < config.epochs; i++) {
      const t0 = performance.now();
      await model.fit(data.train.x, labels, { batchSize: config.batchSize, epochs: 1, shuffle: true, verbose: 0 });
      epochMs.push(performance.now() - t0);
    }
    post({ type: 'done', epochMs, samples: data.train.count, backend: tf.getBackend() });
    labels.dispose();
    data.dispose();
    model.dispose();
  } catch (err) {
    post({ type: 'error', message: (err as Error).message });
  }
};
