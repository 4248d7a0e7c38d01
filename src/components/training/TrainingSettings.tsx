import { OPTIMIZER_CATALOG, OPTIMIZER_IDS, type OptimizerId } from '../../core/optimizers/catalog';
import { LOSS_CATALOG, type LossId } from '../../core/training/losses-catalog';
import type { BackendChoice, ConfigField, SettingIssue } from '../../core/training/config';
import { learningRateWarning } from '../../core/training/config';
import { useApp } from '../storeContext';
import { useLocked } from '../locked';
import { NumberField } from '../NumberField';
import { SelectField } from '../SelectField';
import { useSettingIssues } from './useProblems';
import { OptimizerParams } from './OptimizerParams';
import { EpochOptions } from './EpochOptions';
import { trainingCount, validationNoiseNote } from '../../core/training/epochSettings';
import { ScheduleSettings } from './ScheduleSettings';
import { EarlyStoppingSettings } from './EarlyStoppingSettings';
import { formatCount } from '../../core/format';

const BACKEND_LABELS: Record<BackendChoice, string> = {
  auto: 'Automatic (the fastest measured on this device)',
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WebAssembly (CPU)',
  cpu: 'Plain JavaScript (CPU)',
};

/** Hyperparameters: epochs, batch, learning rate, optimizer, loss, validation, seed, backend. */
export function TrainingSettings() {
  const c = useApp((s) => s.config);
  const setConfig = useApp((s) => s.setConfig);
  const locked = useLocked();
  const issues = useSettingIssues();
  const issueFor = (field: ConfigField) => issues.find((i) => i.field === field);
  const msg = (field: ConfigField) => issueFor(field)?.message;
  const lossIssue = issueFor('loss');

  return (
    <section className="panel" aria-labelledby="train-heading">
      <h2 id="train-heading">3. Training</h2>
      <div className="grid-fields">
        <NumberField label="Epochs" value={c.epochs} min={1} max={1000} step={1} disabled={locked} error={msg('epochs')} onChange={(v) => setConfig({ epochs: v })} />
        <NumberField
          label="Batch size"
          value={c.batchSize}
          min={1}
          step={1}
          disabled={locked}
          error={msg('batchSize')}
          hint={batchRegime(c.batchSize, trainingCount(c))}
          onChange={(v) => setConfig({ batchSize: v })}
        />
        <NumberField
          label="Learning rate"
          value={c.learningRate}
          min={0}
          step="any"
          disabled={locked}
          error={msg('learningRate')}
          warning={learningRateWarning(c.learningRate, c.optimizer)}
          hint="useful range 0.00001 – 0.1"
          onChange={(v) => setConfig({ learningRate: v })}
        />
        <SelectField<OptimizerId>
          label="Optimizer"
          value={c.optimizer}
          disabled={locked}
          options={OPTIMIZER_IDS.map((id) => ({ value: id, label: OPTIMIZER_CATALOG[id].label }))}
          hint={OPTIMIZER_CATALOG[c.optimizer].description}
          onChange={(optimizer) => setConfig({ optimizer, optimizerParams: {} })}
        />
        <OptimizerParams />
        <SelectField<LossId>
          label="Loss"
          className="wide"
          value={c.loss}
          disabled={locked}
          options={Object.entries(LOSS_CATALOG).map(([id, l]) => ({ value: id as LossId, label: l.label }))}
          hint={LOSS_CATALOG[c.loss].description}
          onChange={(loss) => setConfig({ loss })}
        />
        <label className="check wide">
          <input
            type="checkbox"
            checked={c.oneHotLabels}
            disabled={locked}
            onChange={(e) => setConfig({ oneHotLabels: e.target.checked })}
          />
          One-hot encode the labels (3 → [0,0,0,1,0,…])
        </label>
        {lossIssue && <IssueBox issue={lossIssue} disabled={locked} onFix={setConfig} />}
        <NumberField
          label="Validation split"
          value={c.validationSplit}
          min={0}
          max={0.5}
          step={0.05}
          disabled={locked}
          error={msg('validationSplit')}
          warning={validationNoiseNote(c)}
          hint={c.crossValidation ? 'not used: cross-validation holds out folds instead' : 'held out, stratified and shuffled'}
          onChange={(v) => setConfig({ validationSplit: v })}
        />
        <EpochOptions />
        <NumberField label="Seed" value={c.seed} min={0} step={1} disabled={locked} error={msg('seed')} hint="same seed, same curves" onChange={(v) => setConfig({ seed: v })} />
        <SelectField<BackendChoice>
          label="Backend"
          className="wide"
          value={c.backend}
          disabled={locked}
          options={Object.entries(BACKEND_LABELS).map(([id, label]) => ({ value: id as BackendChoice, label }))}
          onChange={(backend) => setConfig({ backend })}
        />
        <ScheduleSettings />
      </div>
      <EarlyStoppingSettings />
      {msg('trainingExamples') && <p className="error">{msg('trainingExamples')}</p>}
    </section>
  );
}

function batchRegime(batch: number, trainCount: number): string {
  if (!(batch >= 1)) return '';
  if (batch === 1) return 'stochastic gradient descent (one example per step)';
  if (batch >= trainCount) return 'batch gradient descent (the whole set per step)';
  return `mini-batch: ${formatCount(Math.ceil(trainCount / batch))} batches per epoch`;
}

function IssueBox({ issue, disabled, onFix }: { issue: SettingIssue; disabled: boolean; onFix(patch: object): void }) {
  return (
    <div className="error-box wide" role="alert" aria-label="Loss and label mismatch">
      <p>{issue.message}</p>
      {issue.fixes?.map((f) => (
        <button key={f.label} type="button" disabled={disabled} onClick={() => onFix(f.patch)}>
          {f.label}
        </button>
      ))}
    </div>
  );
}
