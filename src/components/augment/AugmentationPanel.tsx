import { useEffect, useRef } from 'react';
import { AUGMENTATIONS, DEFAULT_AUGMENTATION, validateAugmentation, type AugmentationKey } from '../../core/augment/settings';
import { useApp } from '../storeContext';
import { useLocked } from '../locked';
import { NumberField } from '../NumberField';
import { SelectField } from '../SelectField';
import { PixelCanvas } from '../PixelCanvas';
import './augment.css';

/** Augmentation settings (training batches only), and a preview of augmented training images. */
export function AugmentationPanel() {
  const stored = useApp((s) => s.config.augmentation);
  const a = stored ?? DEFAULT_AUGMENTATION;
  const datasetId = useApp((s) => s.config.datasetId);
  const seed = useApp((s) => s.config.seed);
  const classNames = useApp((s) => s.datasets[s.config.datasetId]?.classNames);
  const set = useApp((s) => s.setAugmentation);
  const locked = useLocked();
  const preview = useApp((s) => s.preview);
  const loading = useApp((s) => s.previewLoading);
  const error = useApp((s) => s.previewError);
  const requestPreview = useApp((s) => s.previewAugmentation);
  const issues = validateAugmentation(a);
  const msg = (k: AugmentationKey) => issues.find((i) => i.key === k)?.message;

  // Refresh the preview (debounced) whenever a setting changes, once the learner has asked for one.
  const shown = preview !== null;
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (!shown || issues.length > 0) return;
    const t = setTimeout(() => void requestPreview(false), 350);
    return () => clearTimeout(t);
  }, [stored, datasetId, seed]);

  const toggles = Object.values(AUGMENTATIONS).filter((i) => i.kind === 'toggle');
  const ranges = Object.values(AUGMENTATIONS).filter((i) => i.kind === 'range');
  return (
    <section className="panel" aria-labelledby="augment-heading">
      <h2 id="augment-heading">Augmentation</h2>
      <p className="hint">Random changes to training batches only; validation and test images are never changed.</p>
      <div className="grid-fields">
        <NumberField
          label="Augmented fraction"
          value={a.fraction}
          min={0}
          max={1}
          step={0.1}
          disabled={locked}
          error={msg('fraction')}
          hint="share of each batch that is augmented (chapter: 0.5)"
          onChange={(v) => set({ fraction: v })}
        />
        {toggles.map((t) => (
          <label key={t.id} className="check" title={t.description}>
            <input type="checkbox" checked={a[t.id] as boolean} disabled={locked} onChange={(e) => set({ [t.id]: e.target.checked })} />
            {t.label}
          </label>
        ))}
        {ranges.map((r) => (
          <NumberField
            key={r.id}
            label={r.label}
            value={a[r.id] as number}
            min={0}
            max={r.max}
            step={r.step}
            disabled={locked}
            error={msg(r.id)}
            hint={r.description}
            onChange={(v) => set({ [r.id]: v })}
          />
        ))}
        <SelectField<'roll' | 'pad'>
          label="Shift mode"
          value={a.shiftMode}
          disabled={locked}
          options={[
            { value: 'pad', label: 'Crop and pad with black' },
            { value: 'roll', label: 'Roll (wrap around)' },
          ]}
          onChange={(shiftMode) => set({ shiftMode })}
        />
      </div>
      <button type="button" disabled={issues.length > 0 || loading} onClick={() => void requestPreview(true)}>
        Preview augmentation
      </button>
      {error && <p className="error" role="alert">{error}</p>}
      {preview && (
        <figure className="augment-preview" aria-label="Augmentation preview" aria-busy={loading}>
          {preview.items.map((item, k) => (
            <div key={k} className="augment-row">
              <div className="augment-cell original">
                <PixelCanvas pixels={item.original} shape={preview.shape} label={`Original ${classNames?.[item.label] ?? item.label}`} className="augment-image" />
                <small>original · {classNames?.[item.label] ?? item.label}</small>
              </div>
              {item.versions.map((v, i) => (
                <div key={i} className="augment-cell">
                  <PixelCanvas pixels={v.pixels} shape={preview.shape} label={`Augmented: ${v.params}`} className="augment-image" />
                  <small>{v.params}</small>
                </div>
              ))}
            </div>
          ))}
          <figcaption className="hint">Every version here is augmented; in training only the augmented fraction of each batch is.</figcaption>
        </figure>
      )}
    </section>
  );
}
