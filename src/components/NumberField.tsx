import { useEffect, useId, useState } from 'react';

interface Common {
  label: string;
  min?: number;
  max?: number;
  step?: number | 'any';
  disabled?: boolean;
  hint?: string;
  /** Shown under the field when the value is invalid. */
  error?: string;
  /** Shown under the field when the value is allowed but likely a mistake (it does not block). */
  warning?: string | null;
  placeholder?: string;
}

interface Props extends Common {
  value: number;
  /** A number, or NaN while the box holds something that is not one. */
  onChange(value: number): void;
}

interface OptionalProps extends Common {
  value: number | null;
  /** null when the box is empty ("none", "no limit"), NaN when it holds something else. */
  onChange(value: number | null): void;
}

/**
 * A labelled number input that lets the learner type freely (an empty box, "0.", "1e-3") and
 * only commits numbers; what they typed is never thrown away.
 */
export function NumberField({ value, onChange, ...rest }: Props) {
  return <NumberInput {...rest} value={value} onChange={(v) => onChange(v ?? Number.NaN)} />;
}

/** The same field where an empty box means "none" (null), e.g. no baseline, all steps. */
export function OptionalNumberField(props: OptionalProps) {
  return <NumberInput {...props} />;
}

function NumberInput({ label, value, onChange, min, max, step, disabled, hint, error, warning, placeholder }: OptionalProps) {
  const [text, setText] = useState(value === null ? '' : String(value));
  useEffect(() => {
    if (value === null) {
      if (text.trim() !== '' && Number.isFinite(Number(text))) setText('');
    } else if (!Number.isNaN(value) && Number(text) !== value) setText(String(value));
  }, [value]);
  // useId: two fields with one label (two "Monitor" fields) once shared an id.
  const id = `field-${useId().replace(/:/g, '')}`;
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
        placeholder={placeholder}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={[error && `${id}-error`, !error && warning && `${id}-warning`].filter(Boolean).join(' ') || undefined}
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
      {!error && warning && (
        <small className="warning" id={`${id}-warning`}>
          {warning}
        </small>
      )}
    </div>
  );
}
