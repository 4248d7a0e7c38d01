import { applyUpdate, dismissNews, useServiceWorkerNews } from '../../app/serviceWorker';
import { isBusy } from '../../state/selectors';
import { useApp } from '../storeContext';
import './updatePrompt.css';

/**
 * Says when a new version of the app is ready (app/serviceWorker.ts). The new version only takes
 * over when the learner presses Reload, which waits while a run is under way, so an update
 * never interrupts training. The first visit says once that the app now works offline.
 */
export function UpdatePrompt() {
  const { needRefresh, offlineReady } = useServiceWorkerNews();
  const busy = useApp((s) => isBusy(s.status));
  if (needRefresh) {
    return (
      <div className="update-prompt" role="status">
        <p>
          A new version of Training Playground is ready.{' '}
          {busy ? 'Reload once the run has ended (your runs and saved models are kept).' : 'Reload to use it; your runs and saved models are kept.'}
        </p>
        <button type="button" className="primary" disabled={busy} onClick={applyUpdate}>
          Reload
        </button>
        <button type="button" onClick={() => dismissNews('needRefresh')}>
          Later
        </button>
      </div>
    );
  }
  if (offlineReady) {
    return (
      <div className="update-prompt" role="status">
        <p>The app is now stored in this browser: it opens and trains without a network connection, on the datasets opened here once.</p>
        <button type="button" onClick={() => dismissNews('offlineReady')}>
          OK
        </button>
      </div>
    );
  }
  return null;
}
