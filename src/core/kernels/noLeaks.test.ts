/**
 * Every kernel fix together, in real training steps on wasm: nothing accumulates, neither
 * tensors nor the backend's own buffers (our kernels' temporaries live outside tfjs' tensor
 * count, so the backend's count of data buffers is checked too).
 */
import { beforeAll, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { installWasmKernels } from './install';
import { syntheticTraining } from '../training/speedProbe';
import { presetSpec } from '../model/presets';

beforeAll(async () => {
  installWasmKernels();
  await tf.setBackend('wasm');
});

it.each(['mlp', 'small-cnn'])('%s on wasm: tensors and wasm buffers stay flat over training steps', async (model) => {
  const backend = tf.backend() as unknown as { numDataIds(): number };
  const training = syntheticTraining(presetSpec(model, 10), [28, 28, 1], 10, 16);
  await training.step(); // the first step creates the optimizer's slots
  const tensors = tf.memory().numTensors;
  const buffers = backend.numDataIds();
  for (let i = 0; i < 4; i++) await training.step();
  expect(tf.memory().numTensors).toBe(tensors);
  expect(backend.numDataIds()).toBe(buffers);
  training.dispose();
});
