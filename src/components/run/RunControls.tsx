import { useEffect, useRef, useState } from 'react';
import { shortcutAction } from './shortcuts';
import { lessonById } from '../../core/lessons/catalog';
import { useApp } from '../storeContext';
import { useTrainBlocker } from '../training/useProblems';
import { isBusy } from '../../state/selectors';

/** Train, Pause, Resume, Stop, and the reason Train is disabled when it is. */
export function RunControls() {
  const status = useApp((s) => s.status);
  const train = useApp((s) => s.train);
  const pause = useApp((s) => s.pause);
  const resume = useApp((s) => s.resume);
  const stop = useApp((s) => s.stop);
  const blocker = useTrainBlocker();
  const [starting, setStarting] = useState(false);
  const busy = isBusy(status) || starting;
  // Starting a run re-renders most of the page (every setting locks). The click only marks the
  // button busy and returns; the run starts after the next paint, so the press shows at once
  // and the click handler stays short (issue 10).
  const onTrain = () => {
    setStarting(true);
    afterNextPaint(() => {
      setStarting(false);
      train();
    });
  };
  // Space: train, pause or resume; Escape: stop (for a teacher at the projector).
  const lessonNext = useApp((s) => {
    const l = s.lesson;
    return l !== null && l.started < (lessonById(l.id)?.steps.length ?? 0);
  });
  const next = useApp((s) => s.nextLessonStep);
  const latest = useRef({ status, canTrain: !busy && blocker === null, canNext: !busy && lessonNext, onTrain, pause, resume, stop, next });
  latest.current = { status, canTrain: !busy && blocker === null, canNext: !busy && lessonNext, onTrain, pause, resume, stop, next };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const l = latest.current;
      const target = e.target instanceof HTMLElement ? e.target : null;
      const action = shortcutAction(e.key, target, { ctrl: e.ctrlKey, alt: e.altKey, meta: e.metaKey }, l.status, l.canTrain, l.canNext);
      if (!action) return;
      e.preventDefault();
      if (action === 'train') l.onTrain();
      else l[action]();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div className="run-controls">
      <button type="button" className="primary" disabled={busy || blocker !== null} onClick={onTrain} aria-describedby={blocker ? 'train-blocker' : undefined}>
        Train
      </button>
      <button type="button" disabled={status !== 'training'} onClick={pause}>
        Pause
      </button>
      <button type="button" disabled={status !== 'paused'} onClick={resume}>
        Resume
      </button>
      <button type="button" disabled={!busy || status === 'evaluating'} onClick={stop}>
        Stop
      </button>
      {blocker && !busy && (
        <p id="train-blocker" className="error" role="note">
          {blocker}
        </p>
      )}
    </div>
  );
}

/** Runs `f` in a task after the next frame is painted. */
function afterNextPaint(f: () => void) {
  if (typeof requestAnimationFrame !== 'function') {
    setTimeout(f, 0);
    return;
  }
  requestAnimationFrame(() => setTimeout(f, 0));
}
