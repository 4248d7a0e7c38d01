/**
 * The header's experiment controls: Copy link (the settings in the address, `?exp=`),
 * Download experiment (`experiment.json`), Export PyTorch script (the same experiment as a
 * standalone Python file, core/export) and Open experiment (a file input), plus the strip
 * below the header that says what happened (with Undo after an Apply, and the link itself
 * when the browser refuses the clipboard).
 */
import { FileButton } from '../FileButton';
import { useEffect, useRef } from 'react';
import { useApp } from '../storeContext';
import { download } from '../download';
import { ExperimentPreview } from './ExperimentPreview';
import './share.css';
import { formatBytes, formatCount } from '../../core/format';

/** Larger than any experiment file (a 500-layer stack is about 40 kB). */
const MAX_FILE_BYTES = 1_000_000;

export function ShareControls() {
  const experimentLink = useApp((s) => s.experimentLink);
  const experimentFile = useApp((s) => s.experimentFile);
  const pytorchScriptFile = useApp((s) => s.pytorchScriptFile);
  const openFile = useApp((s) => s.openExperimentFile);
  const setMessage = useApp((s) => s.setShareMessage);
  const setFallback = useApp((s) => s.setShareLinkFallback);

  const copy = async () => {
    const link = experimentLink(window.location.href);
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(link);
      setFallback(null);
      setMessage(`Link copied (${formatCount(link.length)} characters): whoever opens it sees these settings and can apply them.`);
    } catch {
      setFallback(link);
      setMessage('The browser did not let the app copy. The link is selected below: press Ctrl+C (⌘C on a Mac) to copy it.');
    }
  };

  return (
    <div className="share-controls" role="group" aria-label="Experiment">
      <button type="button" className="header-button" onClick={() => void copy()}>
        Copy link
      </button>
      <button
        type="button"
        className="header-button"
        onClick={() => {
          download([experimentFile()]);
          setFallback(null);
          setMessage('Saved experiment.json: Open experiment reads it back, here or in another browser.');
        }}
      >
        Download experiment
      </button>
      <button
        type="button"
        className="header-button"
        onClick={() => {
          const r = pytorchScriptFile();
          setFallback(null);
          if (!r.ok) {
            setMessage(`No script was saved: ${r.problem}`);
            return;
          }
          download([r.file]);
          setMessage(
            `Saved ${r.file.name}: the same experiment in PyTorch. Run python3 ${r.file.name} --data <folder with the dataset's files>; ` +
              'its first lines say how to train on a GPU, under torchrun, or from a downloaded model.',
          );
        }}
      >
        Export PyTorch script
      </button>
      <FileButton
        label="Open experiment"
        accept=".json,application/json"
        className="header-button file-button"
        onFile={(file) => {
          if (file.size > MAX_FILE_BYTES) {
            setMessage(`${file.name} is ${formatBytes(file.size)}: too large to be an experiment file, so it was not opened.`);
            return;
          }
          void file.text().then((text) => openFile(text, file.name));
        }}
      />
      <ExperimentPreview />
    </div>
  );
}

/** Below the header: the last share action's outcome, Undo, and the link to copy by hand. */
export function ShareStatus() {
  const message = useApp((s) => s.shareMessage);
  const fallback = useApp((s) => s.shareLinkFallback);
  const canUndo = useApp((s) => s.shareUndo !== null);
  const undo = useApp((s) => s.undoExperiment);
  const dismiss = useApp((s) => s.dismissShare);
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // Focused and selected: Ctrl+C copies it at once.
    if (fallback) requestAnimationFrame(() => {
      field.current?.focus();
      field.current?.select();
    });
  }, [fallback]);
  if (!message && !canUndo && !fallback) return null;
  return (
    <div className="share-status" role="status">
      {message && <p>{message}</p>}
      {fallback && (
        <label className="share-link">
          <span>Link to these settings</span>
          <input ref={field} type="text" readOnly value={fallback} onFocus={(e) => e.currentTarget.select()} />
        </label>
      )}
      <div className="share-status-actions">
        {canUndo && (
          <button type="button" onClick={undo}>
            Undo
          </button>
        )}
        <button type="button" onClick={dismiss}>
          Dismiss
        </button>
      </div>
    </div>
  );
}
