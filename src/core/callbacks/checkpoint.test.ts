import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { checkpointCallback, thinBatches, type SavedCheckpointInfo } from './checkpoint';
import { testContext } from '../testing/trainContext';
import { defaultCheckpointSettings, type CheckpointSettings } from '../checkpoint/settings';
import { defaultConfig } from '../training/defaults';
import type { CheckpointSnapshot } from '../checkpoint/snapshot';
import type { EpochLogs } from './types';

let model: tf.Sequential;
let optimizer: tf.Optimizer;
beforeAll(async () => {
  await tf.setBackend('cpu');
  model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
  optimizer = tf.train.adam(0.01);
});
afterAll(() => {
  model.dispose();
  optimizer.dispose();
});

const valLosses = [0.9, 0.7, 0.8, 0.6, 0.65, 0.5];
const logs = (e: number): EpochLogs => ({ loss: 1 - e / 10, acc: 0.5, val_loss: valLosses[e]!, val_acc: 0.6 });

/** Runs the callback over six epochs and returns the 1-based epochs it saved, and the events. */
async function run(patch: Partial<CheckpointSettings>, failAt: number[] = []) {
  const saved: { snap: CheckpointSnapshot; info: SavedCheckpointInfo }[] = [];
  const cb = checkpointCallback({
    settings: { ...defaultCheckpointSettings(), nameTemplate: 'model-{epoch:02d}-{val_loss:.4f}', ...patch },
    config: defaultConfig(),
    save: async (snap, info) => {
      if (failAt.includes(info.epoch)) throw new Error('The browser\'s storage is full. Delete old checkpoints.');
      saved.push({ snap, info });
      return { sizeBytes: 2_100_000 };
    },
  });
  const ctx = testContext({ model, optimizer, epochs: 6 });
  let step = 0;
  for (let epoch = 0; epoch < 6; epoch++) {
    for (let batch = 0; batch < 3; batch++) {
      await cb.onBatchEnd!({ epoch, batch, step: step++, size: 4, loss: 1, acc: 0.5 }, ctx);
    }
    const s = step;
    ctx.resumePoint = () => ({ epoch: epoch + 1, step: s, rng: { shuffle: [1, 2, 3, 4], dropout: [5, 6, 7, 8] }, callbackStates: { checkpoint: cb.getState() } });
    await cb.onEpochEnd!({ epoch, logs: logs(epoch), samples: 12, trainMs: 5, numTensors: 0 }, ctx);
  }
  await cb.onTrainEnd!('completed', ctx);
  return { saved, events: ctx.events, cb };
}

describe('checkpointCallback', () => {
  it.each([
    [{ policy: 'everyEpoch' }, [1, 2, 3, 4, 5, 6]],
    [{ policy: 'everyN', everyN: 2 }, [2, 4, 6]],
    [{ policy: 'everyN', everyN: 4 }, [4, 6]], // the last epoch is always saved
    [{ policy: 'bestOnly', monitor: 'val_loss' }, [1, 2, 4, 6]],
    [{ policy: 'bestOnly', monitor: 'val_acc' }, [1]],
    [{ policy: 'bestOnly', monitor: 'loss', mode: 'max' }, [1]],
    [{ enabled: false }, []],
  ] as [Partial<CheckpointSettings>, number[]][])('%j saves after epochs %j', async (patch, epochs) => {
    const { saved } = await run(patch);
    expect(saved.map((s) => s.info.epoch)).toEqual(epochs);
  });

  it('names each checkpoint from the template and reports its size', async () => {
    const { saved, events } = await run({ policy: 'everyN', everyN: 3 });
    expect(saved.map((s) => s.info.name)).toEqual(['model-03-0.8000', 'model-06-0.5000']);
    expect(events[0]).toMatchObject({ kind: 'checkpoint', epoch: 3, message: 'Checkpoint model-03-0.8000 saved (2.1 MB).' });
  });

  it('snapshots the resume point, the weights, the optimizer and the history so far', async () => {
    const { saved } = await run({ policy: 'everyN', everyN: 2 });
    const first = saved[0]!.snap;
    expect(first.resume.epoch).toBe(2);
    expect(first.resume.step).toBe(6);
    expect(first.history.epochs.map((e) => e.epoch)).toEqual([0, 1]);
    expect(first.history.batches).toHaveLength(6);
    expect(first.weights.map((w) => w.shape)).toEqual([[3, 2], [2]]);
    expect(first.optimizer.className).toBe('Adam');
  });

  it('keeps training and explains it when a save fails', async () => {
    const { saved, events } = await run({ policy: 'everyEpoch' }, [2]);
    expect(saved.map((s) => s.info.epoch)).toEqual([1, 3, 4, 5, 6]);
    const storage = events.filter((e) => e.kind === 'storage');
    expect(storage).toHaveLength(1);
    expect(storage[0]!.message).toMatch(/model-02-0.7000 was not saved: .*storage is full.*Training goes on/);
  });

  it('restores its best value, so a resumed best-only run does not save a worse epoch', async () => {
    const { cb } = await run({ policy: 'bestOnly' });
    expect(cb.getState()).toEqual({ best: 0.5 });
    const again = checkpointCallback({ settings: { ...defaultCheckpointSettings(), policy: 'bestOnly' }, config: defaultConfig(), save: async () => ({ sizeBytes: 1 }) });
    again.setState({ best: 0.5 });
    expect(again.getState()).toEqual({ best: 0.5 });
    again.setState('garbage');
    expect(again.getState()).toEqual({ best: null });
  });
});

describe('thinBatches', () => {
  const pts = (n: number) => Array.from({ length: n }, (_, i) => ({ epoch: 0, batch: i, step: i, size: 1, loss: i, acc: 0 }));
  it.each([
    [10, 20, 10],
    [100, 10, 10],
    [101, 10, 10],
  ])('%i points, max %i -> at most %i, last kept', (n, max, atMost) => {
    const t = thinBatches(pts(n), max);
    expect(t.length).toBeLessThanOrEqual(atMost + 1);
    expect(t[t.length - 1]!.step).toBe(n - 1);
  });
});
