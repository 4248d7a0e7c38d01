import { useEffect, useRef, useState, type DragEvent } from 'react';
import { useApp } from '../storeContext';
import { useLocked } from '../locked';
import { SelectField } from '../SelectField';
import { describeLimits, IMPORT_LIMITS, IMPORT_SIZES } from '../../core/data/import/limits';
import { datasetName, droppedFiles, pickedFiles, type PickedFile } from './droppedFiles';
import type { UrlHost } from '../../core/data/import/hosts';
import { formatCount } from '../../core/format';

/**
 * Import a dataset from disk: a folder (picker or drag-and-drop), a zip, a CSV or JSON index,
 * or cifar-10-binary.tar.gz. Shows progress with Cancel, the outcome, skipped files, and the
 * imported datasets with Delete. Every label is rendered as text.
 */
export function ImportPanel() {
  const options = useApp((s) => s.importOptions);
  const status = useApp((s) => s.importStatus);
  const imported = useApp((s) => s.importedDatasets);
  const setOptions = useApp((s) => s.setImportOptions);
  const importFiles = useApp((s) => s.importFiles);
  const cancel = useApp((s) => s.cancelImport);
  const remove = useApp((s) => s.deleteImported);
  const locked = useLocked();
  const [dragging, setDragging] = useState(false);
  const [open, setOpen] = useState(false);
  const running = status.phase === 'running';
  const disabled = locked || running;

  const start = (files: PickedFile[], name = datasetName(files)) => {
    setOpen(true);
    void importFiles(name, files);
  };
  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (disabled) return;
    const { name, files } = await droppedFiles(e.dataTransfer, IMPORT_LIMITS.maxArchiveEntries);
    start(files, name.replace(/\.(tar\.gz|tgz|zip|csv|json)$/i, ''));
  };

  return (
    <>
    <DamagedDatasets />
    <details className="import" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Import your own images</summary>
      <div className="import-options">
        <SelectField
          label="Image size"
          value={String(options.size)}
          disabled={disabled}
          options={IMPORT_SIZES.map((s) => ({ value: String(s), label: `${s}×${s}` }))}
          onChange={(v) => setOptions({ size: Number(v) })}
        />
        <SelectField
          label="Channels"
          value={String(options.channels) as '1' | '3'}
          disabled={disabled}
          options={[
            { value: '1', label: 'Greyscale' },
            { value: '3', label: 'RGB' },
          ]}
          onChange={(v) => setOptions({ channels: v === '3' ? 3 : 1 })}
        />
        <SelectField
          label="Label depth"
          value={options.labelDepth}
          disabled={disabled}
          options={[
            { value: 'leaf', label: 'Innermost folder' },
            { value: 'top', label: 'Top folder' },
          ]}
          hint="For nested class folders such as dog/beagle/…"
          onChange={(v) => setOptions({ labelDepth: v })}
        />
      </div>
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => void onDrop(e)}
      >
        <div className="field">
          <label htmlFor="import-files">Import dataset</label>
          <input
            id="import-files"
            type="file"
            multiple
            disabled={disabled}
            accept=".zip,.csv,.json,.tar.gz,.tgz,.gz,.tar,image/png,image/jpeg,image/webp,image/gif,image/bmp"
            onChange={(e) => {
              const files = pickedFiles(e.target.files!);
              e.target.value = '';
              start(files);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="import-folder">Import folder</label>
          <input
            id="import-folder"
            type="file"
            multiple
            disabled={disabled}
            {...{ webkitdirectory: '' }}
            onChange={(e) => {
              const files = pickedFiles(e.target.files!);
              e.target.value = '';
              start(files);
            }}
          />
        </div>
        <small className="hint">
          Or drop a folder here. One sub-folder per class (optionally inside train/ and test/), a zip of it, a CSV or JSON
          index (label, location), or cifar-10-binary.tar.gz. Without train/ and test/ the images are split 80/20, stratified.{' '}
          {describeLimits()}
        </small>
      </div>
      {status.confirm && <ConfirmHosts confirm={status.confirm} />}
      {running && !status.confirm && (
        <div className="import-progress">
          <progress aria-label="Import progress" max={Math.max(1, status.total)} value={status.done} />{' '}
          <span>
            {status.stage}
            {status.total > 1 ? ` ${formatCount(status.done)} of ${formatCount(status.total)}` : ''}…
          </span>{' '}
          <button type="button" onClick={cancel}>
            Cancel import
          </button>
        </div>
      )}
      {status.message && (
        <p className={status.phase === 'error' ? 'error' : 'hint'} aria-label="Import result" aria-live="polite">
          {status.message}
        </p>
      )}
      {(status.skipped.length > 0 || status.problems.length > 0) && (
        <details className="import-skipped">
          <summary>
            Skipped: {status.skipped.length} file{status.skipped.length === 1 ? '' : 's'}
            {status.problems.length > 0 ? `, ${status.problems.length} index rows` : ''}
          </summary>
          <ul aria-label="Skipped files">
            {[...status.problems, ...status.skipped].map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </ul>
        </details>
      )}
      {imported.length > 0 && (
        <ul className="imported" aria-label="Imported datasets">
          {imported.map((d) => (
            <li key={d.id}>
              <span>
                {d.name} — {d.classNames.length} classes, {formatCount(d.trainCount)} train / {formatCount(d.testCount)} test,{' '}
                {d.shape.join('×')}
              </span>{' '}
              <button type="button" disabled={locked} aria-label={`Delete ${d.name}`} onClick={() => void remove(d.id)}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
    </details>
    </>
  );
}

/**
 * Before an index's image URLs are fetched: which servers would be contacted, and a choice.
 * Focus moves to it, as the import waits on the answer.
 */
function ConfirmHosts({ confirm }: { confirm: { hosts: UrlHost[]; urls: number } }) {
  const answer = useApp((s) => s.answerHosts);
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  const n = formatCount(confirm.urls);
  return (
    <div className="note" role="group" aria-labelledby="import-hosts-question">
      <p id="import-hosts-question">
        The index lists {n} image address{confirm.urls === 1 ? '' : 'es'} on the web. Download {confirm.urls === 1 ? 'it' : 'them'} from{' '}
        {confirm.hosts.length === 1 ? 'this server' : `these ${confirm.hosts.length} servers`}?
      </p>
      <ul aria-label="Servers to contact">
        {confirm.hosts.slice(0, 20).map((h) => (
          <li key={`${h.downloadable}:${h.host}`}>
            {h.host} — {formatCount(h.count)} image{h.count === 1 ? '' : 's'}
            {h.downloadable ? '' : ' (http: addresses, which the app does not download: they will be listed as skipped)'}
          </li>
        ))}
        {confirm.hosts.length > 20 && <li>…and {confirm.hosts.length - 20} more servers</li>}
      </ul>
      <p className="hint">
        Each server sees your address and which images are asked for. Nothing is downloaded until you choose; Cancel stops
        the import with nothing changed.
      </p>
      <button type="button" ref={first} onClick={() => answer(true)}>
        Download the images
      </button>{' '}
      <button type="button" onClick={() => answer(false)}>
        Cancel import
      </button>
    </div>
  );
}

/** Stored dataset records the app cannot read: why, and a way out that keeps everything else. */
function DamagedDatasets() {
  const damaged = useApp((s) => s.damagedDatasets);
  const remove = useApp((s) => s.deleteImported);
  if (damaged.length === 0) return null;
  return (
    <div className="note" role="region" aria-label="Damaged datasets">
      <p>
        {damaged.length === 1 ? 'One stored dataset cannot be read' : `${damaged.length} stored datasets cannot be read`}; everything else
        (models, checkpoints, runs) is unaffected.
      </p>
      <ul>
        {damaged.map((d) => (
          <li key={d.key}>
            {d.problem}{' '}
            <button type="button" onClick={() => void remove(d.key)}>
              Delete this record
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Images per class and split of an imported dataset. */
export function ClassCounts() {
  const d = useApp((s) => s.importedDatasets.find((x) => x.id === s.config.datasetId));
  if (!d) return null;
  return (
    <table className="class-counts" aria-label="Images per class">
      <thead>
        <tr>
          <th scope="col">Class</th>
          <th scope="col">Train</th>
          <th scope="col">Test</th>
        </tr>
      </thead>
      <tbody>
        {d.classNames.map((name, i) => (
          <tr key={i}>
            <td>{name}</td>
            <td>{d.classCounts.train[i]}</td>
            <td>{d.classCounts.test[i]}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
