/**
 * The open lesson: which step comes next, whether its steps are run one after the other, and
 * the runs each step left (recorded by the Runs list, ticked for comparison). What happened
 * is judged from those runs' records (see core/lessons/catalog), so it updates when a test
 * result arrives and survives nothing but the page: a reload closes the lesson, its runs stay.
 */
import { lessonById, stepConfig, type Lesson, type LessonContext, type LessonId } from '../core/lessons/catalog';
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
  /** What the lesson did besides its runs (an import, a restored model's test score). */
  context: LessonContext;
  /** The dataset the lesson imported, used by every step instead of the setup's. */
  datasetId?: string;
  /** The stored checkpoint run of step 0 (for a step resumed from one of its checkpoints). */
  checkpointRunId?: string | null;
  /** What the lesson is doing between runs ("Importing the sample dataset"), or null. */
  preparing: string | null;
  /** The quick version (the lesson's `quick` settings): chosen before its first step. */
  quick: boolean;
}

/** The name the save-and-restore lesson saves its model under (overwritten each time). */
export const LESSON_MODEL_NAME = 'lesson: save and restore';

/** Reads a file shipped in public/ (the lessons' sample datasets). */
export type SampleFetcher = (path: string) => Promise<Blob>;

export interface LessonSlice {
  lesson: LessonState | null;
  /** The lesson step of the run in progress, stamped on its record. */
  lessonRun: { id: LessonId; step: number } | null;
  lessonMessage: string | null;
  openLesson(id: string, options?: { quick?: boolean }): boolean;
  /** Switches to (or from) the lesson's quick version; only before its first step runs. */
  setLessonQuick(quick: boolean): void;
  /** Runs the remaining steps one after the other. */
  runLesson(): void;
  /** Sets up and trains the next step only. */
  nextLessonStep(): void;
  closeLesson(): void;
  /** Called by the Runs list when it has recorded a lesson step's run. */
  lessonRunRecorded(record: RunRecord): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createLessonSlice(set: AppStore['setState'], get: AppStore['getState'], fetchSample?: SampleFetcher): LessonSlice {
  /** The chapter's defaults plus the lesson's settings; the backend stays the learner's. */
  const configOf = (def: Lesson, k: number, lesson: LessonState) => {
    const config = stepConfig(def, k, { ...defaultConfig(), backend: get().config.backend }, lesson.quick);
    return lesson.datasetId ? { ...config, datasetId: lesson.datasetId } : config;
  };
  const patchLesson = (patch: Partial<LessonState>) => set((st) => (st.lesson ? { lesson: { ...st.lesson, ...patch } } : {}));
  /** Ends a step that could not start: says why, and lets the learner try it again. */
  const fail = (k: number, why: string) => {
    patchLesson({ started: k, auto: false, preparing: null });
    set({ lessonRun: null, lessonMessage: why });
  };
  const stillOpen = (id: LessonId) => get().lesson?.id === id;

  const startStep = async (k: number) => {
    const s = get();
    const lesson = s.lesson;
    const def = lesson && lessonById(lesson.id);
    if (!lesson || !def || k >= def.steps.length || isBusy(s.status) || lesson.preparing) return;
    const step = def.steps[k]!;
    const config = configOf(def, k, lesson);
    set({ config, presetId: 'custom', lesson: { ...lesson, started: k + 1 }, lessonRun: { id: def.id, step: k }, lessonMessage: null });
    if (step.start === 'restoredModel') {
      // Save the model the previous step trained, load it back, score it, then train further.
      patchLesson({ preparing: 'Saving the trained model in this browser' });
      await get().saveToBrowser(LESSON_MODEL_NAME, { overwrite: true });
      const saved = get().savedModels.find((m) => m.name === LESSON_MODEL_NAME);
      if (!stillOpen(def.id)) return;
      if (!saved) return fail(k, `The model could not be saved: ${get().modelsMessage?.text ?? 'no reason was given'}.`);
      patchLesson({ preparing: 'Loading the saved model back' });
      await get().loadSavedModel(saved.id);
      if (!stillOpen(def.id)) return;
      if (!get().hasModel || get().modelsMessage?.kind === 'error') return fail(k, `The saved model could not be loaded: ${get().modelsMessage?.text ?? ''}`);
      patchLesson({ preparing: 'Scoring the loaded model on the test set' });
      get().evaluate();
      while (stillOpen(def.id) && get().status === 'evaluating') await sleep(50);
      const test = get().testResult;
      if (!stillOpen(def.id)) return;
      if (!test) return fail(k, 'The loaded model could not be scored on the test set.');
      patchLesson({ preparing: null, context: { ...get().lesson!.context, restoredTest: { loss: test.loss, acc: test.acc } } });
      const wasContinuing = get().continueTraining;
      set({ config, continueTraining: true, lessonRun: { id: def.id, step: k } });
      get().train();
      set({ continueTraining: wasContinuing });
      return;
    }
    if (step.start === 'resumedCheckpoint') {
      patchLesson({ preparing: 'Finding the checkpoint' });
      await get().refreshCheckpoints();
      if (!stillOpen(def.id)) return;
      const runId = get().lesson!.checkpointRunId;
      const cp = get().savedCheckpoints.find((c) => c.runId === runId && c.epoch === step.resumeEpoch && !c.problem);
      if (!cp) return fail(k, `The first run's checkpoint of epoch ${step.resumeEpoch} is no longer stored: run the lesson again from the start.`);
      patchLesson({ preparing: null });
      set({ config: { ...configOf(def, 0, get().lesson!), ...config }, lessonRun: { id: def.id, step: k } });
      if (!(await get().resumeFromCheckpoint(cp.id))) fail(k, get().checkpointMessage ?? 'The checkpoint could not be resumed.');
      return;
    }
    s.train();
  };

  /** Imports the lesson's sample dataset (replacing an earlier import of it) and selects it. */
  const importSample = async (def: Lesson) => {
    const sample = def.sample!;
    patchLesson({ preparing: 'Importing the sample dataset' });
    try {
      if (!fetchSample) throw new Error('sample files cannot be read here');
      const blob = await fetchSample(sample.path);
      for (const d of get().importedDatasets.filter((x) => x.name === sample.name)) await get().deleteImported(d.id);
      await get().importFiles(sample.name, [{ path: sample.path.split('/').pop()!, file: blob }]);
    } catch (err) {
      if (stillOpen(def.id)) fail(0, `The sample dataset could not be read: ${(err as Error).message}.`);
      return;
    }
    if (!stillOpen(def.id)) return;
    const st = get().importStatus;
    const d = get().importedDatasets.find((x) => x.name === sample.name);
    if (st.phase !== 'done' || !d) return fail(0, `The sample dataset could not be imported: ${st.message ?? 'no reason was given'}`);
    const lesson = get().lesson!;
    patchLesson({
      preparing: null,
      datasetId: d.id,
      context: { ...lesson.context, imported: { name: d.name, trainCount: d.trainCount, testCount: d.testCount, classes: d.classNames.length, shape: [...d.shape], skipped: st.skipped } },
    });
    set({ config: configOf(def, 0, get().lesson!) });
    if (get().lesson!.auto) void startStep(0);
  };

  return {
    lesson: null,
    lessonRun: null,
    lessonMessage: null,
    openLesson(id, options = {}) {
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
      const quick = (options.quick ?? false) && def.quick !== undefined;
      const lesson: LessonState = { id: def.id, started: 0, auto: false, recordIds: def.steps.map(() => null), context: {}, preparing: null, quick };
      const config = configOf(def, 0, lesson);
      set({ lesson, lessonRun: null, lessonMessage: null, config, presetId: 'custom' });
      if (def.sample) void importSample(def);
      else if (!s.datasets[config.datasetId]) void s.selectDataset(config.datasetId);
      return true;
    },
    setLessonQuick(quick) {
      const s = get();
      const lesson = s.lesson;
      const def = lesson && lessonById(lesson.id);
      if (!lesson || !def?.quick || lesson.started > 0 || isBusy(s.status)) return;
      const next = { ...lesson, quick };
      set({ lesson: next, config: configOf(def, 0, next) });
    },
    runLesson() {
      const lesson = get().lesson;
      if (!lesson) return;
      set({ lesson: { ...lesson, auto: true } });
      // A lesson still importing its data starts once the import is done.
      if (!lesson.preparing) void startStep(lesson.started);
    },
    nextLessonStep() {
      const lesson = get().lesson;
      if (!lesson) return;
      set({ lesson: { ...lesson, auto: false } });
      void startStep(lesson.started);
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
        lesson: { ...lesson, recordIds, auto: goOn, ...(record.lesson.step === 0 && { checkpointRunId: s.checkpointRunId }) },
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
    void startStep(s.lesson.started);
  }
}
