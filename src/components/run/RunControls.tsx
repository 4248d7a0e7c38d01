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
  // A pressed button that becomes disabled drops the keyboard focus to <body> (the learner has to
  // Tab from the top again): keep it on the control that makes sense next.
  const box = useRef<HTMLDivElement>(null);
  const refs = { train: useRef<HTMLButtonElement>(null), pause: useRef<HTMLButtonElement>(null), resume: useRef<HTMLButtonElement>(null), stop: useRef<HTMLButtonElement>(null) };
  const hadFocus = useRef(false);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onIn = () => (hadFocus.current = true);
    const onOut = (e: FocusEvent) => {
      // Focus that leaves for another element ends it; focus lost to nothing (a disabled button) keeps it.
      if (e.relatedTarget && !el.contains(e.relatedTarget as Node)) hadFocus.current = false;
    };
    el.addEventListener('focusin', onIn);
    el.addEventListener('focusout', onOut);
    return () => {
      el.removeEventListener('focusin', onIn);
      el.removeEventListener('focusout', onOut);
    };
  }, []);
  /** The button this effect last focused: while focus stays there, the next phase may move it on. */
  const placed = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (!hadFocus.current) return;
    const active = document.activeElement;
    const lost = !active || active === document.body || (active instanceof HTMLButtonElement && active.disabled);
    if (!lost && active !== placed.current) return; // the learner moved it: leave it there
    const order = status === 'training' ? ['pause', 'stop'] : status === 'paused' ? ['resume', 'stop'] : busy ? ['stop', 'train'] : ['train', 'stop'];
    for (const k of order) {
      const b = refs[k as keyof typeof refs].current;
      if (b && !b.disabled) {
        placed.current = b;
        // After the next paint: focusing now would force a layout of the page that the status
        // change just altered (measured at ~10 ms in the flush that starts a run).
        setTimeout(() => {
          if (placed.current === b && !b.disabled) b.focus({ preventScroll: true });
        }, 0);
        return;
      }
    }
  }, [status, busy]);
  return (
    <div className="run-controls" ref={box}>
      <button ref={refs.train} type="button" className="primary" disabled={busy || blocker !== null} onClick={onTrain} aria-describedby={blocker ? 'train-blocker' : undefined}>
        Train
      </button>
      <button ref={refs.pause} type="button" disabled={status !== 'training'} onClick={pause}>
        Pause
      </button>
      <button ref={refs.resume} type="button" disabled={status !== 'paused'} onClick={resume}>
        Resume
      </button>
      <button ref={refs.stop} type="button" disabled={!busy || status === 'evaluating'} onClick={stop}>
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
