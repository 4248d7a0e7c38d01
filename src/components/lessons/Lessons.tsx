import { useDeferredValue, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { LESSONS, lessonById, resultsOf } from '../../core/lessons/catalog';
import { isBusy } from '../../state/selectors';
import { useApp } from '../storeContext';
import './lessons.css';

/** The header's "Lessons" button and the list it opens: one click sets a lesson up. */
export function LessonsMenu() {
  const [open, setOpen] = useState(false);
  const openLesson = useApp((s) => s.openLesson);
  const busy = useApp((s) => isBusy(s.status));
  const listId = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);
  return (
    <div className="lessons-menu" ref={ref}>
      <button type="button" className="header-button" aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)}>
        Lessons
      </button>
      {open && (
        <ul id={listId} className="lessons-list" aria-label="Lessons">
          {LESSONS.map((l) => (
            <li key={l.id}>
              <button
                type="button"
                disabled={busy}
                onClick={() => {
                  if (openLesson(l.id)) setOpen(false);
                }}
              >
                <strong>{l.title}</strong>
                <span>{l.section}</span>
              </button>
            </li>
          ))}
          {busy && <li className="hint">A run is in progress: stop it to open a lesson.</li>}
        </ul>
      )}
    </div>
  );
}

/**
 * The open lesson: what to watch, its steps (each a run in the comparison), the buttons that
 * run them, and once every step has run, what happened against what the chapter says.
 */
export function LessonPanel() {
  const { lesson, message, status, liveTest, liveRecordId } = useApp(
    useShallow((s) => ({ lesson: s.lesson, message: s.lessonMessage, status: s.status, liveTest: s.testResult, liveRecordId: s.liveRecordId })),
  );
  const runs = useDeferredValue(useApp((s) => s.runs));
  const runLesson = useApp((s) => s.runLesson);
  const nextStep = useApp((s) => s.nextLessonStep);
  const close = useApp((s) => s.closeLesson);
  const setQuick = useApp((s) => s.setLessonQuick);
  const def = lesson ? lessonById(lesson.id) : null;
  const records = useMemo(() => lesson?.recordIds.map((id) => runs.find((r) => r.id === id)) ?? [], [lesson, runs]);
  const results = useMemo(() => resultsOf(records), [records]);
  const busy = isBusy(status);
  // Judged once every step has run and the last one's test evaluation is over, and its test
  // result is in its record (the Runs list adds it a task later; the list here is deferred):
  // judged before that, a lesson judged by test accuracy said "–" and "did not show".
  const context = lesson?.context;
  const testPending = liveTest !== null && records.some((r) => r?.id === liveRecordId && r.test === null);
  const verdict = useMemo(
    () => (def && results && context && !busy && !testPending ? def.judge(results, context) : null),
    [def, results, context, busy, testPending],
  );
  if (!lesson || !def) return message ? <p className="note">{message}</p> : null;
  const remaining = def.steps.length - lesson.started;
  const running = lesson.recordIds.findIndex((id, k) => id === null && k < lesson.started);
  return (
    <section className="panel lesson-panel" aria-label="Lesson">
      <div className="lesson-head">
        <h2>Lesson: {def.title}</h2>
        <button type="button" onClick={close} aria-label="Close the lesson">
          ✕
        </button>
      </div>
      <p className="lesson-section">Chapter section {def.section}</p>
      <p className="lesson-watch">{def.watch}</p>
      {def.quick && (
        <label className="lesson-quick">
          <input type="checkbox" checked={lesson.quick} disabled={lesson.started > 0 || busy} onChange={(e) => setQuick(e.target.checked)} /> Quick version
          <span className="hint"> (about half the time on a slow laptop: fewer examples, so the effect is smaller but still shows)</span>
        </label>
      )}
      <ol className="lesson-steps" aria-label="Lesson steps">
        {def.steps.map((step, k) => {
          const done = lesson.recordIds[k] !== null;
          const now = !done && k === running && busy;
          return (
            <li key={step.name} className={done ? 'done' : now ? 'now' : undefined}>
              <span aria-hidden="true">{done ? '✓' : now ? '▶' : '○'}</span> {step.name}
              <span className="sr-only">{done ? ' (done)' : now ? ' (running)' : ' (to do)'}</span>
            </li>
          );
        })}
      </ol>
      <div className="lesson-actions">
        <button type="button" className="primary" disabled={busy || remaining <= 0 || (lesson.auto && lesson.preparing !== null)} onClick={runLesson}>
          {lesson.started === 0 ? 'Run the lesson' : remaining > 0 ? 'Run the remaining steps' : 'All steps done'}
        </button>
        <button type="button" disabled={busy || remaining <= 0 || lesson.preparing !== null} onClick={nextStep}>
          Next step
        </button>
        <span className="hint">Key N: next step. The runs appear in the Runs list and on the charts.</span>
      </div>
      {lesson.preparing && (
        <p className="hint" role="status">
          {lesson.preparing}…
        </p>
      )}
      {message && <p className="note">{message}</p>}
      {verdict && (
        <section className={`lesson-result ${verdict.asChapterSays ? 'ok' : 'not'}`} aria-label="What happened">
          <h3>What happened</h3>
          <p>{verdict.text}</p>
        </section>
      )}
    </section>
  );
}
