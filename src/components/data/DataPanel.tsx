import { BUILTIN_DATASETS, SYNTHETIC_DATASETS } from '../../core/data/builtin';
import { PREPROCESSING, type PreprocessingId } from '../../core/data/preprocess';
import { useApp } from '../storeContext';
import { useLocked } from '../locked';
import { SampleGrid } from './SampleGrid';
import { NumberField } from '../NumberField';
import { SelectField } from '../SelectField';
import { ClassCounts, ImportPanel } from './ImportPanel';
import { formatCount } from '../../core/format';

/** Dataset choice, training-subset size, preprocessing, and a grid of sample images. */
export function DataPanel() {
  const datasetId = useApp((s) => s.config.datasetId);
  const trainingExamples = useApp((s) => s.config.trainingExamples);
  const preprocessing = useApp((s) => s.config.preprocessing);
  const info = useApp((s) => s.datasets[s.config.datasetId]);
  const loading = useApp((s) => s.datasetLoading);
  const error = useApp((s) => s.datasetError);
  const selectDataset = useApp((s) => s.selectDataset);
  const setConfig = useApp((s) => s.setConfig);
  const locked = useLocked();
  const total = info?.trainCount ?? 60000;
  const imported = useApp((s) => s.importedDatasets);

  return (
    <section className="panel" aria-labelledby="data-heading">
      <h2 id="data-heading">1. Data</h2>
      <SelectField
        label="Dataset"
        value={datasetId}
        disabled={locked}
        options={[
          ...[...Object.values(BUILTIN_DATASETS), ...Object.values(SYNTHETIC_DATASETS)].map((d) => ({ value: d.id, label: d.name })),
          ...imported.map((d) => ({ value: d.id, label: d.name })),
        ]}
        onChange={(id) => void selectDataset(id)}
      />
      <ImportPanel />
      <NumberField
        label="Training examples"
        value={trainingExamples}
        min={10}
        max={total}
        step={1000}
        disabled={locked}
        hint={`of ${formatCount(total)}; a stratified subset keeps every class's share`}
        onChange={(v) => setConfig({ trainingExamples: v })}
      />
      <SelectField
        label="Preprocessing"
        value={preprocessing}
        disabled={locked}
        options={Object.entries(PREPROCESSING).map(([id, p]) => ({ value: id as PreprocessingId, label: p.label }))}
        hint={PREPROCESSING[preprocessing].description}
        onChange={(v) => setConfig({ preprocessing: v })}
      />
      {error && <p className="error" role="alert">{error}</p>}
      {loading === datasetId && !info && <p className="hint">Loading {datasetId}…</p>}
      {info && (
        <>
          <p className="hint">
            {formatCount(info.trainCount)} training and {formatCount(info.testCount)} test images,{' '}
            {info.shape.join('×')} pixels, {info.classNames.length} classes.
          </p>
          <SampleGrid info={info} />
          <ClassCounts />
        </>
      )}
    </section>
  );
}
