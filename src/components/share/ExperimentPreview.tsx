/**
 * What an experiment from a link or a file would set, shown before anything is replaced:
 * the settings that change (now → after), the problems of the new settings, the fields that
 * could not be read; Apply or Cancel. A file that cannot be opened says why, and only closes.
 */
import { useEffect, useId, useRef } from 'react';
import { useApp } from '../storeContext';
import { isBusy } from '../../state/selectors';

export function ExperimentPreview() {
  const p = useApp((s) => s.sharePreview);
  const apply = useApp((s) => s.applyExperiment);
  const cancel = useApp((s) => s.cancelExperiment);
  const busy = useApp((s) => isBusy(s.status));
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (p && !d.open) d.showModal();
    if (!p && d.open) d.close();
  }, [p]);

  return (
    <dialog
      ref={ref}
      className="experiment-preview"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault(); // Escape: the store closes it, as Cancel does
        cancel();
      }}
    >
      {p && (
        <>
          <h2 id={titleId}>{p.error ? `The experiment from ${p.from} cannot be opened` : `Open the experiment from ${p.from}?`}</h2>
          {p.error ? (
            <>
              <div className="error-box">
                <p>{p.error}</p>
                {p.errorDetails.length > 0 && (
                  <ul>
                    {p.errorDetails.map((m, i) => (
                      <li key={i}>{m}</li>
                    ))}
                  </ul>
                )}
              </div>
              <p>Nothing was changed: your settings are as they were.</p>
            </>
          ) : (
            <>
              {p.changes.length === 0 ? (
                <p>It has the same settings as now: Apply changes nothing.</p>
              ) : (
                <>
                  <p>Apply changes {p.changes.length === 1 ? 'this setting' : `these ${p.changes.length} settings`}; Undo puts them back.</p>
                  <table className="preview-changes">
                    <thead>
                      <tr>
                        <th scope="col">Setting</th>
                        <th scope="col">Now</th>
                        <th scope="col">After Apply</th>
                      </tr>
                    </thead>
                    <tbody>
                      {p.changes.map((c) => (
                        <tr key={c.label}>
                          <th scope="row">{c.label}</th>
                          <td>{c.from}</td>
                          <td>{c.to}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </>
              )}
              {p.problems.length > 0 && (
                <div className="preview-problems">
                  <h3>To fix before training ({p.problems.length})</h3>
                  <ul>
                    {p.problems.map((m, i) => (
                      <li key={i}>{m}</li>
                    ))}
                  </ul>
                </div>
              )}
              {p.ignored.length > 0 && (
                <p className="hint">
                  Could not be read, so ignored: {p.ignored.slice(0, 12).join(', ')}
                  {p.ignored.length > 12 ? ` and ${p.ignored.length - 12} more` : ''}.
                </p>
              )}
              {p.notes.map((n, i) => (
                <p key={i} className="hint">
                  {n}
                </p>
              ))}
              {busy && <p className="warning">A run is in progress: stop it, then Apply.</p>}
            </>
          )}
          <div className="preview-actions">
            {p.next && (
              <button type="button" className="primary" disabled={busy} onClick={apply}>
                Apply
              </button>
            )}
            <button type="button" onClick={cancel}>
              {p.error ? 'Close' : 'Cancel'}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
