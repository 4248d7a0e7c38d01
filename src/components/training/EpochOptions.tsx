import type { ConfigField } from '../../core/training/config';
import { batchesAvailable, MAX_FOLDS } from '../../core/training/epochSettings';
import { useApp } from '../storeContext';
import { useLocked } from '../locked';
import { NumberField, OptionalNumberField } from '../NumberField';
import { useSettingIssues } from './useProblems';
import { formatCount } from '../../core/format';

/** Steps per epoch and cross-validation. */
export function EpochOptions() {
  const c = useApp((s) => s.config);
  const setConfig = useApp((s) => s.setConfig);
  const locked = useLocked();
  const issues = useSettingIssues();
  const issueFor = (field: ConfigField) => issues.find((i) => i.field === field);
  const stepsIssue = issueFor('stepsPerEpoch');
  const available = batchesAvailable(c);
  return (
    <>
      <OptionalNumberField
        label="Steps per epoch"
        value={c.stepsPerEpoch ?? null}
        min={1}
        step={1}
        disabled={locked}
        placeholder={available > 0 ? `all ${formatCount(available)}` : 'all'}
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
