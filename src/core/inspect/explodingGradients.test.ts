import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { explodingGradients } from './explodingGradients';
import type { TrainContext, TrainEvent } from '../callbacks/types';
import type { LayerStatsSample } from './stats';

const sample = (step: number, grad: number[], weight: number[]): LayerStatsSample => ({
  step,
  epoch: 0,
  gradRms: Float32Array.from(grad),
  weightRms: Float32Array.from(weight),
  actMean: new Float32Array(grad.length),
  actStd: new Float32Array(grad.length),
  actZero: new Float32Array(grad.length),
});

function run(samples: LayerStatsSample[]): TrainEvent[] {
  const events: TrainEvent[] = [];
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [2] }), tf.layers.dense({ units: 2 })] });
  const ctx = { model, emit: (e: TrainEvent) => events.push(e) } as unknown as TrainContext;
  const cb = explodingGradients();
  cb.onTrainBegin!(ctx);
  for (const s of samples) cb.onLayerStats!(s, ctx);
  model.dispose();
  return events;
}

const warm = [sample(0, [0.01, 0.01], [0.06, 0.06]), sample(10, [0.01, 0.01], [0.06, 0.06]), sample(20, [0.01, 0.01], [0.06, 0.06])];

describe('explodingGradients', () => {
  it.each([
    { name: 'steady gradients', later: [sample(30, [0.02, 0.01], [0.07, 0.06])], events: 0 },
    // SGD at lr 1 on the MLP (measured): gradients ×4, weights ×3: no explosion.
    { name: 'a rough but stable run', later: [sample(30, [0.04, 0.02], [0.18, 0.1])], events: 0 },
    // A deep stack's output layer gains its gradient as it learns; its weights barely move.
    { name: 'a growing gradient alone', later: [sample(30, [0.01, 50], [0.06, 0.07])], events: 0 },
    // SGD at lr 3 (measured): gradients ×800, weights ×200.
    { name: 'gradients and weights blowing up', later: [sample(30, [8, 2400], [5.8, 12000])], events: 1, at: 30, layer: /dense_\w+ reached 2\.4×10³/ },
    { name: 'non-finite gradients', later: [sample(30, [Infinity, 1], [1, 1])], events: 1, at: 30, layer: /stopped being numbers/ },
    { name: 'reported once', later: [sample(30, [8, 2400], [5.8, 12000]), sample(40, [NaN, NaN], [NaN, NaN])], events: 1, at: 30 },
  ])('$name', ({ later, events, at, layer }) => {
    const got = run([...warm, ...later]);
    expect(got).toHaveLength(events);
    if (events) {
      expect(got[0]!.kind).toBe('explodingGradients');
      expect(got[0]!.step).toBe(at);
      expect(got[0]!.epoch).toBe(1);
      if (layer) expect(got[0]!.message).toMatch(layer);
      expect(got[0]!.message).toMatch(/exploding gradients/);
    }
  });
  it("names a BatchNormalization row's gamma as its scale", () => {
    const events: TrainEvent[] = [];
    const model = tf.sequential({ layers: [tf.layers.batchNormalization({ inputShape: [2] }), tf.layers.dense({ units: 2 })] });
    const ctx = { model, emit: (e: TrainEvent) => events.push(e) } as unknown as TrainContext;
    const cb = explodingGradients();
    cb.onTrainBegin!(ctx);
    for (const s of [...warm, sample(30, [2400, 0.01], [12000, 0.06])]) cb.onLayerStats!(s, ctx);
    model.dispose();
    expect(events).toHaveLength(1);
    expect(events[0]!.message).toMatch(/gradients of batch_normalization_\w+ reached 2\.4×10³.*and its scale \(gamma\) grew 200,000-fold/);
  });
  it('finds a blow-up during the warm-up', () => {
    expect(run([sample(0, [0.01, 0.01], [0.06, 0.06]), sample(10, [NaN, 1], [NaN, 1])])).toHaveLength(1);
  });
});
