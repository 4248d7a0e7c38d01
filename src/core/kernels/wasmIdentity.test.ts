/** Clones and same-dtype casts on wasm share their bytes: same values, no copy, nothing freed too early or leaked. */
import { beforeAll, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { installWasmKernels } from './install';

beforeAll(async () => {
  installWasmKernels();
  await tf.setBackend('wasm');
});

it('a clone shares the bytes, outlives its original, and frees them last', async () => {
  const bytesBefore = tf.memory().numBytes;
  const backend = tf.backend() as unknown as { refCount(id: object): number };
  const a = tf.tensor([1, 2, 3, 4], [2, 2]);
  const b = tf.clone(a);
  expect(b.dataId).toBe(a.dataId);
  expect(backend.refCount(a.dataId)).toBe(2);
  a.dispose();
  expect(Array.from(await b.data())).toEqual([1, 2, 3, 4]);
  b.dispose();
  expect(backend.refCount(b.dataId)).toBe(0);
  expect(tf.memory().numBytes).toBe(bytesBefore);
});

it('a variable trained after a snapshot leaves the snapshot as it was', async () => {
  const v = tf.variable(tf.tensor([1, 2, 3]));
  const snapshot = tf.clone(v);
  const optimizer = tf.train.sgd(0.5);
  tf.dispose(optimizer.minimize(() => tf.sum(tf.mul(v, v)) as tf.Scalar, true, [v])!);
  expect(Array.from(await snapshot.data())).toEqual([1, 2, 3]);
  expect(Array.from(await v.data())).toEqual([0, 0, 0]);
  tf.dispose([v, snapshot]);
  optimizer.dispose();
});

it('a cast to the same dtype shares the bytes; to another dtype it converts', async () => {
  const a = tf.tensor([1.5, -2, 3]);
  const same = tf.cast(a, 'float32');
  const other = tf.cast(a, 'int32');
  expect(same.dataId).toBe(a.dataId);
  expect(other.dataId).not.toBe(a.dataId);
  a.dispose();
  expect(Array.from(await same.data())).toEqual([1.5, -2, 3]);
  expect(Array.from(await other.data())).toEqual([1, -2, 3]);
  tf.dispose([same, other]);
});

