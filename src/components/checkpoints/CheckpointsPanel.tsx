import { useEffect } from 'react';
import { formatBytes } from '../../core/format';
import { useApp } from '../storeContext';
import { isBusy } from '../../state/selectors';
import { NumberField } from '../NumberField';
import { SelectField } from '../SelectField';
import { lastGoodCheckpoint } from '../../core/checkpoint/lastGood';
import { useSettingIssues } from '../training/useProblems';
import {
  CHECKPOINT_POLICY_LABELS,
  defaultCheckpointSettings,
  type CheckpointPolicy,
  type CheckpointSettings,
} from '../../core/checkpoint/settings';
import { MONITOR_LABELS, type MonitorId, type MonitorMode } from '../../core/callbacks/monitor';
import type { CheckpointSummary } from '../../storage/checkpoints';
import { storageText } from './storageText';
import './checkpoints.css';

const fmt = (v: number | undefined) => (typeof v === 'number' ? v.toFixed(4) : '–');

/** Checkpoint settings, the stored checkpoints with their sizes, storage use, resume and delete. */
export function CheckpointsPanel() {
  const config = useApp((s) => s.config);
  const setConfig = useApp((s) => s.setConfig);
  const status = useApp((s) => s.status);
  const busy = isBusy(status);
  const runs = useApp((s) => s.savedRuns);
  const checkpoints = useApp((s) => s.savedCheckpoints);
  const use = useApp((s) => s.storageUse);
  const message = useApp((s) => s.checkpointMessage);
  const currentRun = useApp((s) => s.checkpointRunId);
  const refresh = useApp((s) => s.refreshCheckpoints);
  const del = useApp((s) => s.deleteCheckpoint);
  const delRun = useApp((s) => s.deleteSavedRun);
  const delUnlinked = useApp((s) => s.deleteUnlinkedCheckpoints);
  const unlistedData = useApp((s) => s.unlistedCheckpointData);
  const resume = useApp((s) => s.resumeFromCheckpoint);
  const restore = useApp((s) => s.restoreCheckpoint);
  const savedEvents = useApp((s) => s.events.filter((e) => e.kind === 'checkpoint' || e.kind === 'storage').length);
  const diverged = useApp(
    (s) => s.endedAs === 'stopped' && s.hasModel && s.events.some((e) => e.kind === 'nan' || e.kind === 'divergence'),
  );
  const issues = useSettingIssues().filter((i) => i.field === 'checkpoints');
  const runEvents = useApp((s) => s.events);
  const numClasses = useApp((s) => s.datasets[s.config.datasetId]?.classNames.length ?? 10);
  const hasOwnCheckpoints = checkpoints.some((c) => c.runId === currentRun);

  useEffect(() => {
    void refresh();
  }, [refresh, savedEvents, status]);

  const settings: CheckpointSettings = config.checkpoints ?? { ...defaultCheckpointSettings(), enabled: false };
  const patch = (p: Partial<CheckpointSettings>) => setConfig({ checkpoints: { ...settings, ...p } });
  // Not simply the latest checkpoint: one saved before the divergence whose model had learned.
  const lastGood = lastGoodCheckpoint(checkpoints, currentRun, runEvents, numClasses);
  const runsWithCheckpoints = runs.filter((r) => checkpoints.some((c) => c.runId === r.id));
  // Checkpoints whose run record is missing (the site's data was cleared while a run trained).
  const unlinked = checkpoints.filter((c) => !runs.some((r) => r.id === c.runId));

  return (
    <section className="panel" role="region" aria-label="Checkpoints">
      <h2>Checkpoints</h2>
      <div className="ckpt-settings">
        <label className="check">
          <input type="checkbox" checked={settings.enabled} disabled={busy} onChange={(e) => patch({ enabled: e.target.checked })} />
          Save checkpoints while training (in this browser)
        </label>
        {settings.enabled && (
          <div className="grid-fields">
            <SelectField<CheckpointPolicy>
              label="Save"
              value={settings.policy}
              disabled={busy}
              options={(Object.keys(CHECKPOINT_POLICY_LABELS) as CheckpointPolicy[]).map((p) => ({ value: p, label: CHECKPOINT_POLICY_LABELS[p] }))}
              onChange={(policy) => patch({ policy })}
            />
            {settings.policy === 'everyN' && (
              <NumberField label="Every N epochs" value={settings.everyN} min={1} step={1} disabled={busy} onChange={(everyN) => patch({ everyN })} />
            )}
            {settings.policy === 'bestOnly' && (
              <>
                <SelectField<MonitorId>
                  label="Monitor"
                  value={settings.monitor}
                  disabled={busy}
                  options={(Object.keys(MONITOR_LABELS) as MonitorId[]).map((m) => ({ value: m, label: MONITOR_LABELS[m] }))}
                  onChange={(monitor) => patch({ monitor })}
                />
                <SelectField<MonitorMode>
                  label="Better is"
                  value={settings.mode}
                  disabled={busy}
                  options={[
                    { value: 'auto', label: 'automatic' },
                    { value: 'min', label: 'lower' },
                    { value: 'max', label: 'higher' },
                  ]}
                  onChange={(mode) => patch({ mode })}
                />
              </>
            )}
            <div className="field">
              <label htmlFor="field-checkpoint-name">Checkpoint name</label>
              <input
                id="field-checkpoint-name"
                type="text"
                value={settings.nameTemplate}
                disabled={busy}
                aria-invalid={issues.some((i) => /name/.test(i.message)) || undefined}
                onChange={(e) => patch({ nameTemplate: e.target.value })}
              />
              <small className="hint">{'fields: {epoch:02d} {loss:.4f} {acc} {val_loss} {val_acc}'}</small>
            </div>
            <NumberField
              label="Keep last"
              value={settings.keepLast}
              min={0}
              step={1}
              disabled={busy}
              hint="per run; 0 keeps all"
              onChange={(keepLast) => patch({ keepLast })}
            />
          </div>
        )}
        {issues.map((i) => (
          <p key={i.message} className="error" role="alert">
            {i.message}
          </p>
        ))}
      </div>

      <p className="hint" data-testid="storage-use">
        {use ? storageText(use, busy) : 'Reading the stored checkpoints…'}
      </p>
      {message && <p className="error">{message}</p>}
      {diverged && lastGood && (
        <div className="error-box">
          <p>
            The run stopped because the loss became NaN or diverged. The last good checkpoint is {lastGood.name} (epoch{' '}
            {lastGood.epoch}, saved before the divergence
            {lastGood.metrics ? `, accuracy ${((lastGood.metrics.val_acc ?? lastGood.metrics.acc) * 100).toFixed(1)}%` : ''}).
          </p>
          <button type="button" onClick={() => restore(lastGood.id)}>
            Restore last good checkpoint
          </button>
        </div>
      )}
      {diverged && !lastGood && hasOwnCheckpoints && (
        <div className="error-box">
          <p>
            The run stopped because the loss became NaN or diverged, and none of its checkpoints holds a model that had learned
            anything (each is at chance accuracy, or was saved once the loss had already diverged). Lower the learning rate and
            train again.
          </p>
        </div>
      )}
      {runsWithCheckpoints.length === 0 && unlinked.length === 0 && unlistedData.length === 0 && (
        <p className="hint">No checkpoints stored yet.</p>
      )}
      {runsWithCheckpoints.map((run) => (
        <div key={run.id}>
          <div className="ckpt-run">
            <h3>
              {run.name}
              {run.id === currentRun ? ' (this run)' : ''} · {run.status}
            </h3>
            <button type="button" disabled={busy && run.id === currentRun} onClick={() => void delRun(run.id)}>
              Delete run
            </button>
          </div>
          {run.problem && <p className="error">{run.problem}</p>}
          <CheckpointTable
            rows={checkpoints.filter((c) => c.runId === run.id)}
            busy={busy}
            onResume={resume}
            onDelete={(id) => void del(id)}
          />
        </div>
      ))}
      {(unlinked.length > 0 || unlistedData.length > 0) && (
        <div role="group" aria-labelledby="ckpt-unlinked">
          <div className="ckpt-run">
            <h3 id="ckpt-unlinked">Not linked to a run</h3>
            <button type="button" disabled={busy} onClick={() => void delUnlinked()}>
              Delete them all
            </button>
          </div>
          {unlinked.length > 0 && (
            <>
              <p className="hint">
                {unlinked.length === 1 ? 'This checkpoint belongs' : `These ${unlinked.length} checkpoints belong`} to no stored run
                ({formatBytes(unlinked.reduce((n, c) => n + c.sizeBytes, 0))}): its record was lost, for example when the
                site&apos;s data was cleared while a run was training.{' '}
                {unlinked.length === 1 ? 'It' : 'Each'} can still be resumed (a checkpoint holds its own settings), or deleted to
                free the space.
              </p>
              <CheckpointTable rows={unlinked} busy={busy} onResume={resume} onDelete={(id) => void del(id)} />
            </>
          )}
          {unlistedData.length > 0 && (
            <p className="hint">
              {unlistedData.length === 1 ? 'One stored record holds' : `${unlistedData.length} stored records hold`} checkpoint data
              that no checkpoint lists (weights left behind, or a record of the wrong shape); they cannot be resumed. Delete them all
              removes {unlistedData.length === 1 ? 'it' : 'them'}.
            </p>
          )}
        </div>
      )}
    </section>
  );
}

