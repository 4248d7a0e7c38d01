/**
 * What sampling the layer statistics costs (core/inspect), on the wasm backend under Node:
 * the bench's MLP (batch 32 and 128), its Small CNN (batch 64), and the 40-layer MLP. Each
 * trains STEPS batches sampling every 2nd one, so sampled and plain steps alternate and load
 * on a shared machine hits both alike; a step's time is from one onBatchBegin to the next.
 * `sampledStepCost` is the median sampled step over the median plain one, and the slowdown at
 * the default interval is (cost − 1) / DEFAULT_INSPECT_EVERY. Run with
 * `npx vitest run --config vitest.chapter.config.ts src/core/inspect/cost.verify.ts`
 * (COST_MODELS=small-cnn@64,mlp@32 picks cases; COST_STEPS=200).
 */
import { it } from 'vitest';
import { createExperiment, disposeExperiment, runExperiment } from '../experiment';
import { loadTestDataset, useBackend } from '../testing/datasets';
import { defaultConfig } from '../training/defaults';
import { presetSpec } from '../model/presets';
import { DEFAULT_INSPECT_EVERY } from './probe';

const STEPS = Number(process.env.COST_STEPS ?? 200);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

it('sampling cost on wasm', async () => {
  await useBackend('wasm');
  const mnist = await loadTestDataset('mnist');
  const only = process.env.COST_MODELS?.split(',');
  const cases = [
    { model: 'mlp', batchSize: 32 },
    { model: 'mlp', batchSize: 128 },
    { model: 'small-cnn', batchSize: 64 },
    { model: 'deep-mlp', batchSize: 32 },
  ].filter((c) => !only || only.includes(`${c.model}@${c.batchSize}`));
  const results = [];
  for (const c of cases) {
    const config = {
      ...defaultConfig(),
      model: presetSpec(c.model, 10),
      batchSize: c.batchSize,
      trainingExamples: Math.max(4096, (STEPS + 1) * c.batchSize),
      epochs: 1,
      stepsPerEpoch: STEPS,
      validationSplit: 0,
      checkpoints: undefined,
      inspectEvery: 2,
    };
    const exp = createExperiment(config, mnist);
    const t: number[] = [];
    await runExperiment(exp, { callbacks: [{ onBatchBegin: () => void t.push(performance.now()) }] });
    disposeExperiment(exp);
    // d[s] = time of step s; steps 0, 2, 4… are sampled. The first 10 warm up.
    const d = t.slice(1).map((x, s) => x - t[s]!);
    const sampled = d.filter((_, s) => s >= 10 && s % 2 === 0);
    const plain = d.filter((_, s) => s >= 10 && s % 2 === 1);
    const cost = median(sampled) / median(plain);
    results.push({
      ...c,
      plainStepMs: Number(median(plain).toFixed(1)),
      sampledStepMs: Number(median(sampled).toFixed(1)),
      sampledStepCost: Number(cost.toFixed(2)),
      every: DEFAULT_INSPECT_EVERY,
      slowdownAtDefault: Number(((cost - 1) / DEFAULT_INSPECT_EVERY).toFixed(3)),
    });
  }
  console.log(JSON.stringify({ inspectCost: results }));
});
