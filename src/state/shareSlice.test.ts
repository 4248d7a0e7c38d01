import { describe, expect, it } from 'vitest';
import { TrainingClient } from '../client/trainingClient';
import { presetSpec } from '../core/model/presets';
import { normalizeConfig } from '../core/share/codec';
import { createAppStore } from './store';
import { parseUrl } from './url';
import { FakeWorker } from '../client/testing/fakeWorker';


function setup() {
  const client = new TrainingClient(() => new FakeWorker() as unknown as Worker);
  return createAppStore(client);
}

const exp = (url: string) => new URL(url).searchParams.get('exp')!;

describe('share slice', () => {
  it('previews a link without changing anything, applies it, and undoes it', async () => {
    const teacher = setup();
    teacher.getState().setConfig({ learningRate: 0.01, epochs: 3, seed: 7 });
    teacher.getState().applyPreset('small-cnn');
    const link = teacher.getState().experimentLink('https://example.org/app/');

    const learner = setup();
    const before = learner.getState().config;
    await learner.getState().openExperimentLink(exp(link));
    const p = learner.getState().sharePreview!;
    expect(p.error).toBeNull();
    expect(p.problems).toEqual([]);
    expect(p.changes.map((c) => c.label)).toEqual(['Model', 'Learning rate', 'Epochs', 'Seed']);
    expect(p.changes[0]).toEqual({ label: 'Model', from: 'Dense 512-512 MLP', to: 'Small CNN' });
    expect(learner.getState().config).toBe(before);

    learner.getState().applyExperiment();
    expect(learner.getState().config).toEqual(normalizeConfig(teacher.getState().config));
    expect(learner.getState().presetId).toBe('small-cnn');
    expect(learner.getState().sharePreview).toBeNull();
    expect(learner.getState().shareMessage).toMatch(/4 settings changed/);

    learner.getState().undoExperiment();
    expect(learner.getState().config).toEqual(before);
    expect(learner.getState().presetId).toBe('mlp');
    expect(learner.getState().shareUndo).toBeNull();
  });

  it('round-trips the settings through experiment.json', async () => {
    const a = setup();
    a.getState().setConfig({ batchSize: 64, optimizer: 'sgd', learningRate: 0.05, model: presetSpec('deep-mlp', 10) });
    const file = a.getState().experimentFile();
    expect(file.name).toBe('experiment.json');
    const b = setup();
    await b.getState().openExperimentFile(file.data as string, 'experiment.json');
    b.getState().applyExperiment();
    expect(b.getState().config).toEqual(normalizeConfig(a.getState().config));
    expect(b.getState().presetId).toBe('deep-mlp');
  });

  it('shows a broken file as a problem and changes nothing', async () => {
    const s = setup();
    s.getState().setConfig({ epochs: 4 });
    const before = s.getState().config;
    await s.getState().openExperimentFile('{"version": 1, "config": {"epochs": "many"}}', 'broken.json');
    const p = s.getState().sharePreview!;
    expect(p.next).toBeNull();
    expect(p.error).toMatch(/broken.json: the field "config.epochs" is "many"/);
    s.getState().applyExperiment();
    expect(s.getState().config).toBe(before);
    s.getState().cancelExperiment();
    expect(s.getState().sharePreview).toBeNull();
    expect(s.getState().config).toBe(before);
  });

  it('lists semantic problems and ignored fields, and still lets the learner apply', async () => {
    const a = setup();
    const doc = { ...a.getState().experimentDocument(), note: 'hi' };
    doc.config = { ...doc.config, batchSize: 100000, model: { layers: [{ type: 'dense', units: 10, activation: 'softmax' }] } };
    const b = setup();
    await b.getState().openExperimentFile(JSON.stringify(doc), 'x.json');
    const p = b.getState().sharePreview!;
    expect(p.problems.some((m) => m.startsWith('Batch size 100,000'))).toBe(true);
    expect(p.problems.some((m) => m.startsWith('Model: '))).toBe(true);
    expect(p.ignored).toEqual(['note']);
    expect(p.next).not.toBeNull();
  });

  it('says when the imported dataset is not here, and keeps the dataset', async () => {
    const a = setup();
    const doc = { ...a.getState().experimentDocument(), dataset: { kind: 'imported', name: 'leaves', fingerprint: 'x' } };
    const b = setup();
    await b.getState().openExperimentFile(JSON.stringify(doc), 'x.json');
    const p = b.getState().sharePreview!;
    expect(p.problems[0]).toMatch(/"leaves", which is not in this browser/);
    expect(p.next!.datasetId).toBe('mnist');
  });

  it('says when a link is damaged', async () => {
    const s = setup();
    await s.getState().openExperimentLink('not-a-link');
    expect(s.getState().sharePreview!.error).toMatch(/cut off or damaged/);
  });

  it('does not apply while a run is in progress', async () => {
    const a = setup();
    a.getState().setConfig({ epochs: 2 });
    const b = setup();
    await b.getState().openExperimentLink(exp(a.getState().experimentLink('https://example.org/')));
    b.setState({ status: 'training' });
    const before = b.getState().config;
    b.getState().applyExperiment();
    expect(b.getState().config).toBe(before);
    expect(b.getState().shareMessage).toMatch(/stop it/);
    expect(b.getState().sharePreview).not.toBeNull();
  });
});

describe('parseUrl and ?exp=', () => {
  it('hands the experiment on and keeps the other parameters working', () => {
    const u = parseUrl('?exp=abc_-1&seed=3&backend=wasm&threads=2&present=1');
    expect(u.experiment).toBe('abc_-1');
    expect(u.patch).toEqual({ seed: 3, backend: 'wasm' });
    expect(u.threads).toBe(2);
    expect(u.present).toBe(true);
    expect(parseUrl('?seed=3').experiment).toBeUndefined();
  });
});
