import { useId } from 'react';
import {
  earlyStoppingOf,
  MONITOR_IDS,
  MONITOR_LABELS,
  type EarlyStoppingSettings as Settings,
} from '../../core/callbacks/settings';
import type { MonitorId, MonitorMode } from '../../core/callbacks/monitor';
import { useApp } from '../storeContext';
import { useLocked } from '../locked';
import { NumberField, OptionalNumberField } from '../NumberField';
import { SelectField } from '../SelectField';
import { useSettingIssues } from './useProblems';
import './callbacks.css';

const MODE_LABELS: Record<MonitorMode, string> = {
  auto: 'Auto',
  min: 'Min',
  max: 'Max',
};
const MODE_HINTS: Record<MonitorMode, string> = {
  auto: 'losses should fall, accuracies rise',
  min: 'lower is better',
  max: 'higher is better',
};
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The "Callbacks" group of the training settings: early stopping and its options. */
export function EarlyStoppingSettings() {
  const es = earlyStoppingOf(useApp((s) => s.config.earlyStopping));
  const setConfig = useApp((s) => s.setConfig);
  const locked = useLocked();
  const problems = useSettingIssues().filter((i) => i.field === 'earlyStopping');
  const headingId = useId();
  const set = (patch: Partial<Settings>) => setConfig({ earlyStopping: { ...es, ...patch } });

  return (
    <fieldset className="callbacks wide" aria-labelledby={headingId}>
      <legend id={headingId}>Callbacks</legend>
      <label className="check">
        <input type="checkbox" checked={es.enabled} disabled={locked} onChange={(e) => set({ enabled: e.target.checked })} />
        Early stopping: stop when the watched metric stops improving
      </label>
      {es.enabled && (
        <div className="grid-fields">
          <SelectField<MonitorId>
            label="Monitor"
            value={es.monitor}
            disabled={locked}
            options={MONITOR_IDS.map((id) => ({ value: id, label: capitalize(MONITOR_LABELS[id]) }))}
            hint={`Keras name: ${es.monitor}`}
            onChange={(monitor) => set({ monitor })}
          />
          <SelectField<MonitorMode>
            label="Mode"
            value={es.mode}
            disabled={locked}
            options={(Object.keys(MODE_LABELS) as MonitorMode[]).map((m) => ({ value: m, label: MODE_LABELS[m] }))}
            hint={MODE_HINTS[es.mode]}
            onChange={(mode) => set({ mode })}
          />
          <NumberField
            label="Patience"
            value={es.patience}
            min={0}
            max={1000}
            step={1}
            disabled={locked}
            hint="epochs without improvement before stopping"
            onChange={(patience) => set({ patience })}
          />
          <NumberField
            label="Min delta"
            value={es.minDelta}
            min={0}
            step="any"
            disabled={locked}
            hint="smallest change that counts as better"
            onChange={(minDelta) => set({ minDelta })}
          />
          <OptionalNumberField
            label="Baseline"
            value={es.baseline}
            step="any"
            disabled={locked}
            placeholder="none"
            hint="empty = none; a value to beat first"
            onChange={(baseline) => set({ baseline })}
          />
          <label className="check wide">
            <input
              type="checkbox"
              checked={es.restoreBestWeights}
              disabled={locked}
              onChange={(e) => set({ restoreBestWeights: e.target.checked })}
            />
            Restore best weights when the run ends (the model becomes the best epoch's)
          </label>
        </div>
      )}
      {problems.map((p) => (
        <p key={p.message} className="error">
          {p.message}
        </p>
      ))}
    </fieldset>
  );
}
