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
  const busy = isBusy(status);
  return (
    <div className="run-controls">
      <button type="button" className="primary" disabled={busy || blocker !== null} onClick={train} aria-describedby={blocker ? 'train-blocker' : undefined}>
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
