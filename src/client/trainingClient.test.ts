import { describe, expect, it } from 'vitest';
import { TrainingClient, type ClientEvent } from './trainingClient';
import { defaultConfig } from '../core/training/defaults';
import type { ToWorker } from '../protocol/messages';
import { FakeWorker } from './testing/fakeWorker';

/** A stand-in for the Worker object: records what the client sends, lets a test reply. */

function setup(workerSetup: { wasmThreads?: number } = {}) {
  const workers: FakeWorker[] = [];
  const client = new TrainingClient(() => {
    const w = new FakeWorker();
    workers.push(w);
    return w as unknown as Worker;
  }, workerSetup);
  const events: ClientEvent[] = [];
  client.subscribe((e) => events.push(e));
  return { client, workers, events };
}

describe('TrainingClient', () => {
  it('tags requests with a run id and drops events of a stale run', () => {
    const { client, workers, events } = setup();
    const first = client.train(defaultConfig());
    const second = client.train(defaultConfig());
    expect(workers[0]!.sent.map((m) => m.type)).toEqual(['setup', 'train', 'train']);
    workers[0]!.reply({ type: 'phase', runId: first, phase: 'training' });
    workers[0]!.reply({ type: 'phase', runId: second, phase: 'training' });
    expect(events).toEqual([{ type: 'phase', runId: second, phase: 'training' }]);
    client.pause();
    client.stop();
    expect(workers[0]!.sent.slice(3)).toEqual([
      { type: 'pause', runId: second },
      { type: 'stop', runId: second },
    ]);
  });

  it('answers dataset requests by request id, and rejects with the worker message', async () => {
    const { client, workers } = setup();
    const ok = client.describeDataset('mnist');
    const bad = client.describeDataset('nope');
    const [a, b] = workers[0]!.sent.slice(1) as Extract<ToWorker, { type: 'describeDataset' }>[];
    workers[0]!.reply({ type: 'datasetError', requestId: b!.requestId, message: 'There is no built-in dataset called "nope".' });
    const info = { id: 'mnist', name: 'MNIST', shape: [28, 28, 1] as [number, number, number], classNames: [], trainCount: 1, testCount: 1, classCounts: [], samples: [] };
    workers[0]!.reply({ type: 'datasetInfo', requestId: a!.requestId, info });
    await expect(ok).resolves.toEqual(info);
    await expect(bad).rejects.toThrow('no built-in dataset');
  });

  it('replaces a worker that crashed, tells subscribers in words, and keeps working', async () => {
    const { client, workers, events } = setup();
    const runId = client.train(defaultConfig());
    const pending = client.describeDataset('mnist');
    workers[0]!.onerror!({ message: 'Uncaught RangeError: Array buffer allocation failed', preventDefault() {} });
    expect(workers[0]!.terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: 'workerCrashed', runId });
    expect((events.at(-1) as { message: string }).message).toMatch(/Array buffer allocation failed.*fresh worker.*settings are kept/);
    await expect(pending).rejects.toThrow();
    const next = client.train(defaultConfig());
    expect(workers[1]!.sent).toEqual([{ type: 'setup' }, { type: 'train', runId: next, config: defaultConfig() }]);
  });

  it('sends the wasm thread count asked for first, to a replacement worker too', () => {
    const { client, workers } = setup({ wasmThreads: 2 });
    client.train(defaultConfig());
    expect(workers[0]!.sent[0]).toEqual({ type: 'setup', wasmThreads: 2 });
    workers[0]!.onerror!({ message: 'crash', preventDefault() {} });
    expect(workers[1]!.sent).toEqual([{ type: 'setup', wasmThreads: 2 }]);
  });
});
