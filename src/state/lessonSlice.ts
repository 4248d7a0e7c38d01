/**
 * The open lesson: which step comes next, whether its steps are run one after the other, and
 * the runs each step left (recorded by the Runs list, ticked for comparison). What happened
 * is judged from those runs' records (see core/lessons/catalog), so it updates when a test
 * result arrives and survives nothing but the page: a reload closes the lesson, its runs stay.
 */
import { lessonById, stepConfig, type LessonId } from '../core/lessons/catalog';
import { defaultConfig } from '../core/training/defaults';
import { isBusy } from './selectors';
import type { RunRecord } from '../core/runs/record';
import type { AppStore } from './store';

export interface LessonState {
  id: LessonId;
  /** Steps started so far (the next one to run is `steps[started]`). */
  started: number;
  /** True while the steps run one after the other ("Run the lesson"). */
  auto: boolean;
  /** The record id of each finished step's run, by step. */
  recordIds: (string | null)[];
}

export interface LessonSlice {
  lesson: LessonState | null;
  /** The lesson step of the run in progress, stamped on its record. */
  lessonRun: { id: LessonId; step: number } | null;
  lessonMessage: string | null;
  openLesson(id: string): boolean;
  /** Runs the remaining steps one after the other. */
  runLesson(): void;
  /** Sets up and trains the next step only. */
  nextLessonStep(): void;
  closeLesson(): void;
  /** Called by the Runs list when it has recorded a lesson step's run. */
  lessonRunRecorded(record: RunRecord): void;
}

export function createLessonSlice(set: AppStore['setState'], get: AppStore['getState']): LessonSlice {
  const startStep = (k: number) => {
    const s = get();
    const lesson = s.lesson;
    const def = lesson && lessonById(lesson.id);
    if (!lesson || !def || k >= def.steps.length || isBusy(s.status)) return;
    // The chapter's defaults plus the lesson's settings; the backend stays the learner's.
    const config = stepConfig(def, k, { ...defaultConfig(), backend: s.config.backend });
    set({ config, presetId: 'custom', lesson: { ...lesson, started: k + 1 }, lessonRun: { id: def.id, step: k }, lessonMessage: null });
    s.train();
  };

  return {
    lesson: null,
    lessonRun: null,
    lessonMessage: null,
    openLesson(id) {
      const def = lessonById(id);
      if (!def) {
        set({ lessonMessage: `There is no lesson "${id}".` });
        return false;
      }
      const s = get();
      if (isBusy(s.status)) {
        set({ lessonMessage: 'A run is in progress: stop it (or let it finish) before opening a lesson.' });
        return false;
      }
      // Only the lesson's runs are drawn over the charts.
      for (const r of s.runs) if (r.compared) void s.setCompared(r.id, false);
      const config = stepConfig(def, 0, { ...defaultConfig(), backend: s.config.backend });
      set({
        lesson: { id: def.id, started: 0, auto: false, recordIds: def.steps.map(() => null) },
        lessonRun: null,
        lessonMessage: null,
        config,
        presetId: 'custom',
      });
      if (!s.datasets[config.datasetId]) void s.selectDataset(config.datasetId);
      return true;
    },
    runLesson() {
      const lesson = get().lesson;
      if (!lesson) return;
      set({ lesson: { ...lesson, auto: true } });
      startStep(lesson.started);
    },
    nextLessonStep() {
      const lesson = get().lesson;
      if (!lesson) return;
      set({ lesson: { ...lesson, auto: false } });
      startStep(lesson.started);
    },
    closeLesson() {
      set({ lesson: null, lessonRun: null, lessonMessage: null });
    },
    lessonRunRecorded(record) {
      const s = get();
      const lesson = s.lesson;
      set({ lessonRun: null });
      if (!lesson || !record.lesson || record.lesson.id !== lesson.id) return;
      const recordIds = lesson.recordIds.map((id, k) => (k === record.lesson!.step ? record.id : id));
      const def = lessonById(lesson.id)!;
      // A step stopped by the learner (or failed) ends the automatic run: they decide what next.
      const goOn = lesson.auto && record.outcome !== 'stopped' && record.outcome !== 'error' && lesson.started < def.steps.length;
      set({
        lesson: { ...lesson, recordIds, auto: goOn },
        ...(record.outcome === 'stopped' || record.outcome === 'error'
          ? { lessonMessage: `The step "${def.steps[record.lesson.step]!.name}" did not finish; run it again with Next step.` }
          : {}),
      });
      if (record.outcome === 'stopped' || record.outcome === 'error') {
        set((st) => ({ lesson: st.lesson && { ...st.lesson, started: record.lesson!.step, recordIds: st.lesson.recordIds.map((id, k) => (k === record.lesson!.step ? null : id)) } }));
      }
      // The next step starts once this run's evaluation is over (the worker is free).
      if (goOn) setTimeout(() => startNextWhenIdle(), 0);
    },
  };

  function startNextWhenIdle() {
    const s = get();
    if (!s.lesson?.auto) return;
    if (isBusy(s.status)) {
      setTimeout(startNextWhenIdle, 100);
      return;
    }
    startStep(s.lesson.started);
  }
}
