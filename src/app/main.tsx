import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { TrainingClient } from '../client/trainingClient';
import { ImportClient } from '../client/importClient';
import { createAppStore } from '../state/store';
import { connectClient } from '../state/connect';
import { FrameMeter } from '../state/frameMeter';
import { parseUrl, writeUrl } from '../state/url';
import { keepDraft, restoreDraft, type DraftStorage } from '../state/draft';
import { App } from './App';
import { startServiceWorker } from './serviceWorker';
import * as checkpointStorage from '../storage/checkpoints';
import * as runHistory from '../storage/runHistory';
import './styles.css';

// The one place that wires the layers together: worker -> client -> store -> React.
const url = parseUrl(window.location.search);
const client = new TrainingClient(
  () => new Worker(new URL('../worker/training.worker.ts', import.meta.url), { type: 'module', name: 'training' }),
  { wasmThreads: url.threads },
);
const importer = new ImportClient(
  () => new Worker(new URL('../worker/import.worker.ts', import.meta.url), { type: 'module', name: 'import' }),
);
/** Files shipped in public/, relative to the app's base (it may be served under a sub-path). */
async function fetchSample(path: string): Promise<Blob> {
  const res = await fetch(new URL(path, new URL(import.meta.env.BASE_URL, window.location.href)));
  if (!res.ok) throw new Error(`${path}: the server answered ${res.status}`);
  return res.blob();
}
const store = createAppStore(client, { checkpointStorage, importer, history: runHistory, fetchSample });
// What each store flush costs the page, for the e2e tests and the bench (issue 10).
const frames = new FrameMeter();
connectClient(store, client, { meter: frames });

// The settings and layer stack of the last visit come back first; the address wins over them.
const draftStorage = ((): DraftStorage | null => {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled for this site
  }
})();
restoreDraft(store, draftStorage);
const draft = keepDraft(store, draftStorage);
window.addEventListener('pagehide', () => draft.flush());
store.getState().setConfig(url.patch);
if (url.present) store.getState().setPresenting(true);
if (url.lesson) store.getState().openLesson(url.lesson, { quick: url.quick ?? false });
if (url.warnings.length > 0) store.setState({ runMessage: url.warnings.join(' ') });
// A shared experiment (?exp=) is shown first, and replaces the settings only after Apply.
// Once answered (Apply or Cancel) it leaves the address, so a reload does not ask again.
if (url.experiment) void store.getState().openExperimentLink(url.experiment);
store.subscribe((s, prev) => {
  if (prev.sharePreview && !s.sharePreview && new URLSearchParams(window.location.search).has('exp')) {
    const params = new URLSearchParams(window.location.search);
    params.delete('exp');
    const query = params.toString();
    window.history.replaceState(null, '', `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`);
  }
});
store.subscribe((s, prev) => {
  if (s.config.seed !== prev.config.seed && Number.isInteger(s.config.seed)) {
    window.history.replaceState(null, '', writeUrl(window.location.search, s.config));
  }
});
void store.getState().selectDataset(store.getState().config.datasetId);
// The worker starts now the backend and the data tensors a run of these settings would start
// after Train, so the first batch comes soon after a click.
client.warmUp(store.getState().config);
void store.getState().checkInterrupted();
void store.getState().refreshImported();
void store.getState().loadHistory();
// Offline support: registered once the page has loaded (see app/serviceWorker.ts).
startServiceWorker();

// Tests, the bench and the console can reach the store (read state, wait for a phase) and the
// flush costs (`frames.stats()`, `frames.reset()`) and the training client.
(window as unknown as { __playground?: unknown }).__playground = { store, frames, client };

// The first render as a transition: React renders it in slices that yield to the browser,
// instead of one task of 200 ms or more (issue 10).
const root = createRoot(document.getElementById('root')!);
startTransition(() => {
  root.render(
    <StrictMode>
      <App store={store} />
    </StrictMode>,
  );
});
