import { useId, type ReactNode } from 'react';

interface Props<T extends string> {
  label: string;
  value: T;
  options: { value: T; label: string }[];
  onChange(value: T): void;
  disabled?: boolean;
  hint?: ReactNode;
  className?: string;
}

/**
 * A select with a real <label for>: its accessible name is exactly `label` (a wrapping label
 * would add the selected option's text to the name).
 */
export function SelectField<T extends string>({ label, value, options, onChange, disabled, hint, className }: Props<T>) {
  const id = `field-${useId().replace(/:/g, '')}`;
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as T)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint && <small className="hint">{hint}</small>}
    </div>
  );
}
