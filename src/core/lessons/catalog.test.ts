import { describe, expect, it } from 'vitest';
import { LESSONS, lessonById, stepConfig, type StepResult } from './catalog';
import { defaultConfig } from '../training/defaults';
import { validateSettings } from '../training/config';
import { analyzeModel } from '../model/analyze';
import { trainingCount } from '../training/epochSettings';

const result = (accs: number[], extra: Partial<StepResult> = {}): StepResult => ({
  name: 'x',
  epochs: accs.map((acc, i) => ({ epoch: i + 1, loss: 2.3 * (1 - acc), acc, val_loss: 2.3 * (1 - acc) + 0.1, val_acc: acc - 0.02 })),
  test: { loss: 0.3, acc: accs.at(-1)! - 0.02 },
  outcome: 'completed',
  events: [],
  batchesPerEpoch: 10,
  ...extra,
});

describe('the lessons', () => {
  it('have the ids the address and the tests use, and every step is a valid config', () => {
    expect(LESSONS.map((l) => l.id)).toEqual(['scaling', 'batches', 'one-hot', 'overfitting', 'deep-network', 'learning-rate', 'optimizers', 'early-stopping', 'invariance', 'data-on-disk', 'save-restore']);
    for (const lesson of LESSONS) {
      expect(lesson.steps.length).toBeGreaterThan(0);
      expect(lesson.watch.split(/[.:!?] /).length).toBeGreaterThanOrEqual(2);
      lesson.steps.forEach((_, k) => {
        const c = stepConfig(lesson, k, defaultConfig());
        // Shapes (generated) and the data-on-disk sample have 5 classes; MNIST 10.
        const classes = c.datasetId.startsWith('shapes') || lesson.sample ? 5 : 10;
        const trainCount = lesson.sample ? 400 : c.datasetId.startsWith('shapes') ? 6000 : 60000;
        expect(validateSettings(c, { name: c.datasetId, trainCount, numClasses: classes }), `${lesson.id} step ${k}`).toEqual([]);
        expect(analyzeModel(c.model, [28, 28, 1], classes).errors, `${lesson.id} step ${k}`).toEqual([]);
      });
    }
  });

  it('have quick versions that are valid, shorter, and change only sizes', () => {
    for (const lesson of LESSONS.filter((l) => l.quick)) {
      expect(Object.keys(lesson.quick!).every((k) => k === 'trainingExamples' || k === 'epochs'), lesson.id).toBe(true);
      const samples = (quick: boolean) =>
        lesson.steps.reduce((sum, _, k) => {
          const c = stepConfig(lesson, k, defaultConfig(), quick);
          return sum + trainingCount(c) * c.epochs;
        }, 0);
      expect(samples(true), lesson.id).toBeLessThanOrEqual(0.7 * samples(false));
      lesson.steps.forEach((_, k) => {
        const c = stepConfig(lesson, k, defaultConfig(), true);
        const classes = c.datasetId.startsWith('shapes') || lesson.sample ? 5 : 10;
        expect(validateSettings(c, { name: c.datasetId, trainCount: 60000, numClasses: classes }), `${lesson.id} step ${k}`).toEqual([]);
      });
    }
  });

  it('are sized to finish in about 3 minutes on wasm on a 2-core laptop', () => {
    // Samples trained in all of a lesson's runs, at the ~3,000 samples/s the chapter MLP trains
    // on wasm here (the deep net is slower per sample, so it is given fewer).
    for (const lesson of LESSONS) {
      const samples = lesson.steps.reduce((sum, _, k) => {
        const c = stepConfig(lesson, k, defaultConfig());
        return sum + trainingCount(c) * c.epochs;
      }, 0);
      expect(samples, lesson.id).toBeLessThanOrEqual(180 * 3000);
    }
  });

  it.each([
    ['scaling', [result([0.8, 0.9]), result([0.9, 0.95]), result([0.91, 0.96])], true],
    ['scaling', [result([0.95, 0.97]), result([0.9, 0.95]), result([0.91, 0.96])], false],
    ['deep-network', [result([0.11, 0.11], { events: [{ kind: 'notLearning', epoch: 1, message: 'stuck' }] }), result([0.11, 0.12]), result([0.85, 0.92])], true],
    ['deep-network', [result([0.11, 0.11], { events: [{ kind: 'notLearning', epoch: 1, message: 'stuck' }] }), result([0.11, 0.12]), result([0.12, 0.13])], false],
    ['overfitting', [result([0.9, 1.0], { epochs: [{ epoch: 1, loss: 0.05, acc: 0.99, val_loss: 0.6, val_acc: 0.9 }] }), result([0.9, 0.97], { epochs: [{ epoch: 1, loss: 0.15, acc: 0.96, val_loss: 0.35, val_acc: 0.92 }] })], true],
    ['early-stopping', [result([0.9, 0.95], { events: [{ kind: 'earlyStop', epoch: 2, message: 'stopped' }] })], true],
    ['early-stopping', [result(Array.from({ length: 30 }, () => 0.9))], false],
    ['invariance', [result([0.95, 0.99], { test: { loss: 3, acc: 0.21 } }), result([0.9, 0.95], { test: { loss: 1.2, acc: 0.48 } })], true],
    ['invariance', [result([0.95, 0.99], { test: { loss: 3, acc: 0.21 } }), result([0.9, 0.95], { test: { loss: 3, acc: 0.25 } })], false],
  ] as const)('%s: judged against the direction of the chapter (case %#)', (id, results, ok) => {
    const verdict = lessonById(id)!.judge(results as unknown as StepResult[], {});
    expect(verdict.asChapterSays).toBe(ok);
    expect(verdict.text).toMatch(ok ? /as the chapter says\./ : /did not show what the chapter says/);
  });

  const imported = { name: 'Shapes on disk', trainCount: 400, testCount: 100, classes: 5, shape: [28, 28, 1], skipped: ['README.txt: not an image', 'damaged.png: unreadable'] };
  const epochsOf = (losses: number[], from = 1) => losses.map((loss, i) => ({ epoch: from + i, loss, acc: 0.9, val_loss: loss, val_acc: 0.9 }));
  it.each([
    ['data-on-disk', [result([0.5, 0.9], { test: { loss: 0.4, acc: 0.85 } })], { imported }, true],
    ['data-on-disk', [result([0.5, 0.9], { test: { loss: 0.4, acc: 0.85 } })], {}, false],
    ['data-on-disk', [result([0.3, 0.3], { test: { loss: 1.5, acc: 0.3 } })], { imported }, false],
    [
      'save-restore',
      [
        result([0.9], { epochs: epochsOf([0.6, 0.3, 0.2, 0.15]), test: { loss: 0.3, acc: 0.91 } }),
        result([0.9], { epochs: epochsOf([0.16, 0.12]) }),
        result([0.9], { epochs: epochsOf([0.6, 0.3, 0.2005, 0.1502]) }),
      ],
      { restoredTest: { loss: 0.3, acc: 0.91 } },
      true,
    ],
    [
      'save-restore',
      [
        result([0.9], { epochs: epochsOf([0.6, 0.3, 0.2, 0.15]), test: { loss: 0.3, acc: 0.91 } }),
        result([0.9], { epochs: epochsOf([0.16, 0.12]) }),
        // Resumed but from fresh weights: not a resume.
        result([0.9], { epochs: epochsOf([0.6, 0.3, 0.5, 0.35]) }),
      ],
      { restoredTest: { loss: 0.3, acc: 0.91 } },
      false,
    ],
    [
      'save-restore',
      [
        result([0.9], { epochs: epochsOf([0.6, 0.3, 0.2, 0.15]), test: { loss: 0.3, acc: 0.91 } }),
        result([0.9], { epochs: epochsOf([0.16, 0.12]) }),
        result([0.9], { epochs: epochsOf([0.6, 0.3, 0.2, 0.15]) }),
      ],
      { restoredTest: { loss: 2.3, acc: 0.1 } },
      false,
    ],
  ] as const)('%s: judged with what the lesson did besides its runs (case %#)', (id, results, context, ok) => {
    const verdict = lessonById(id)!.judge(results as unknown as StepResult[], context as never);
    expect(verdict.asChapterSays).toBe(ok);
    expect(verdict.text).toMatch(ok ? /as the chapter says\./ : /did not show what the chapter says/);
  });
});
