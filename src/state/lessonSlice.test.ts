import { describe, expect, it } from 'vitest';
import { TrainingClient, type ClientEvent } from '../client/trainingClient';
import type { ToWorker } from '../protocol/messages';
import { createAppStore } from './store';
import { lessonById, resultsOf } from '../core/lessons/catalog';

function setup() {
  const sent: ToWorker[] = [];
  const worker = { postMessage: (m: ToWorker) => sent.push(m), terminate() {}, onmessage: null, onerror: null, onmessageerror: null };
  const store = createAppStore(new TrainingClient(() => worker as unknown as Worker));
  return { store, sent };
}

const progress = { epoch: 0, epochs: 1, batch: 0, batchesPerEpoch: 1, samplesPerSec: 0, secondsLeft: null };

/** A finished one-epoch run reaching `acc`. */
function finish(runId: number, acc: number, reason: 'completed' | 'stopped' = 'completed'): ClientEvent[] {
  return [
    { type: 'runStarted', runId, trainCount: 90, validationCount: 10, batchesPerEpoch: 1 },
    { type: 'phase', runId, phase: 'training' },
    {
      type: 'epochEnd',
      runId,
      summary: { epoch: 0, logs: { loss: 2 - acc, acc, val_loss: 2 - acc, val_acc: acc }, samples: 90, trainMs: 10, numTensors: 1 },
      progress,
    } as ClientEvent,
    { type: 'runEnded', runId, reason, epochsCompleted: 1 },
  ];
}

const tick = () => new Promise((r) => setTimeout(r, 10));

describe('lessons', () => {
  it('open with the lesson settings, run every step in turn, and judge the runs', async () => {
    const { store, sent } = setup();
    expect(store.getState().openLesson('scaling')).toBe(true);
    expect(store.getState().config).toMatchObject({ trainingExamples: 6000, epochs: 3, preprocessing: 'raw' });
    store.getState().runLesson();
    const trains = () => sent.filter((m): m is Extract<ToWorker, { type: 'train' }> => m.type === 'train');
    expect(trains().map((m) => m.config.preprocessing)).toEqual(['raw']);
    store.getState().applyEvents(finish(trains()[0]!.runId, 0.8));
    await tick();
    expect(trains().map((m) => m.config.preprocessing)).toEqual(['raw', 'normalize']);
    store.getState().applyEvents(finish(trains()[1]!.runId, 0.9));
    await tick();
    store.getState().applyEvents(finish(trains()[2]!.runId, 0.92));
    await tick();
    expect(trains()).toHaveLength(3);
    const runs = store.getState().runs;
    expect(runs.map((r) => [r.name, r.compared, r.lesson?.step])).toEqual([
      ['raw pixels', true, 0],
      ['normalize [0,1]', true, 1],
      ['standardize', true, 2],
    ]);
    const lesson = store.getState().lesson!;
    const results = resultsOf(lesson.recordIds.map((id) => runs.find((r) => r.id === id)));
    const verdict = lessonById('scaling')!.judge(results!, {});
    expect(verdict.asChapterSays).toBe(true);
    expect(verdict.text).toMatch(/After epoch 1 the training accuracy was 90\.0% normalized, 92\.0% standardized and 80\.0% on raw pixels/);
  });

  it('a step the learner stops ends the automatic run; Next step runs it again', async () => {
    const { store, sent } = setup();
    store.getState().openLesson('one-hot');
    store.getState().runLesson();
    const trains = () => sent.filter((m): m is Extract<ToWorker, { type: 'train' }> => m.type === 'train');
    store.getState().applyEvents(finish(trains()[0]!.runId, 0.5, 'stopped'));
    await tick();
    expect(trains()).toHaveLength(1);
    expect(store.getState().lesson).toMatchObject({ started: 0, auto: false });
    expect(store.getState().lessonMessage).toMatch(/did not finish/);
    store.getState().nextLessonStep();
    expect(trains().map((m) => m.config.loss)).toEqual(['categoricalCrossentropy', 'categoricalCrossentropy']);
  });

  it('the quick version trains on fewer examples, and can only be chosen before the first step', async () => {
    const { store, sent } = setup();
    store.getState().openLesson('scaling', { quick: true });
    expect(store.getState().config.trainingExamples).toBe(3000);
    store.getState().setLessonQuick(false);
    expect(store.getState().config.trainingExamples).toBe(6000);
    store.getState().setLessonQuick(true);
    store.getState().nextLessonStep();
    const trains = () => sent.filter((m): m is Extract<ToWorker, { type: 'train' }> => m.type === 'train');
    expect(trains()[0]!.config).toMatchObject({ trainingExamples: 3000, preprocessing: 'raw' });
    store.getState().applyEvents(finish(trains()[0]!.runId, 0.8));
    await tick();
    store.getState().setLessonQuick(false);
    expect(store.getState().lesson!.quick).toBe(true);
    // A lesson without a quick version ignores the wish.
    store.getState().closeLesson();
    store.getState().openLesson('batches', { quick: true });
    expect(store.getState().lesson!.quick).toBe(false);
  });

  it('an unknown lesson is explained, and a lesson does not open during a run', () => {
    const { store } = setup();
    expect(store.getState().openLesson('nope')).toBe(false);
    expect(store.getState().lessonMessage).toBe('There is no lesson "nope".');
    store.getState().train();
    expect(store.getState().openLesson('scaling')).toBe(false);
    expect(store.getState().lessonMessage).toMatch(/run is in progress/);
  });
});
