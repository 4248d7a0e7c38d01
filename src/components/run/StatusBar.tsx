import { useApp } from '../storeContext';
import { threadWord } from '../../core/training/threadChoice';
import type { WasmThreadsReport } from '../../protocol/messages';
import { formatCount } from '../../core/format';

const STATUS_TEXT: Record<string, string> = {
  idle: 'Ready to train',
  preparing: 'Preparing',
  training: 'Training',
  paused: 'Paused',
  evaluating: 'Evaluating on the test set',
  finished: 'Finished',
  stopped: 'Stopped',
  error: 'Failed',
};

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m} min ${Math.round(seconds % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** The status line: phase, backend, progress bar, speed, time left, and the run's message (a quieter copy is the live region). */
export function StatusBar() {
  const status = useApp((s) => s.status);
  const detail = useApp((s) => s.statusDetail);
  const backend = useApp((s) => s.backend);
  const progress = useApp((s) => s.progress);
  const message = useApp((s) => s.runMessage);
  const epochsDone = useApp((s) => s.epochPoints.length);
  const ended = status === 'stopped' || status === 'error' || status === 'finished';

  const fraction = progress ? (progress.epoch + progress.batch / progress.batchesPerEpoch) / progress.epochs : 0;
  const showProgress = progress && status !== 'idle';
  // Screen readers hear the phase and each finished epoch, not every batch counter: the visible
  // line changes every frame and, as a live region, would never stop talking.
  const announced = `${STATUS_TEXT[status]}${detail ? ` — ${detail}` : ''}${status === 'training' && progress ? `, epoch ${progress.epoch + 1} of ${progress.epochs}` : ''}`;
  return (
    <div className="status-area">
      <p role="status" className="sr-only">
        {announced}
      </p>
      <div className={`status status-${status}`} data-testid="run-status">
        <strong>{STATUS_TEXT[status]}</strong>
        {detail && <span> — {detail}…</span>}
        {backend && <span> · backend: {backend.backend}</span>}
        {showProgress && (
          <span>
            {' '}
            ·{' '}
            {progress.epoch >= progress.epochs
              ? `all ${progress.epochs} epochs done`
              : ended
                ? `${epochsDone} of ${progress.epochs} epochs done`
                : `epoch ${progress.epoch + 1}/${progress.epochs}, batch ${progress.batch}/${progress.batchesPerEpoch}`}
            {progress.samplesPerSec > 0 && ` · ${formatCount(progress.samplesPerSec)} samples/s`}
            {status === 'training' && progress.secondsLeft !== null && ` · about ${duration(progress.secondsLeft)} left`}
          </span>
        )}
      </div>
      {showProgress && (
        <progress max={1} value={fraction} aria-label="Training progress">
          {Math.round(fraction * 100)}%
        </progress>
      )}
      {message && (
        <p className={status === 'error' ? 'error' : 'note'} role={status === 'error' ? 'alert' : undefined}>
          {message}
        </p>
      )}
    </div>
  );
}

/**
 * Which backend the run uses and why the others were skipped, the examples it trains and
 * validates on, and the wasm thread count: details that sit under the run bar, which stays
 * on screen while training (so it holds only the controls and the status line).
 */
export function BackendInfo() {
  const backend = useApp((s) => s.backend);
  const split = useApp((s) => s.split);
  const measured = useApp((s) => s.threadsMeasured);
  if (!backend) return null;
  return (
    <div className="backend-info">
      <p className="hint backend-why">
        Running on <strong>{backend.label ?? backend.backend}</strong>
        {backend.skipped.length > 0
          ? `; skipped ${backend.skipped.map((s) => `${s.backend} (${s.reason})`).join(', ')}.`
          : ' (the first choice).'}
        {split && ` Training on ${formatCount(split.trainCount)} examples, validating on ${formatCount(split.validationCount)}.`}
      </p>
      {backend.wasmThreads && <WasmThreads report={backend.wasmThreads} />}
      {measured && (
        <p className="hint wasm-threads">
          Timed after this run: {measured.reason}. The next run uses <strong>{threadWord(measured.threads)}</strong>.
        </p>
      )}
    </div>
  );
}

/** "wasm runs on **1 thread**: 2 threads measured 2,400 samples/s vs 2,700 on 1 (…)". */
function WasmThreads({ report }: { report: WasmThreadsReport }) {
  const count = threadWord(report.threads);
  const rest = report.reason.startsWith(count) ? report.reason.slice(count.length) : null;
  return (
    <p className="hint wasm-threads">
      wasm runs on {rest === null ? report.reason : <><strong>{count}</strong>{rest}</>}.
    </p>
  );
}
