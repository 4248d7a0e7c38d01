import { useMemo, useRef } from 'react';
import {
  MONITOR_IDS,
  SCHEDULES,
  SCHEDULE_IDS,
  defaultParams,
  defaultSchedule,
  isPlanned,
  resolveParams,
  scheduleIssues,
  type ScheduleConfig,
  type ScheduleId,
  type StepPer,
} from '../../core/schedules/schedules';
import { plannedBatchesPerEpoch, schedulePreview } from '../../core/schedules/preview';
import { MONITOR_LABELS, type MonitorId } from '../../core/callbacks/monitor';
import { useApp } from '../storeContext';
import { useLocked } from '../locked';
import { NumberField } from '../NumberField';
import { SelectField } from '../SelectField';
import { SchedulePreviewChart } from '../lazyCharts';
import './schedule.css';

const STEP_PER_LABELS: Record<StepPer, string> = { batch: 'Every batch', epoch: 'Every epoch' };

/**
 * The learning-rate schedule: which one, its parameters, when it steps, what it does, and a
 * preview of the rate over the planned run. Values the learner typed stay as typed, also when
 * they switch to another schedule and back.
 */
export function ScheduleSettings() {
  const schedule = useApp((s) => s.config.schedule) ?? defaultSchedule();
  const learningRate = useApp((s) => s.config.learningRate);
  const validationSplit = useApp((s) => s.config.validationSplit);
  const epochs = useApp((s) => s.config.epochs);
  const trainingExamples = useApp((s) => s.config.trainingExamples);
  const batchSize = useApp((s) => s.config.batchSize);
  const setConfig = useApp((s) => s.setConfig);
  const locked = useLocked();
  // What was set for each schedule this session, so switching back does not lose it.
  const remembered = useRef<Partial<Record<ScheduleId, Record<string, number>>>>({});

  const info = SCHEDULES[schedule.id] ?? SCHEDULES.constant;
  const params = resolveParams(schedule);
  const issues = useMemo(
    () => scheduleIssues(schedule, { learningRate, validationSplit }),
    [schedule, learningRate, validationSplit],
  );
  const batchesPerEpoch = plannedBatchesPerEpoch({ trainingExamples, validationSplit, batchSize });
  const preview = useMemo(
    () => schedulePreview({ schedule, learningRate, epochs }, batchesPerEpoch),
    [schedule, learningRate, epochs, batchesPerEpoch],
  );

  const update = (patch: Partial<ScheduleConfig>) => setConfig({ schedule: { ...schedule, ...patch } });
  const setParam = (key: string, value: number) => update({ params: { ...params, [key]: value } });
  const choose = (id: ScheduleId) => {
    remembered.current[schedule.id] = params;
    update({ id, params: remembered.current[id] ?? defaultParams(id) });
  };
  const issueFor = (key: string) => issues.find((i) => i.param === key)?.message;
  const general = issues.filter((i) => !i.param);

  return (
    <div className="schedule wide" role="group" aria-label="Learning-rate schedule settings">
      <div className="schedule-fields">
        <SelectField<ScheduleId>
          label="Learning-rate schedule"
          value={info.id}
          disabled={locked}
          options={SCHEDULE_IDS.map((id) => ({ value: id, label: SCHEDULES[id].label }))}
          onChange={choose}
        />
        <p className="hint schedule-explanation">{info.description}</p>
        {isPlanned(info.id) && info.id !== 'constant' && (
          <SelectField<StepPer>
            label="Step per"
            value={schedule.stepPer}
            disabled={locked}
            options={(['batch', 'epoch'] as const).map((v) => ({ value: v, label: STEP_PER_LABELS[v] }))}
            hint={schedule.stepPer === 'batch' ? 't counts batches (updates)' : 't counts epochs'}
            onChange={(stepPer) => update({ stepPer })}
          />
        )}
        {info.id === 'plateau' && (
          <SelectField<MonitorId>
            label="Watch"
            value={schedule.monitor ?? 'val_loss'}
            disabled={locked}
            options={MONITOR_IDS.map((id) => ({ value: id, label: `${MONITOR_LABELS[id]} (${id})` }))}
            hint="checked at the end of every epoch"
            onChange={(monitor) => update({ monitor })}
          />
        )}
        {issueFor('monitor') && (
          <div className="error-box" role="alert">
            <p>{issueFor('monitor')}</p>
            <button type="button" disabled={locked} onClick={() => update({ monitor: 'loss' })}>
              Watch the training loss
            </button>
          </div>
        )}
        {info.params.map((p) =>
          p.toggle ? (
            <label key={p.key} className="check">
              <input
                type="checkbox"
                checked={params[p.key] === 1}
                disabled={locked}
                onChange={(e) => setParam(p.key, e.target.checked ? 1 : 0)}
              />
              {p.label}
            </label>
          ) : (
            <NumberField
              key={p.key}
              label={p.label}
              value={params[p.key]!}
              min={p.min}
              max={p.max}
              step={p.integer ? 1 : 'any'}
              disabled={locked}
              hint={p.hint}
              error={issueFor(p.key)}
              onChange={(v) => setParam(p.key, v)}
            />
          ),
        )}
        {general.map((i) => (
          <p key={i.message} className="error" role="alert">
            {i.message}
          </p>
        ))}
      </div>
      <SchedulePreviewChart preview={preview} epochs={epochs} batchesPerEpoch={batchesPerEpoch} />
    </div>
  );
}
