import { memo, useContext, useDeferredValue, useEffect, useMemo, useRef } from 'react';
import { StoreContext, useApp } from '../storeContext';
import { useThrottledValue } from '../charts/useThrottledValue';
import { layersReading, formatSize } from '../../core/inspect/reading';
import type { LayerStatsSample } from '../../core/inspect/stats';
import { drawHeatmap, drawLines, exponentRange, layoutFor, legendGradient } from './heatmap';
import { powerOfTen } from '../../core/inspect/reading';
import type { LayersView } from '../../state/layersSlice';
import { NumberField } from '../NumberField';
import { useLocked } from '../locked';
import { DEFAULT_INSPECT_EVERY, inspectEveryProblem } from '../../core/inspect/settings';
import { useState } from 'react';
import './inspect.css';

/** How often the chart is redrawn while a run goes on, at most (ms). */
const REDRAW_MS = 500;

/**
 * The Layers chart: the gradient RMS of every weight layer over the run, as a heatmap (one
 * row per layer, colour = log10) or lines, with a sentence reading it. A canvas has no rows,
 * so a visually hidden list names each layer with its latest numbers.
 */
export function LayersPanel() {
  // The only work in the store's synchronous flush: this hook. Everything else renders from
  // the throttled version, as a transition (see useThrottledValue).
  const version = useThrottledValue(useApp((s) => s.layerVersion), REDRAW_MS);
  // A new list (a fresh run) follows at low priority, outside the flush; appends come with `version`.
  const samples = useDeferredValue(useApp((s) => s.layerSamples));
  return <LayersPanelBody version={version} samples={samples} />;
}

const LayersPanelBody = memo(function LayersPanelBody({ version, samples }: { version: number; samples: LayerStatsSample[] }) {
  const view = useApp((s) => s.layersView);
  const setView = useApp((s) => s.setLayersView);
  const store = useContext(StoreContext)!;
  // Read here, not selected: the names change with the samples, which `version` announces.
  const names = samples.length > 0 ? store.getState().layerNames : [];
  const latest = samples.at(-1);
  const reading = useMemo(
    () => (latest ? layersReading({ names, gradRms: latest.gradRms, actZero: latest.actZero }) : null),
    [latest, names],
  );
  return (
    <section className="panel layers-panel" aria-label="Layer gradients">
      <h2>Layers: gradient flow</h2>
      <p className="hint">
        How large each weight layer&apos;s gradient is (its root mean square), measured every few batches. Dark: tiny
        gradients, that layer barely learns; yellow: large ones.
      </p>
      <div className="layers-controls">
        <SamplingField />
        <fieldset className="layers-view">
          <legend className="sr-only">Layers chart view</legend>
          {(['heatmap', 'lines'] as LayersView[]).map((v) => (
            <label key={v}>
              <input type="radio" name="layers-view" checked={view === v} onChange={() => setView(v)} />
              {v === 'heatmap' ? 'Heatmap' : 'Lines'}
            </label>
          ))}
        </fieldset>
      </div>
      {names.length === 0 ? (
        <p className="hint">Train to see the gradients flow through the layers.</p>
      ) : (
        <>
          <LayersCanvas samples={samples} names={names} view={view} version={version} />
          {reading && (
            <p className="layers-reading" aria-live="polite">
              {reading}
            </p>
          )}
          <LayerList names={names} latest={latest} version={version} />
        </>
      )}
    </section>
  );
});

const LayersCanvas = memo(function LayersCanvas({
  samples,
  names,
  view,
  version,
}: {
  samples: LayerStatsSample[];
  names: string[];
  view: LayersView;
  version: number;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const layout = layoutFor(names.length, view);
  const range = exponentRange(samples);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const ratio = Math.min(2, window.devicePixelRatio || 1);
    // Resizing reallocates the canvas: only when the size changes.
    if (canvas.width !== layout.width * ratio || canvas.height !== layout.height * ratio) {
      canvas.width = layout.width * ratio;
      canvas.height = layout.height * ratio;
    }
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    (view === 'heatmap' ? drawHeatmap : drawLines)(ctx, samples, names, range, layout);
  }, [version, view, names, samples, layout.width, layout.height, range[0], range[1]]);
  const label =
    view === 'heatmap'
      ? `Gradient heatmap: ${names.length} layers, first layer at the top, ${samples.length} samples`
      : `Gradient lines: ${names.length} layers, ${samples.length} samples`;
  return (
    <div className="layers-chart">
      <canvas ref={ref} role="img" aria-label={label} style={{ aspectRatio: `${layout.width} / ${layout.height}` }} />
      <div className="layers-legend" aria-hidden="true">
        <span>{powerOfTen(range[0])}</span>
        <span className="layers-legend-bar" style={{ background: legendGradient() }} />
        <span>{powerOfTen(range[1])}</span>
        <span className="layers-legend-title">
          {view === 'heatmap' ? 'gradient RMS (colour)' : 'line colour: first layer (dark) → output (yellow)'}
        </span>
      </div>
    </div>
  );
});

const pct = (v: number) => `${Math.round(v * 100)}%`;

/** One list item per layer with its latest statistics, for screen readers and tests. */
const LayerList = memo(function LayerList({
  names,
  latest,
}: {
  names: string[];
  latest: LayerStatsSample | undefined;
  version: number;
}) {
  return (
    <ol className="sr-only" aria-label="Layers, input to output">
      {names.map((name, i) => (
        <li key={name}>
          {latest
            ? `${name}: gradient RMS ${formatSize(latest.gradRms[i] ?? NaN)}, weights RMS ${formatSize(latest.weightRms[i] ?? NaN)}, ` +
              `outputs mean ${formatSize(latest.actMean[i] ?? NaN)}, std ${formatSize(latest.actStd[i] ?? NaN)}, ${pct(latest.actZero[i] ?? 0)} zero`
            : name}
        </li>
      ))}
    </ol>
  );
});

/** How often the layers are measured (config.inspectEvery), locked while a run goes on. */
function SamplingField() {
  const every = useApp((s) => s.config.inspectEvery ?? DEFAULT_INSPECT_EVERY);
  const setConfig = useApp((s) => s.setConfig);
  const locked = useLocked();
  const [typed, setTyped] = useState<number | null>(null);
  const shown = typed ?? every;
  const problem = Number.isNaN(shown) ? inspectEveryProblem(Number.NaN) : inspectEveryProblem(shown);
  return (
    <NumberField
      label="Measure layers every (batches)"
      value={shown}
      min={0}
      max={1000}
      step={1}
      disabled={locked}
      error={problem ?? undefined}
      hint="0 turns it off. Each measured batch costs a little extra time."
      onChange={(v) => {
        setTyped(v);
        if (!inspectEveryProblem(v)) setConfig({ inspectEvery: v });
      }}
    />
  );
}
