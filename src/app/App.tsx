import type { AppStore } from '../state/store';
import { StoreContext } from '../components/storeContext';
import { LockedProvider } from '../components/locked';
import { DataPanel } from '../components/data/DataPanel';
import { LayerBuilder } from '../components/model/LayerBuilder';
import { TrainingSettings } from '../components/training/TrainingSettings';
import { RunControls } from '../components/run/RunControls';
import { StatusBar } from '../components/run/StatusBar';
import { TestEvaluation } from '../components/run/TestEvaluation';
import { InvarianceChart, TrainingCharts } from '../components/lazyCharts';
import { CheckpointsPanel, InterruptedBanner } from '../components/checkpoints/CheckpointsPanel';
import { ModelsPanel } from '../components/models/ModelsPanel';
import { AugmentationPanel } from '../components/augment/AugmentationPanel';

export function App({ store }: { store: AppStore }) {
  return (
    <StoreContext.Provider value={store}>
      <header className="app-header">
        <h1>Training Playground</h1>
        <p>Build a network, pick the data and the settings, press Train, and watch it learn.</p>
      </header>
      <InterruptedBanner />
      <LockedProvider>
        <main className="layout">
          <div className="column setup">
            <DataPanel />
            <LayerBuilder />
            <TrainingSettings />
            <AugmentationPanel />
          </div>
          <div className="column results">
            <section className="panel run-panel" aria-label="Run">
              <h2>4. Run</h2>
              <RunControls />
              <StatusBar />
            </section>
            <TrainingCharts />
            <TestEvaluation />
            <CheckpointsPanel />
            <ModelsPanel />
            <InvarianceChart />
          </div>
        </main>
      </LockedProvider>
    </StoreContext.Provider>
  );
}
