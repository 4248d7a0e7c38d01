import { useEffect, useState } from 'react';

interface Props {
  label: string;
  value: number;
  onChange(value: number): void;
  min?: number;
  max?: number;
  step?: number | 'any';
  disabled?: boolean;
  hint?: string;
  /** Shown under the field when the value is invalid. */
  error?: string;
}

/**
 * A labelled number input that lets the learner type freely (an empty box, "0.", "1e-3") and
 * only commits numbers; what they typed is never thrown away.
 */
export function NumberField({ label, value, onChange, min, max, step, disabled, hint, error }: Props) {
  const [text, setText] = useState(String(value));
  useEffect(() => {
    if (!Number.isNaN(value) && Number(text) !== value) setText(String(value));
  }, [value]);
  const id = `field-${label.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        value={text}
        min={min}
        max={max}
        step={step ?? 'any'}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          const n = e.target.valueAsNumber;
          if (e.target.value.trim() !== '' && Number.isFinite(n)) onChange(n);
          else onChange(Number.NaN);
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
