/**
 * The bench page's browser peer (issue 15, item 4): the same MLP from the same initial
 * weights trained by @jax-js/jax (./jaxPeer.ts) in this page. Correctness first: the first
 * steps' losses of jax-js and of tfjs with this app's Adam, from the same weights on the same
 * batches, must agree to 1e-3, or the speed is not reported. Then speed: the playground, the
 * peer, and the playground again (so neither side always runs on a warmer machine), and
 * `ratio` is the playground's samples/s (the mean of its two runs) over the peer's.
 */
import * as tf from '@tensorflow/tfjs';
import { loadBuiltinDataset } from '../core/data/builtin';
import { buildModel } from '../core/model/build';
import { presetSpec } from '../core/model/presets';
import { createOptimizer } from '../core/optimizers';
import type { ExperimentConfig } from '../core/training/config';
import { appUrl } from '../worker/appUrl';
import { jaxPeerRun, type MlpWeights } from './jaxPeer';
import { timePlaygroundRun } from './timeRun';

// Three steps: from the same weights the losses agree to about 5e-4 by the third (Adam's
// first steps move every weight by about the learning rate, whatever the gradient's size, so
// float rounding in tiny gradients shows); a wrong rule or a wrong model differs by far more.
const CHECK_STEPS = 3;
const TOLERANCE = 1e-3;

async function mnistSubset(n: number): Promise<{ images: Float32Array; labels: Int32Array }> {
  const mnist = await loadBuiltinDataset('mnist', async (path) => new Uint8Array(await (await fetch(appUrl(path))).arrayBuffer()));
  const count = Math.min(n, mnist.train.count);
  const images = new Float32Array(count * 784);
  for (let i = 0; i < images.length; i++) images[i] = mnist.train.images[i]! / 255;
  return { images, labels: Int32Array.from(mnist.train.labels.subarray(0, count)) };
}

/** The initial weights our builder gives the chapter MLP for this seed, as plain arrays. */
function initialWeights(seed: number): { weights: MlpWeights; model: tf.Sequential } {
  const model = buildModel(presetSpec('mlp', 10), [28, 28, 1], { seed, numClasses: 10 });
  const values = model.getWeights().map((w) => w.dataSync() as Float32Array);
  return {
    model,
    weights: { kernels: [values[0]!, values[2]!, values[4]!], biases: [values[1]!, values[3]!, values[5]!], dims: [784, 512, 512, 10] },
  };
}

/** The first steps' losses with tfjs and this app's Adam, batches in order. */
function tfjsLosses(model: tf.Sequential, images: Float32Array, labels: Int32Array, batchSize: number, learningRate: number): number[] {
  const optimizer = createOptimizer('adam', { learningRate });
  const losses: number[] = [];
  for (let s = 0; s < CHECK_STEPS; s++) {
    const loss = tf.tidy(() => {
      const x = tf.tensor4d(images.subarray(s * batchSize * 784, (s + 1) * batchSize * 784), [batchSize, 28, 28, 1]);
      const y = tf.oneHot(tf.tensor1d(labels.subarray(s * batchSize, (s + 1) * batchSize), 'int32'), 10);
      return optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, tf.log(model.predict(x) as tf.Tensor)) as tf.Scalar, true)!;
    });
    losses.push(loss.dataSync()[0]!);
    loss.dispose();
  }
  optimizer.dispose();
  return losses;
}

export async function browserPeer(config: ExperimentConfig, playgroundFirst: number) {
  const round = (x: number) => Number(x.toFixed(3));
  const { images, labels } = await mnistSubset(config.trainingExamples);
  // The reference runs on tfjs' cpu backend: in the page's main thread the threaded wasm
  // backend would block on its workers (it is for workers, as the app uses it).
  await tf.setBackend('cpu');
  const { model, weights } = initialWeights(config.seed);
  const reference = tfjsLosses(model, images, labels, config.batchSize, config.learningRate);
  model.dispose();
  const peer = await jaxPeerRun({
    images,
    labels,
    batchSize: config.batchSize,
    epochs: config.epochs,
    learningRate: config.learningRate,
    weights,
    checkSteps: CHECK_STEPS,
  });
  const maxLossDiff = Math.max(...reference.map((l, i) => Math.abs(l - peer.firstLosses[i]!)));
  const agree = maxLossDiff <= TOLERANCE;
  const again = await timePlaygroundRun(config);
  const ours = (playgroundFirst + again.samplesPerSec) / 2;
  return {
    name: peer.name,
    firstLosses: { tfjs: reference.map((x) => Number(x.toFixed(5))), jax: peer.firstLosses.map((x) => Number(x.toFixed(5))) },
    maxLossDiff: Number(maxLossDiff.toExponential(2)),
    lossesAgree: agree,
    // Speed only once the two compute the same thing.
    samplesPerSec: agree ? Math.round(peer.samplesPerSec) : null,
    playgroundSamplesPerSec: Math.round(ours),
    ratio: agree ? round(ours / peer.samplesPerSec) : null,
  };
}
