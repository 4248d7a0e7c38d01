import type { AppStore } from '../state/store';
import { StoreContext } from '../components/storeContext';
import { PanelBoundary } from '../components/PanelBoundary';
import { UpdatePrompt } from '../components/app/UpdatePrompt';
import { LockedProvider } from '../components/locked';
import { DataPanel } from '../components/data/DataPanel';
import { LayerBuilder } from '../components/model/LayerBuilder';
import { TrainingSettings } from '../components/training/TrainingSettings';
import { RunControls } from '../components/run/RunControls';
import { BackendInfo, StatusBar } from '../components/run/StatusBar';
import { PresenterToggle, ShortcutsLine } from '../components/run/Presenter';
import { LessonPanel, LessonsMenu } from '../components/lessons/Lessons';
import { ShareControls, ShareStatus } from '../components/share/ShareControls';
import { useApp } from '../components/storeContext';
import { TestEvaluation } from '../components/run/TestEvaluation';
import { EvaluationView } from '../components/evaluation/EvaluationView';
import { TryIt } from '../components/evaluation/TryIt';
import { InvarianceChart, TrainingCharts } from '../components/lazyCharts';
import { CheckpointsPanel, InterruptedBanner } from '../components/checkpoints/CheckpointsPanel';
import { ModelsPanel } from '../components/models/ModelsPanel';
import { AugmentationPanel } from '../components/augment/AugmentationPanel';
import { RunsPanel } from '../components/runs/RunsPanel';
import { LayersPanel } from '../components/inspect/LayersPanel';
import { FirstLayerPanel } from '../components/inspect/FirstLayerPanel';

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
      {/* The first Tab stop: Train was once the 51st. */}
      <a className="skip-link" href="#run-panel">
        Skip to Train and the run controls
      </a>
      <header className="app-header">
        <div>
          <h1>Training Playground</h1>
          <p>Build a network, pick the data and the settings, press Train, and watch it learn.</p>
        </div>
        <div className="header-actions">
          <LessonsMenu />
          <ShareControls />
          <PresenterToggle />
        </div>
      </header>
      <UpdatePrompt />
      <ShareStatus />
      <InterruptedBanner />
      <LockedProvider>
        <main className="layout">
          <div className="column setup">
            <PanelBoundary name="Data">
              <DataPanel />
            </PanelBoundary>
            <PanelBoundary name="Model">
              <LayerBuilder />
            </PanelBoundary>
            <PanelBoundary name="Training settings">
              <TrainingSettings />
            </PanelBoundary>
            <PanelBoundary name="Augmentation">
              <AugmentationPanel />
            </PanelBoundary>
          </div>
          <div className="column results">
            <PanelBoundary name="Lesson">
              <LessonPanel />
            </PanelBoundary>
            <section className="panel run-panel" id="run-panel" aria-label="Run" tabIndex={-1}>
              <h2>4. Run</h2>
              <RunControls />
              <StatusBar />
              {presenting && <ShortcutsLine />}
            </section>
            <PanelBoundary name="Training charts">
              <TrainingCharts />
            </PanelBoundary>
            <PanelBoundary name="Layer gradients">
              <LayersPanel />
            </PanelBoundary>
            <PanelBoundary name="First layer">
              <FirstLayerPanel />
            </PanelBoundary>
            <PanelBoundary name="Backend">
              <BackendInfo />
            </PanelBoundary>
            <PanelBoundary name="Runs">
              <RunsPanel />
            </PanelBoundary>
            <PanelBoundary name="Test evaluation">
              <TestEvaluation />
            </PanelBoundary>
            <PanelBoundary name="Mistakes on the test set">
              <EvaluationView />
            </PanelBoundary>
            <PanelBoundary name="Try it">
              <TryIt />
            </PanelBoundary>
            <PanelBoundary name="Checkpoints">
              <CheckpointsPanel />
            </PanelBoundary>
            <PanelBoundary name="Models">
              <ModelsPanel />
            </PanelBoundary>
            <PanelBoundary name="Invariance">
              <InvarianceChart />
            </PanelBoundary>
          </div>
        </main>
      </LockedProvider>
    </div>
  );
}