function CheckpointTable(props: { rows: CheckpointSummary[]; busy: boolean; onResume(id: string): unknown; onDelete(id: string): void }) {
  return (
    <table className="checkpoints">
      <thead>
        <tr>
          <th>Name</th>
          <th className="num">Epoch</th>
          <th className="num">Loss</th>
          <th className="num">Val loss</th>
          <th className="num">Val acc</th>
          <th className="num">Size</th>
          {/* A header cell with no text is announced as an empty column (axe: empty-table-header). */}
          <th>
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((c) => (
          <tr key={c.id} className={c.problem ? 'stale' : undefined}>
            <td>{c.name}</td>
            {c.problem ? (
              <td colSpan={4}>{c.problem}</td>
            ) : (
              <>
                <td className="num">{c.epoch}</td>
                <td className="num">{fmt(c.metrics?.loss)}</td>
                <td className="num">{fmt(c.metrics?.val_loss)}</td>
                <td className="num">{typeof c.metrics?.val_acc === 'number' ? `${(c.metrics.val_acc * 100).toFixed(1)}%` : '–'}</td>
              </>
            )}
            <td className="num">{formatBytes(c.sizeBytes)}</td>
            <td>
              {!c.problem && (
                <button type="button" disabled={props.busy} aria-label={`Resume from ${c.name}`} onClick={() => void props.onResume(c.id)}>
                  Resume
                </button>
              )}
              <button type="button" aria-label={`Delete ${c.name}`} onClick={() => props.onDelete(c.id)}>
                Delete
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Shown when a run was cut off: by a reload, a closed tab, or a training worker that died. */
export function InterruptedBanner() {
  const it = useApp((s) => s.interrupted);
  const busy = useApp((s) => isBusy(s.status));
  const resume = useApp((s) => s.resumeFromCheckpoint);
  const dismiss = useApp((s) => s.dismissInterrupted);
  if (!it) return null;
  return (
    <div className="interrupted-banner" role="region" aria-label="Interrupted run">
      <p>
        Training was interrupted at epoch {it.checkpoint.epoch + 1} (the page was reloaded or closed, or the training worker stopped). Resume from checkpoint{' '}
        <strong>{it.checkpoint.name}</strong>, saved after epoch {it.checkpoint.epoch}?
      </p>
      <button type="button" className="primary" disabled={busy} onClick={() => void resume(it.checkpoint.id)}>
        Resume
      </button>
      <button type="button" onClick={() => void dismiss()}>
        Dismiss
      </button>
    </div>
  );
}
