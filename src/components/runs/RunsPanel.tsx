import { useDeferredValue, useMemo, useState } from 'react';
import { FileButton } from '../FileButton';
import { useShallow } from 'zustand/react/shallow';
import { differingSettings } from '../../core/runs/settings';
import { runsToCsv, runsToJson, summarize, type RunRecord } from '../../core/runs/record';
import { importedLabel } from '../../core/runs/importRun';
import { overlayColors, overlays } from '../charts/overlay';
import { useApp } from '../storeContext';
import { download } from '../download';
import './runs.css';

const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/**
 * Every finished run, as a table of the settings that differ between them and their results
 * (like TensorBoard's HParams view). Ticked runs are drawn over the live curves; one can be
 * pinned as the baseline the others are measured against.
 */
/**
 * A run's Compare or Baseline box, read from the store itself (not the panel's deferred copy):
 * a click shows at once while the table catches up.
 */
function RunFlag(props: { id: string; flag: 'compared' | 'baseline'; label: string; title?: string; disabled: boolean; onChange(on: boolean): void }) {
  const checked = useApp((s) => s.runs.find((r) => r.id === props.id)?.[props.flag] ?? false);
  return (
    <input
      type="checkbox"
      aria-label={props.label}
      title={props.title}
      checked={checked}
      disabled={props.disabled}
      onChange={(e) => props.onChange(e.target.checked)}
    />
  );
}

