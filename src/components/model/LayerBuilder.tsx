import { Fragment, useMemo, useState } from 'react';
import { foldRepeats } from '../../core/model/edit';
import { analyzeModel, paramBytes } from '../../core/model/analyze';
import { formatBytes, formatCount } from '../../core/format';
import { formatShape, LAYER_TYPE_ORDER, LAYER_TYPES, type FieldInfo } from '../../core/model/layers';
import { MODEL_PRESETS } from '../../core/model/presets';
import type { LayerSpec, LayerType } from '../../core/model/types';
import { useApp } from '../storeContext';
import { useLocked } from '../locked';
import { SelectField } from '../SelectField';

/**
 * The layer stack as an editable table, like Keras' model.summary(): each row shows its
 * output shape and parameter count; problems are explained on the row they concern.
 */
export function LayerBuilder() {
  const layers = useApp((s) => s.config.model.layers);
  const presetId = useApp((s) => s.presetId);
  const info = useApp((s) => s.datasets[s.config.datasetId]);
  const locked = useLocked();
  const applyPreset = useApp((s) => s.applyPreset);
  const addLayer = useApp((s) => s.addLayer);
  const removeLayer = useApp((s) => s.removeLayer);
  const moveLayer = useApp((s) => s.moveLayer);
  const updateLayer = useApp((s) => s.updateLayer);
  const updateLayers = useApp((s) => s.updateLayers);
  const addAfterEach = useApp((s) => s.addAfterEachWeightLayer);
  const removeAllOfType = useApp((s) => s.removeAllOfType);
  const [newType, setNewType] = useState<LayerType>('dense');
  const [bulkNote, setBulkNote] = useState('');
  const groups = useMemo(() => foldRepeats(layers), [layers]);
  const canFold = groups.some((g) => g.count > 1);
  // Long stacks start folded: 40 × Dense 64 is one row, edited at once.
  const [foldChoice, setFoldChoice] = useState<boolean | null>(null);
  const folded = canFold && (foldChoice ?? layers.length > 12);
  const presentTypes = LAYER_TYPE_ORDER.filter((t) => layers.some((l) => l.type === t));
  const [removeType, setRemoveType] = useState<LayerType>('dropout');
  const removable = presentTypes.includes(removeType) ? removeType : (presentTypes.find((t) => t === 'dropout' || t === 'batchNormalization') ?? presentTypes[0]);
  const newLabel = LAYER_TYPES[newType].label;
  const shape = info?.shape ?? [28, 28, 1];
  const numClasses = info?.classNames.length ?? 10;
  const analysis = useMemo(() => analyzeModel({ layers }, shape, numClasses), [layers, shape, numClasses]);
  const modelErrors = analysis.errors.filter((e) => !analysis.rows.some((r) => r.error && e.includes(r.error)));

  return (
    <section className="panel" aria-labelledby="model-heading">
      <h2 id="model-heading">2. Model</h2>
      <SelectField
        label="Model preset"
        value={presetId}
        disabled={locked}
        options={[
          ...(presetId === 'custom' ? [{ value: 'custom', label: 'Custom (edited)' }] : []),
          ...MODEL_PRESETS.map((p) => ({ value: p.id, label: p.name })),
        ]}
        hint={MODEL_PRESETS.find((p) => p.id === presetId)?.description ?? 'Your own stack, edited from a preset.'}
        onChange={applyPreset}
      />
      <table className="layers" aria-label="Layers">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Layer</th>
            <th scope="col">Settings</th>
            <th scope="col">Output shape</th>
            <th scope="col" className="num">Params</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          <tr className="input-row">
            <td />
            <td>Input</td>
            <td className="hint">{info?.name ?? 'MNIST'} image</td>
            <td>{formatShape(shape)}</td>
            <td className="num">0</td>
            <td />
          </tr>
          {(folded ? groups : layers.map((_, i) => ({ start: i, count: 1, period: 1 }))).map((g) => {
            if (g.count > 1) {
              return (
                <FoldedRow
                  key={`g${g.start}`}
                  group={g}
                  layers={layers}
                  rows={analysis.rows}
                  locked={locked}
                  insertLabel={newLabel}
                  onInsert={() => addLayer(newType, g.start + g.count * g.period)}
                  onChange={(k, patch) => updateLayers(g.start + k, g.count, g.period, patch)}
                  onRemove={() => {
                    for (let n = g.count * g.period; n > 0; n--) removeLayer(g.start);
                  }}
                />
              );
            }
            const i = g.start;
            const layer = layers[i]!;
            const row = analysis.rows[i];
            const title = `layer ${i + 1} (${LAYER_TYPES[layer.type].label})`;
            return (
              <tr key={i} className={row?.error ? 'has-error' : undefined} aria-label={`Layer ${i + 1}: ${LAYER_TYPES[layer.type].label}`}>
                <td>{i + 1}</td>
                <td title={LAYER_TYPES[layer.type].description}>{LAYER_TYPES[layer.type].label}</td>
                <td>
                  <LayerFields layer={layer} title={title} disabled={locked} invalid={Boolean(row?.error)} onChange={(patch) => updateLayer(i, patch)} />
                  {/* Polite, not an alert: it changes as the learner types. */}
                  {row?.error && (
                    <p className="error" role="status">
                      {row.error}
                    </p>
                  )}
                </td>
                <td>{row?.outputShape ? formatShape(row.outputShape) : '?'}</td>
                <td className="num">{row?.outputShape ? formatCount(row.params) : '?'}</td>
                <td className="row-actions">
                  <button type="button" disabled={locked || i === 0} onClick={() => moveLayer(i, -1)} aria-label={`Move ${title} up`}>
                    ↑
                  </button>
                  <button
                    type="button"
                    disabled={locked || i === layers.length - 1}
                    onClick={() => moveLayer(i, 1)}
                    aria-label={`Move ${title} down`}
                  >
                    ↓
                  </button>
                  <button type="button" disabled={locked} onClick={() => addLayer(newType, i + 1)} aria-label={`Insert ${newLabel} after ${title}`} title={`Insert ${newLabel} after this layer`}>
                    +
                  </button>
                  <button type="button" disabled={locked} onClick={() => removeLayer(i)} aria-label={`Remove ${title}`}>
                    ✕
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <td colSpan={4}>
              {analysis.rows.every((r) => r.outputShape) ? (
                <>
                  Total params: <strong>{formatCount(analysis.totalParams)}</strong> (
                  {formatBytes(paramBytes(analysis.totalParams))} as float32) · trainable{' '}
                  {formatCount(analysis.trainableParams)} · non-trainable {formatCount(analysis.nonTrainableParams)}
                </>
              ) : (
                'Total params: unknown until every layer fits'
              )}
            </td>
            <td colSpan={2} />
          </tr>
        </tfoot>
      </table>
      <div className="add-layer">
        <SelectField<LayerType>
          label="New layer type"
          className="inline"
          value={newType}
          disabled={locked}
          options={LAYER_TYPE_ORDER.map((t) => ({ value: t, label: LAYER_TYPES[t].label }))}
          onChange={setNewType}
        />
        <button type="button" disabled={locked} onClick={() => addLayer(newType)}>
          Add layer
        </button>
        <span className="hint">New layers go just above the output layer; + on a row inserts one after it; ↑ ↓ move them.</span>
      </div>
      <div className="bulk-layers">
        <button
          type="button"
          disabled={locked}
          onClick={() => {
            const n = addAfterEach('batchNormalization');
            setBulkNote(n > 0 ? `Added ${n} BatchNormalization layer${n === 1 ? '' : 's'}.` : 'Every Dense and Conv2D layer already has a BatchNormalization after it.');
          }}
        >
          Add BatchNormalization after every Dense/Conv2D
        </button>
        {presentTypes.length > 0 && removable && (
          <span className="bulk-remove">
            <SelectField<LayerType>
              label="Layer kind to remove"
              className="inline"
              value={removable}
              disabled={locked}
              options={presentTypes.map((t) => ({ value: t, label: LAYER_TYPES[t].label }))}
              onChange={setRemoveType}
            />
            <button
              type="button"
              disabled={locked}
              onClick={() => {
                const n = removeAllOfType(removable);
                setBulkNote(`Removed ${n} ${LAYER_TYPES[removable].label} layer${n === 1 ? '' : 's'}.`);
              }}
            >
              Remove all
            </button>
          </span>
        )}
        {canFold && (
          <label className="check">
            <input type="checkbox" checked={folded} onChange={(e) => setFoldChoice(e.target.checked)} />
            Fold repeated layers
          </label>
        )}
        <span aria-live="polite" className="hint">
          {bulkNote}
        </span>
      </div>
      {modelErrors.length > 0 && (
        <div className="error-box" role="alert" aria-label="Model problems">
          {modelErrors.map((e) => (
            <p key={e}>{e}</p>
          ))}
        </div>
      )}
    </section>
  );
}

function LayerFields({
  layer,
  title,
  disabled,
  invalid = false,
  onChange,
}: {
  layer: LayerSpec;
  title: string;
  disabled: boolean;
  /** The row has a problem: its fields are marked invalid (a red border, and for screen readers). */
  invalid?: boolean;
  onChange(patch: Partial<LayerSpec>): void;
}) {
  const fields = LAYER_TYPES[layer.type].fields;
  if (fields.length === 0) return <span className="hint">no settings</span>;
  const values = layer as unknown as Record<string, number | string>;
  return (
    <div className="layer-fields">
      {fields.map((f: FieldInfo) => (
        <label key={f.key} className="mini-field">
          <span>{f.label}</span>
          {f.kind === 'select' ? (
            <select
              value={String(values[f.key])}
              disabled={disabled}
              aria-label={`${f.label} of ${title}`}
              aria-invalid={invalid || undefined}
              onChange={(e) => onChange({ [f.key]: e.target.value } as Partial<LayerSpec>)}
            >
              {f.options!.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          ) : (
            <input
              type="number"
              value={Number.isNaN(values[f.key]) ? '' : String(values[f.key])}
              min={f.min}
              max={f.max}
              step={f.step ?? 'any'}
              disabled={disabled}
              aria-label={`${f.label} of ${title}`}
              aria-invalid={invalid || undefined}
              onChange={(e) => onChange({ [f.key]: e.target.value === '' ? Number.NaN : e.target.valueAsNumber } as Partial<LayerSpec>)}
            />
          )}
        </label>
      ))}
    </div>
  );
}

/**
 * `count` repeats of the same layer (or pair of layers) as one row: its fields edit every
 * copy at once, and its shape and parameters are those of the whole run of layers.
 */
function FoldedRow({
  group,
  layers,
  rows,
  locked,
  insertLabel,
  onInsert,
  onChange,
  onRemove,
}: {
  group: { start: number; count: number; period: number };
  layers: LayerSpec[];
  rows: ReturnType<typeof analyzeModel>['rows'];
  locked: boolean;
  insertLabel: string;
  onInsert(): void;
  onChange(offset: number, patch: Partial<LayerSpec>): void;
  onRemove(): void;
}) {
  const { start, count, period } = group;
  const end = start + count * period;
  const kinds = layers.slice(start, start + period);
  const names = kinds.map((l) => LAYER_TYPES[l.type].label).join(' + ');
  const span = rows.slice(start, end);
  const last = span.at(-1);
  const error = span.find((r) => r?.error)?.error;
  const params = span.reduce((sum, r) => sum + (r?.params ?? 0), 0);
  const title = `layers ${start + 1}–${end} (${count} × ${names})`;
  return (
    <tr className={`folded-row${error ? ' has-error' : ''}`} aria-label={`Layers ${start + 1} to ${end}: ${count} × ${names}`}>
      <td>
        {start + 1}–{end}
      </td>
      <td>
        <strong>{count} ×</strong> {names}
      </td>
      <td>
        {kinds.map((layer, k) => (
          <Fragment key={k}>
            {period > 1 && <span className="hint">each {LAYER_TYPES[layer.type].label}:</span>}
            <LayerFields
              layer={layer}
              title={period > 1 ? `each ${LAYER_TYPES[layer.type].label} of ${title}` : `each layer of ${title}`}
              disabled={locked}
              invalid={Boolean(error)}
              onChange={(patch) => onChange(k, patch)}
            />
          </Fragment>
        ))}
        {error && (
          <p className="error" role="status">
            {error}
          </p>
        )}
      </td>
      <td>{last?.outputShape ? formatShape(last.outputShape) : '?'}</td>
      <td className="num">{span.every((r) => r?.outputShape) ? formatCount(params) : '?'}</td>
      <td className="row-actions">
        <button type="button" disabled={locked} onClick={onInsert} aria-label={`Insert ${insertLabel} after ${title}`} title={`Insert ${insertLabel} after these layers`}>
          +
        </button>
        <button type="button" disabled={locked} onClick={onRemove} aria-label={`Remove ${title}`}>
          ✕
        </button>
      </td>
    </tr>
  );
}
