import type { AppStore } from '../state/store';
import { StoreContext } from '../components/storeContext';
import { LockedProvider } from '../components/locked';
import { DataPanel } from '../components/data/DataPanel';
import { LayerBuilder } from '../components/model/LayerBuilder';
import { TrainingSettings } from '../components/training/TrainingSettings';
import { RunControls } from '../components/run/RunControls';
import { BackendInfo, StatusBar } from '../components/run/StatusBar';
import { PresenterToggle, ShortcutsLine } from '../components/run/Presenter';
import { LessonPanel, LessonsMenu } from '../components/lessons/Lessons';
import { useApp } from '../components/storeContext';
import { TestEvaluation } from '../components/run/TestEvaluation';
import { InvarianceChart, TrainingCharts } from '../components/lazyCharts';
import { CheckpointsPanel, InterruptedBanner } from '../components/checkpoints/CheckpointsPanel';
import { ModelsPanel } from '../components/models/ModelsPanel';
import { AugmentationPanel } from '../components/augment/AugmentationPanel';
import { RunsPanel } from '../components/runs/RunsPanel';

export function App({ store }: { store: AppStore }) {
  return (
    <StoreContext.Provider value={store}>
      <Layout />
    </StoreContext.Provider>
  );
}

/**
 * Setup on the left, run and results on the right. The presenter view keeps only the run bar
 * and the charts, large (for a projector); the run bar stays on screen while the page scrolls.
 */
function Layout() {
  const presenting = useApp((s) => s.presenting);
  return (
    <div className={presenting ? 'app presenting' : 'app'}>
      <header className="app-header">
        <div>
          <h1>Training Playground</h1>
          <p>Build a network, pick the data and the settings, press Train, and watch it learn.</p>
        </div>
        <div className="header-actions">
          <LessonsMenu />
          <PresenterToggle />
        </div>
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
            <LessonPanel />
            <section className="panel run-panel" aria-label="Run" tabIndex={-1}>
              <h2>4. Run</h2>
              <RunControls />
              <StatusBar />
              {presenting && <ShortcutsLine />}
            </section>
            <TrainingCharts />
            <BackendInfo />
            <RunsPanel />
            <TestEvaluation />
            <CheckpointsPanel />
            <ModelsPanel />
            <InvarianceChart />
          </div>
        </main>
      </LockedProvider>
    </div>
  );
}
