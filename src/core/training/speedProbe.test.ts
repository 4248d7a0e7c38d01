import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { measureTrainingSpeed, slowerReason } from './speedProbe';
import { useBackend } from '../testing/datasets';
import { presetSpec } from '../model/presets';

describe('measureTrainingSpeed', () => {
  it('measures the chapter MLP on wasm and on cpu, leaving no tensors behind', async () => {
    const speeds: Record<string, number> = {};
    for (const name of ['cpu', 'wasm'] as const) {
      await useBackend(name);
      const before = tf.memory().numTensors;
      const m = await measureTrainingSpeed(presetSpec('mlp', 10), [28, 28, 1], 10, { batchSize: 64, maxSteps: 2 });
      expect(m.timedSteps).toBeGreaterThanOrEqual(1);
      speeds[name] = m.samplesPerSec;
      expect(tf.memory().numTensors).toBe(before);
      expect(speeds[name]).toBeGreaterThan(0);
    }
    // Which is faster is the bench's business (a shared machine makes any speed ratio noisy);
    // here, that each was measured: finite, positive rates.
    expect(Object.values(speeds).every((v) => Number.isFinite(v))).toBe(true);
  }, 120_000);

  it('gives up after a slow warm-up step and estimates from it', async () => {
    await useBackend('cpu');
    const m = await measureTrainingSpeed(presetSpec('mlp', 10), [28, 28, 1], 10, { batchSize: 32, giveUpAfterMs: 0 });
    expect(m.timedSteps).toBe(0);
    expect(m.samplesPerSec).toBeGreaterThan(0);
  });

  it('throws what the backend throws for a model it cannot build, and frees what it made', async () => {
    await useBackend('cpu');
    const before = tf.memory().numTensors;
    await expect(
      measureTrainingSpeed({ layers: [{ type: 'flatten' }, { type: 'dense', units: 3, activation: 'softmax' }] }, [4, 4, 1], 10, { batchSize: 4 }),
    ).rejects.toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('slowerReason', () => {
  it('names both speeds, the winner and where the numbers come from', () => {
    expect(slowerReason(620.4, 'wasm', 5900, false)).toBe('slower here: about 620 samples/s against 5,900 on wasm (measured just now)');
    expect(slowerReason(55, 'webgl', 108, true)).toContain('measured earlier on this device');
  });
});
