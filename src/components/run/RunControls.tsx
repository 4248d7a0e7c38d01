import { useState } from 'react';
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
