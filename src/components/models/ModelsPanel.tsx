import { useEffect, useState, type ChangeEvent } from 'react';
import { formatBytes, formatCount } from '../../core/format';
import { isBusy } from '../../state/selectors';
import { useApp } from '../storeContext';
import { download } from '../download';
import './models.css';

const dateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });

/** Save the current model (browser or files), list saved models, load models or weights. */
export function ModelsPanel() {
  const hasModel = useApp((s) => s.hasModel);
  const running = useApp((s) => isBusy(s.status));
  const saved = useApp((s) => s.savedModels);
  const working = useApp((s) => s.modelsBusy);
  const message = useApp((s) => s.modelsMessage);
  const overwriteName = useApp((s) => s.overwriteName);
  const continueTraining = useApp((s) => s.continueTraining);
  const refresh = useApp((s) => s.refreshSavedModels);
  const saveToBrowser = useApp((s) => s.saveToBrowser);
  const cancelOverwrite = useApp((s) => s.cancelOverwrite);
  const exportFiles = useApp((s) => s.exportModelFiles);
  const loadSaved = useApp((s) => s.loadSavedModel);
  const deleteSaved = useApp((s) => s.deleteSavedModel);
  const loadFiles = useApp((s) => s.loadModelFiles);
  const setContinue = useApp((s) => s.setContinueTraining);
  const [name, setName] = useState('');
  /** A saved model whose Delete was pressed once: the row asks before deleting. */
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const blocked = running ? 'A run is in progress: wait for it to end (or stop it) to save or load.' : null;
  const noModel = !hasModel ? 'Train a model or load one first: there is nothing to save yet.' : null;
  const saveReason = blocked ?? noModel;
  const disabled = working !== null || blocked !== null;

  const onFiles = (mode: 'model' | 'weights') => async (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.currentTarget;
    const files = [...(input.files ?? [])];
    await loadFiles(files, mode);
    input.value = ''; // choosing the same files again fires change again
  };

  return (
    <section className="panel models-panel" role="region" aria-label="Models">
      <h2>Models</h2>
      <div className="models-save">
        <label className="field inline">
          <span>Model name</span>
          <input type="text" value={name} maxLength={80} placeholder="e.g. mnist-mlp-3-epochs" onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="button" disabled={disabled || saveReason !== null || name.trim() === ''} onClick={() => void saveToBrowser(name)}>
          Save to browser
        </button>
        <button type="button" disabled={disabled || saveReason !== null} onClick={() => void exportFiles('model').then((f) => f && download(f))}>
          Download model
        </button>
        <button type="button" disabled={disabled || saveReason !== null} onClick={() => void exportFiles('weights').then((f) => f && download(f))}>
          Download weights
        </button>
      </div>
      {saveReason ? (
        <p className="hint">{saveReason}</p>
      ) : (
        name.trim() === '' && <p className="hint">Type a name to save the model in this browser.</p>
      )}
      {overwriteName && (
        <div className="error-box" role="alert">
          <p>A model named “{overwriteName}” is already saved in this browser. Replace it?</p>
          <button type="button" onClick={() => void saveToBrowser(overwriteName, { overwrite: true })}>
            Replace it
          </button>
          <button type="button" onClick={cancelOverwrite}>
            Cancel
          </button>
        </div>
      )}
      <p className="hint">
        “Download model” saves <code>model.json</code> and <code>weights.bin</code> in the TensorFlow.js format (tf.loadLayersModel
        and the tensorflowjs converter read them); “Download weights” saves only the numbers.
      </p>

      <h3>Saved in this browser</h3>
      {saved.length === 0 ? (
        <p className="hint">No saved models yet.</p>
      ) : (
        <table className="saved-models" aria-label="Saved models">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Saved</th>
              <th scope="col" className="num">Params</th>
              <th scope="col" className="num">Size</th>
              <th scope="col">Dataset</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {saved.map((m) => (
              <tr key={m.id}>
                <td>{m.name}</td>
                {m.stale ? (
                  <td colSpan={4} className="error">
                    {m.stale}
                  </td>
                ) : (
                  <>
                    <td>{m.savedAt !== null ? dateFormat.format(m.savedAt) : '?'}</td>
                    <td className="num">{m.params !== null ? formatCount(m.params) : '?'}</td>
                    <td className="num">{m.sizeBytes !== null ? formatBytes(m.sizeBytes) : '?'}</td>
                    <td>{m.datasetName ?? '?'}</td>
                  </>
                )}
                <td className="row-actions">
                  {!m.stale && (
                    <button type="button" disabled={disabled} aria-label={`Load ${m.name}`} onClick={() => void loadSaved(m.id)}>
                      Load
                    </button>
                  )}
                  {confirmDelete === m.id ? (
                    <>
                      <button
                        type="button"
                        disabled={working !== null}
                        aria-label={`Delete ${m.name} for good`}
                        onClick={() => {
                          setConfirmDelete(null);
                          void deleteSaved(m.id);
                        }}
                      >
                        Delete for good
                      </button>
                      <button type="button" aria-label={`Keep ${m.name}`} onClick={() => setConfirmDelete(null)}>
                        Keep
                      </button>
                    </>
                  ) : (
                    <button type="button" disabled={working !== null} aria-label={`Delete ${m.name}`} onClick={() => setConfirmDelete(m.id)}>
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>Load from files</h3>
      <div className="models-load">
        <label className="field">
          <span>Upload model</span>
          <input type="file" multiple accept=".json,.bin" disabled={disabled} onChange={(e) => void onFiles('model')(e)} />
        </label>
        <label className="field">
          <span>Load weights into current model</span>
          <input type="file" multiple accept=".json,.bin" disabled={disabled} onChange={(e) => void onFiles('weights')(e)} />
        </label>
      </div>
      <p className="hint">
        Choose <code>model.json</code> and <code>weights.bin</code> together. Loading weights keeps the layers in the builder and
        needs the same shapes, layer by layer.
      </p>
      <label className="check">
        <input type="checkbox" checked={continueTraining} disabled={running} onChange={(e) => setContinue(e.target.checked)} />
        Train further: Train starts from the current model’s weights (not new random ones)
      </label>
      <div aria-live="polite" className="models-message">
        {working && <p className="hint">{working}</p>}
        {message && (
          <p className={message.kind === 'error' ? 'error' : 'note'} role={message.kind === 'error' ? 'alert' : undefined}>
            {message.text}
          </p>
        )}
      </div>
    </section>
  );
}
