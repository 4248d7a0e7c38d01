import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { TrainingClient } from '../client/trainingClient';
import { presetSpec } from '../core/model/presets';
import type { ToWorker } from '../protocol/messages';
import { closeAppDb, DB_NAME, openAppDb } from '../storage/db';
import { createAppStore } from './store';
import { FakeWorker } from '../client/testing/fakeWorker';

/** Stands in for the training worker (whose load logic core/model tests cover): records requests, lets a test reply. */

function setup() {
  const worker = new FakeWorker();
  const client = new TrainingClient(() => worker as unknown as Worker);
  const store = createAppStore(client);
  return { worker, client, store };
}
const tick = () => new Promise((r) => setTimeout(r, 0));
/** Waits until the store has sent a request of `type`. */
async function sent<T extends ToWorker['type']>(w: FakeWorker, type: T, count = 1) {
  for (let i = 0; i < 100 && w.sent.filter((m) => m.type === type).length < count; i++) await tick();
  return w.last(type);
}
const chosen = (name: string, text: string) => ({
  name,
  size: text.length,
  arrayBuffer: async () => new TextEncoder().encode(text).buffer as ArrayBuffer,
});

afterEach(async () => {
  await closeAppDb();
  await new Promise((r) => (indexedDB.deleteDatabase(DB_NAME).onsuccess = r));
});

describe('models slice', () => {
  it('a failed load keeps the model, the run and the settings; a good one replaces the builder and the run', async () => {
    const { worker, store } = setup();
    store.getState().train();
    const runId = worker.last('train').runId;
    worker.reply({ type: 'runEnded', runId, reason: 'completed', epochsCompleted: 1 });
    store.setState({ hasModel: true, status: 'finished', testResult: { loss: 0.3, acc: 0.9, count: 10 } });
    const before = store.getState();

    const files = [chosen('model.json', '{}'), chosen('weights.bin', 'xx')];
    const failing = store.getState().loadModelFiles(files, 'model');
    const req = await sent(worker, 'loadModel');
    expect(req).toMatchObject({ mode: 'model', name: 'model.json', modelJson: '{}', weights: [{ name: 'weights.bin' }] });
    worker.reply({ type: 'modelError', requestId: req.requestId, message: 'weights.bin holds 2 bytes but model.json describes 4 bytes' });
    await failing;
    const after = store.getState();
    expect(after.modelsMessage).toEqual({ kind: 'error', text: 'weights.bin holds 2 bytes but model.json describes 4 bytes' });
    expect([after.config, after.hasModel, after.status, after.testResult]).toEqual([before.config, true, 'finished', before.testResult]);
    store.getState().evaluate();
    expect(worker.last('evaluate').runId).toBe(runId); // still the trained run

    const loading = store.getState().loadModelFiles(files, 'model');
    const req2 = await sent(worker, 'loadModel', 2);
    store.getState().setConfig({ epochs: 3 }); // edited while the model loads: kept
    const config = { ...before.config, model: presetSpec('small-cnn', 10), preprocessing: 'center' as const };
    worker.reply({ type: 'modelLoaded', requestId: req2.requestId, runId: req2.runId, name: 'model.json', config, params: 54_410, notes: [] });
    await loading;
    const s = store.getState();
    expect(s.config).toMatchObject({ model: config.model, preprocessing: 'center', epochs: 3 });
    expect([s.hasModel, s.presetId, s.testResult, s.epochPoints]).toEqual([true, 'custom', null, []]);
    expect(s.runMessage).toBe('Loaded model "model.json" (54,410 parameters).');
    store.getState().evaluate();
    expect(worker.last('evaluate').runId).toBe(req2.runId); // evaluation now scores the loaded model
  });

  it('refuses a wrong mix of files before asking the worker', async () => {
    const { worker, store } = setup();
    await store.getState().loadModelFiles([chosen('weights.bin', 'x')], 'weights');
    expect(store.getState().modelsMessage?.text).toMatch(/^You chose weights\.bin only: choose model\.json too/);
    expect(worker.sent.filter((m) => m.type === 'loadModel')).toEqual([]);
  });

  it('saves the exported files, asks before replacing, and asks to train further', async () => {
    const { worker, store } = setup();
    store.getState().train();
    const exported = async () => {
      const req = await sent(worker, 'exportModel', worker.sent.filter((m) => m.type === 'exportModel').length + 1);
      worker.reply({ type: 'modelExported', requestId: req.requestId, modelJson: '{"a":1}', weights: new ArrayBuffer(8), params: 2, datasetName: 'MNIST' });
    };
    let saving = store.getState().saveToBrowser(' run 1 ');
    await exported();
    await saving;
    expect(store.getState().savedModels).toMatchObject([{ id: 'run 1', params: 2, sizeBytes: 8, datasetName: 'MNIST' }]);
    saving = store.getState().saveToBrowser('run 1');
    await exported();
    await saving;
    expect(store.getState().overwriteName).toBe('run 1');

    const files = store.getState().exportModelFiles('weights');
    await exported();
    expect((await files)!.map((f) => f.name)).toEqual(['weights.json', 'weights.bin']);

    store.getState().setContinueTraining(true);
    store.getState().train();
    expect(worker.last('train').initialWeights).toBe('current');
  });

  it('explains a stale saved model instead of loading it', async () => {
    const { worker, store } = setup();
    await (await openAppDb()).put('models', { id: 'old', name: 'old', schema: 0, savedAt: 1 });
    await store.getState().refreshSavedModels();
    expect(store.getState().savedModels[0]!.stale).toMatch(/older version/);
    await store.getState().loadSavedModel('old');
    expect(store.getState().modelsMessage?.text).toBe(`"old" saved by an older version of the app; it can't be loaded — delete it.`);
    expect(worker.sent.some((m) => m.type === 'loadModel')).toBe(false);
  });
});