export function RunsPanel() {
  // Deferred: a finished run's new row (recorded in a task after the run ends) rendered
  // synchronously cost up to 50 ms of that task after a long run; as a deferred update React
  // renders it in slices. The boxes read the store themselves (RunFlag), so a click shows at once.
  const { runs, unreadable, message, liveRecordId, datasetId } = useDeferredValue(
    useApp(
      useShallow((s) => ({
        runs: s.runs,
        unreadable: s.unreadableRuns,
        message: s.historyMessage,
        liveRecordId: s.liveRecordId,
        datasetId: s.config.datasetId,
      })),
    ),
  );
  const setCompared = useApp((s) => s.setCompared);
  const setBaseline = useApp((s) => s.setBaseline);
  const renameRun = useApp((s) => s.renameRun);
  const deleteRun = useApp((s) => s.deleteRun);
  const deleteUnreadable = useApp((s) => s.deleteUnreadableRuns);
  const importRuns = useApp((s) => s.importRuns);
  const datasetName = useApp((s) => s.datasets[s.config.datasetId]?.name ?? s.config.datasetId);
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState('');

  const columns = useMemo(() => differingSettings(runs.map((r) => r.config)).filter((c) => c.key !== 'dataset' || runs.length > 1), [runs]);
  const colors = useMemo(() => overlayColors(overlays(runs, datasetId, liveRecordId)), [runs, datasetId, liveRecordId]);
  const baseline = runs.find((r) => r.baseline) ?? null;
  const baseTest = baseline ? summarize(baseline).testAcc : null;
  const chosen = runs.filter((r) => r.compared);
  const exportName = `runs-${new Date().toISOString().slice(0, 10)}`;

  const finishRename = (r: RunRecord) => {
    setEditing(null);
    void renameRun(r.id, draft);
  };

  return (
    <section className="panel runs-panel" aria-label="Runs">
      <h2>Runs</h2>
      <p className="runs-hint">
        Every finished run is kept here, named after what changed from the run before. Tick runs to draw them over
        the live curves (solid: training, dashed: validation); pin one as the baseline. Import run adds a run trained
        elsewhere: the run.json of the exported PyTorch script, or a JSON export of this list.
      </p>
      {message && (
        <p className="runs-message" aria-live="polite">
          {message}
        </p>
      )}
      {unreadable.length > 0 && (
        <p className="runs-message">
          {unreadable.length === 1 ? 'One stored run' : `${unreadable.length} stored runs`} could not be read (
          {unreadable[0]!.reason}) and {unreadable.length === 1 ? 'is' : 'are'} left out.{' '}
          <button type="button" onClick={() => void deleteUnreadable()}>
            Delete unreadable runs
          </button>
        </p>
      )}
      {runs.length === 0 ? (
        <p className="runs-empty">No finished runs yet: press Train, and the run appears here when it ends.</p>
      ) : (
        <div className="runs-table-wrap">
          <table className="runs-table">
            <caption className="sr-only">Recorded runs: the settings that differ between them, and their results</caption>
            <thead>
              <tr>
                <th scope="col">Run (tick to compare)</th>
                {columns.map((c) => (
                  <th scope="col" key={c.key}>
                    {c.label}
                  </th>
                ))}
                <th scope="col" className="num">
                  <abbr title="Best validation accuracy, and its epoch">Best val.</abbr>
                </th>
                <th scope="col" className="num">
                  <abbr title="Test accuracy (and its difference to the baseline)">Test</abbr>
                </th>
                <th scope="col" className="num">Epochs</th>
                <th scope="col" className="num">Time</th>
                <th scope="col">Baseline</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => {
                const sum = summarize(r);
                const otherData = r.config.datasetId !== datasetId;
                const color = colors.get(r.id);
                const delta = baseTest !== null && sum.testAcc !== null && !r.baseline ? (sum.testAcc - baseTest) * 100 : null;
                const imported = importedLabel(r);
                return (
                  <tr key={r.id} className={r.id === liveRecordId ? 'runs-live' : undefined}>
                    <th scope="row" className="runs-name">
                      <div className="runs-name-line">
                        <RunFlag id={r.id} flag="compared" label={`Compare ${r.name}`} disabled={otherData} onChange={(on) => void setCompared(r.id, on)} />
                        <span className="runs-swatch" style={color ? { background: color } : undefined} aria-hidden="true" />
                        {editing === r.id ? (
                          <input
                            type="text"
                            aria-label={`New name for ${r.name}`}
                            value={draft}
                            maxLength={80}
                            autoFocus
                            onChange={(e) => setDraft(e.target.value)}
                            onBlur={() => finishRename(r)}
                            onKeyDown={(e) => {
                              if (e.key === 'Enter') finishRename(r);
                              if (e.key === 'Escape') setEditing(null);
                            }}
                          />
                        ) : (
                          <span className="runs-label">
                            {r.name}
                            <button
                              type="button"
                              className="runs-rename"
                              aria-label={`Rename ${r.name}`}
                              title="Rename"
                              onClick={() => {
                                setDraft(r.name);
                                setEditing(r.id);
                              }}
                            >
                              ✎
                            </button>
                          </span>
                        )}
                      </div>
                      {(r.id === liveRecordId || r.outcome !== 'completed' || imported) && (
                        <div className="runs-tags">
                          {r.id === liveRecordId && <span className="runs-tag">on screen</span>}
                          {imported && (
                            <span className="runs-tag runs-tag-imported" title={r.backend ? `Trained on ${r.backend}` : undefined}>
                              {imported}
                            </span>
                          )}
                          {r.outcome !== 'completed' && <span className="runs-tag">{r.outcome}</span>}
                        </div>
                      )}
                      {otherData && (
                        <span className="runs-note">
                          {r.datasetName}: not drawn over {datasetName} curves
                        </span>
                      )}
                    </th>
                    {columns.map((c) => (
                      <td key={c.key}>{c.text(r.config)}</td>
                    ))}
                    <td className="num">
                      {pct(sum.bestValAcc)}
                      {sum.bestValEpoch !== null && <span className="runs-sub"> (epoch {sum.bestValEpoch})</span>}
                    </td>
                    <td className="num">
                      {pct(sum.testAcc)}
                      {delta !== null && (
                        <span className="runs-sub">
                          {' '}
                          ({delta >= 0 ? '+' : '−'}
                          {Math.abs(delta).toFixed(1)} pts)
                        </span>
                      )}
                    </td>
                    <td className="num">{sum.epochs}</td>
                    <td className="num">{duration(r.durationMs)}</td>
                    <td className="runs-row-actions">
                      <RunFlag
                        id={r.id}
                        flag="baseline"
                        label={`Baseline: ${r.name}`}
                        title="Pin as the baseline"
                        disabled={otherData && !r.baseline}
                        onChange={(on) => void setBaseline(on ? r.id : null)}
                      />
                      <button type="button" className="runs-delete" aria-label={`Delete ${r.name}`} title="Delete this run" onClick={() => void deleteRun(r.id)}>
                        ✕
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <div className="runs-actions">
        {runs.length > 0 && (
          <>
            <span>{chosen.length === 0 ? 'Tick runs to export them:' : `Export the ${chosen.length} ticked run${chosen.length === 1 ? '' : 's'}:`}</span>
            <button type="button" disabled={chosen.length === 0} onClick={() => download([{ name: `${exportName}.csv`, data: runsToCsv(chosen), type: 'text/csv' }])}>
              CSV
            </button>
            <button type="button" disabled={chosen.length === 0} onClick={() => download([{ name: `${exportName}.json`, data: runsToJson(chosen), type: 'application/json' }])}>
              JSON
            </button>
          </>
        )}
        <FileButton
          label="Import run"
          accept=".json,application/json"
          className="runs-import"
          title="A run.json from the exported PyTorch script (--out), or a JSON export of this list"
          onFile={(file) => void importRuns(file)}
        />
      </div>
    </section>
  );
}
