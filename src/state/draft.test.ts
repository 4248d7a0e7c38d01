import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from './store';
import { silentClient } from '../client/testing/silentClient';
import { keepDraft, restoreDraft, type DraftStorage } from './draft';
import { DRAFT_KEY, decodeDraft, encodeDraft } from '../core/share/draft';
import { defaultConfig } from '../core/training/defaults';

const client = silentClient;

/** localStorage's behaviour on a Map. */
function memoryStorage(): DraftStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, String(v)),
    removeItem: (k) => void data.delete(k),
  };
}

afterEach(() => vi.useRealTimers());

/** A learner's edits: a layer added and changed, the preset now custom, a few settings. */
function edit(store: ReturnType<typeof createAppStore>) {
  const s = store.getState();
  s.addLayer('dropout');
  s.updateLayer(1, { units: 256 } as never);
  s.setConfig({ epochs: 3, learningRate: 0.01, seed: 7, datasetId: 'fashion-mnist', trainingExamples: 2000 });
  s.setAugmentation({ flipH: true, fraction: 0.5 });
}

describe('the experiment kept across reloads', () => {
  it('comes back whole after a reload: layers, settings, preset and dataset', () => {
    vi.useFakeTimers();
    const storage = memoryStorage();
    const before = createAppStore(client);
    const keeper = keepDraft(before, storage, 300);
    edit(before);
    expect(storage.data.has(DRAFT_KEY)).toBe(false); // written once the edits pause
    vi.advanceTimersByTime(300);
    expect(storage.data.has(DRAFT_KEY)).toBe(true);
    keeper.stop();

    const after = createAppStore(client); // the reload
    expect(after.getState().config.model.layers).toHaveLength(4); // Flatten, Dense, Dense, Dense
    expect(restoreDraft(after, storage, () => expect.fail('no warning expected'))).toBe(true);
    const a = after.getState();
    const b = before.getState();
    expect(a.presetId).toBe('custom');
    expect(a.config.model.layers.map((l) => l.type)).toEqual(['flatten', 'dense', 'dense', 'dropout', 'dense']);
    expect(a.config.model.layers[1]).toMatchObject({ type: 'dense', units: 256 });
    expect(a.config).toEqual(b.config);
  });

  it('flush writes a pending change at once (the page is being hidden)', () => {
    vi.useFakeTimers();
    const storage = memoryStorage();
    const store = createAppStore(client);
    const keeper = keepDraft(store, storage, 10_000);
    store.getState().setConfig({ epochs: 4 });
    keeper.flush();
    const read = decodeDraft(storage.data.get(DRAFT_KEY)!);
    expect(read.ok && read.draft.config.epochs).toBe(4);
    keeper.stop();
  });

  it('keeps the last complete settings while a box holds no number', () => {
    vi.useFakeTimers();
    const storage = memoryStorage();
    const store = createAppStore(client);
    const keeper = keepDraft(store, storage, 0);
    store.getState().setConfig({ epochs: 5 });
    vi.runAllTimers();
    store.getState().setConfig({ learningRate: Number.NaN }); // the box was emptied
    vi.runAllTimers();
    const read = decodeDraft(storage.data.get(DRAFT_KEY)!);
    expect(read.ok && read.draft.config).toMatchObject({ epochs: 5, learningRate: 0.001 });
    keeper.stop();
  });

  it.each([
    ['not JSON', '{"v":1,"datasetId":"mnist"', /are not JSON/],
    ['another format', JSON.stringify({ v: 99 }), /not in a format this version of the app reads/],
    ['a dataset id of the wrong kind', JSON.stringify({ v: 1, datasetId: { x: 1 }, presetId: 'mlp', experiment: {} }), /dataset id is missing or not valid/],
    [
      'a layer stack of the wrong kind',
      JSON.stringify({ v: 1, datasetId: 'mnist', presetId: 'mlp', experiment: { version: 1, dataset: { kind: 'builtin', id: 'mnist' }, config: { ...defaultConfig(), datasetId: undefined, model: { layers: 'dense' } } } }),
      /the field "config\.model\.layers" is "dense", which is not valid/,
    ],
    [
      'a layer of an unknown kind',
      JSON.stringify({ v: 1, datasetId: 'mnist', presetId: 'custom', experiment: { version: 1, config: { model: { layers: [{ type: 'lstm' }] } } } }),
      /config\.model\.layers\.0\.type/,
    ],
  ])('a broken stored value (%s) is discarded with a warning, and the defaults stay', (_name, text, problem) => {
    const storage = memoryStorage();
    storage.setItem(DRAFT_KEY, text);
    const store = createAppStore(client);
    const warnings: string[] = [];
    expect(restoreDraft(store, storage, (m) => warnings.push(m))).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^The settings kept from your last visit/);
    expect(warnings[0]).toMatch(problem);
    expect(warnings[0]).toMatch(/They were discarded: the app starts from the chapter's defaults\.$/);
    expect(store.getState().config).toEqual(defaultConfig());
    expect(store.getState().presetId).toBe('mlp');
    expect(storage.data.has(DRAFT_KEY)).toBe(false);
  });

  it('a draft missing a field added since takes its default, silently', () => {
    const text = encodeDraft({ ...defaultConfig(), epochs: 2 }, 'mlp', { kind: 'builtin', id: 'mnist' })!;
    const raw = JSON.parse(text);
    delete raw.experiment.config.earlyStopping;
    const read = decodeDraft(JSON.stringify(raw));
    expect(read.ok).toBe(true);
    if (read.ok) {
      expect(read.draft.config.epochs).toBe(2);
      expect(read.draft.config.earlyStopping).toEqual(defaultConfig().earlyStopping);
    }
  });

  it('a storage that refuses (private window, full quota) only means nothing is kept', () => {
    vi.useFakeTimers();
    const refusing: DraftStorage = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      removeItem: () => {},
    };
    const store = createAppStore(client);
    expect(restoreDraft(store, refusing)).toBe(false);
    const keeper = keepDraft(store, refusing, 0);
    store.getState().setConfig({ epochs: 2 });
    expect(() => vi.runAllTimers()).not.toThrow();
    expect(store.getState().config.epochs).toBe(2);
    keeper.stop();
  });
});
