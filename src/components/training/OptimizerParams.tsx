import { OPTIMIZER_CATALOG, resolveHyperparameters } from '../../core/optimizers/catalog';
import { optimizerParamProblems } from '../../core/training/epochSettings';
import { useApp } from '../storeContext';
import { useLocked } from '../locked';
import { NumberField } from '../NumberField';

/** The chosen optimizer's hyperparameters besides the learning rate, as labelled number fields. */
export function OptimizerParams() {
  const optimizer = useApp((s) => s.config.optimizer);
  const overrides = useApp((s) => s.config.optimizerParams);
  const setConfig = useApp((s) => s.setConfig);
  const locked = useLocked();
  const info = OPTIMIZER_CATALOG[optimizer];
  if (!info || info.params.length === 0) return null;
  const values = { ...resolveHyperparameters(optimizer, overrides), ...overrides };
  const problems = optimizerParamProblems({ optimizer, optimizerParams: overrides ?? {} });
  return (
    <>
      {info.params.map((p) => (
        <NumberField
          key={`${optimizer}-${p.key}`}
          label={p.label}
          value={values[p.key]!}
          min={p.min}
          max={p.max}
          step="any"
          disabled={locked}
          hint={p.hint}
          error={problems[p.key]}
          onChange={(v) => setConfig({ optimizerParams: { ...overrides, [p.key]: v } })}
        />
      ))}
    </>
  );
}
