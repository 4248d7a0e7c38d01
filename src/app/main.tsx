import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { TrainingClient } from '../client/trainingClient';
import { ImportClient } from '../client/importClient';
import { createAppStore } from '../state/store';
import { connectClient } from '../state/connect';
import { parseUrl, writeUrl } from '../state/url';
import { App } from './App';
import * as checkpointStorage from '../storage/checkpoints';
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
const store = createAppStore(client, { checkpointStorage, importer });
connectClient(store, client);

store.getState().setConfig(url.patch);
if (url.warnings.length > 0) store.setState({ runMessage: url.warnings.join(' ') });
store.subscribe((s, prev) => {
  if (s.config.seed !== prev.config.seed && Number.isInteger(s.config.seed)) {
    window.history.replaceState(null, '', writeUrl(window.location.search, s.config));
  }
});
void store.getState().selectDataset(store.getState().config.datasetId);
void store.getState().checkInterrupted();
void store.getState().refreshImported();

// Tests and the console can reach the store (read state, wait for a phase).
(window as unknown as { __playground?: unknown }).__playground = { store };

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App store={store} />
  </StrictMode>,
);
