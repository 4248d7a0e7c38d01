import { useEffect, useState } from 'react';
import type { ConfigField } from '../../core/training/config';
import { batchesAvailable, MAX_FOLDS } from '../../core/training/epochSettings';
import { useApp } from '../storeContext';
import { NumberField } from '../NumberField';
import { isBusy } from '../../state/selectors';
import { useSettingIssues } from './useProblems';

/** Steps per epoch and cross-validation. */
export function EpochOptions() {
  const c = useApp((s) => s.config);
  const setConfig = useApp((s) => s.setConfig);
  const locked = useApp((s) => isBusy(s.status));
  const issues = useSettingIssues();
  const issueFor = (field: ConfigField) => issues.find((i) => i.field === field);
  const stepsIssue = issueFor('stepsPerEpoch');
  const available = batchesAvailable(c);
  return (
    <>
      <OptionalNumberField
        label="Steps per epoch"
        value={c.stepsPerEpoch ?? null}
        disabled={locked}
        placeholder={available > 0 ? `all ${available.toLocaleString('en-US')}` : 'all'}
        hint="train on only this many random batches per epoch (empty = all): shorter epochs, more frequent validation"
        error={stepsIssue?.message}
        onChange={(stepsPerEpoch) => setConfig({ stepsPerEpoch })}
      />
      {stepsIssue?.fixes && (
        <div className="wide" style={{ marginBottom: '0.6rem' }}>
          {stepsIssue.fixes.map((f) => (
            <button key={f.label} type="button" disabled={locked} onClick={() => setConfig(f.patch)}>
              {f.label}
            </button>
          ))}
        </div>
      )}
      <div className="wide">
        <label className="check">
          <input
            type="checkbox"
            checked={c.crossValidation ?? false}
            disabled={locked}
            onChange={(e) => setConfig({ crossValidation: e.target.checked })}
          />
          Cross-validation
        </label>
        <small className="hint">
          Pools the validation split back in, cuts the examples into folds, and holds out a different random fold for validation
          each epoch, so every example is validated on in turn.
        </small>
      </div>
      {c.crossValidation && (
        <NumberField
          label="Folds"
          value={c.folds}
          min={2}
          max={MAX_FOLDS}
          step={1}
          disabled={locked}
          hint={`each epoch holds out 1 of ${c.folds >= 2 ? c.folds : 'k'} folds`}
          error={issueFor('folds')?.message}
          onChange={(folds) => setConfig({ folds })}
        />
      )}
    </>
  );
}

interface OptionalProps {
  label: string;
  value: number | null;
  onChange(value: number | null): void;
  placeholder?: string;
  disabled?: boolean;
  hint?: string;
  error?: string;
}

/** A number field where empty means "no limit" (null); what the learner typed is kept. */
function OptionalNumberField({ label, value, onChange, placeholder, disabled, hint, error }: OptionalProps) {
  const [text, setText] = useState(value === null ? '' : String(value));
  useEffect(() => {
    if (value === null) {
      if (text.trim() !== '' && Number.isFinite(Number(text))) setText('');
    } else if (!Number.isNaN(value) && Number(text) !== value) setText(String(value));
  }, [value]);
  const id = `field-${label.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={1}
        step={1}
        value={text}
        placeholder={placeholder}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          const n = e.target.valueAsNumber;
          onChange(e.target.value.trim() === '' ? null : Number.isFinite(n) ? n : Number.NaN);
        }}
      />
      {hint && <small className="hint">{hint}</small>}
      {error && (
        <small className="error" id={`${id}-error`}>
          {error}
        </small>
      )}
    </div>
  );
}
