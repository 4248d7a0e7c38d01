import { memo, useContext, useDeferredValue, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, PointerEvent } from 'react';
import { StoreContext, useApp } from '../storeContext';
import { useThrottledValue } from '../charts/useThrottledValue';
import { BATCH_NORM, layersReading, formatSize, powerOfTen } from '../../core/inspect/reading';
import type { LayerStatsSample } from '../../core/inspect/stats';
import {
  drawHeatmap,
  drawLines,
  exponentRange,
  heatmapPointAt,
  layoutFor,
  legendGradient,
  linesPointAt,
  movePoint,
  pointBox,
  pointReadout,
  sampleIndexOf,
  type ChartPoint,
} from './heatmap';
import type { LayersView } from '../../state/layersSlice';
import { NumberField } from '../NumberField';
import { useLocked } from '../locked';
import { DEFAULT_INSPECT_EVERY, inspectEveryProblem } from '../../core/inspect/settings';
import './inspect.css';

/** How often the chart is redrawn while a run goes on, at most (ms). */
const REDRAW_MS = 500;

/**
 * The Layers chart: the gradient RMS of every weight layer (and BatchNormalization layer, of
 * its scale gamma) over the run, as a heatmap (one row per layer, colour = log10) or lines,
 * with a sentence reading it. A canvas has no rows, so a visually hidden list names each
 * layer with its latest numbers, and pointing at the chart (or the arrow keys on it) reads
 * out one layer at one sample.
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
  const kinds = samples.length > 0 ? store.getState().layerKinds : [];
  const latest = samples.at(-1);
  const reading = useMemo(
    () => (latest ? layersReading({ names, kinds, gradRms: latest.gradRms, actZero: latest.actZero }) : null),
    [latest, names, kinds],
  );
  return (
    <section className="panel layers-panel" aria-label="Layer gradients">
      <h2>Layers: gradient flow</h2>
      <p className="hint">
        How large each weight layer&apos;s gradient is (its root mean square; for a BatchNormalization layer, the
        gradient of its scale, gamma), measured every few batches. Dark: tiny gradients, that layer barely learns;
        yellow: large ones.
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
          <LayersCanvas samples={samples} names={names} kinds={kinds} view={view} version={version} />
          {reading && (
            <p className="layers-reading" aria-live="polite">
              {reading}
            </p>
          )}
          <LayerList names={names} kinds={kinds} latest={latest} version={version} />
        </>
      )}
    </section>
  );
});

/** The read-out's point: a layer's row and the step of its sample (kept while samples thin). */
interface ReadoutPoint {
  row: number;
  step: number;
  /** Its text, made when the point moved (never on a redraw: the live region speaks on moves only). */
  lines: string[];
  /** Moved by the pointer (leaving the plot hides it) or the keys (leaving focus does). */
  by: 'pointer' | 'key';
}

const LayersCanvas = memo(function LayersCanvas({
  samples,
  names,
  kinds,
  view,
  version,
}: {
  samples: LayerStatsSample[];
  names: string[];
  kinds: string[];
  view: LayersView;
  version: number;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const hintId = useId();
  const layout = layoutFor(names.length, view);
  // What is drawn: the samples as of this version. The store appends to and thins its array
  // in place between redraws (`version` announces it), so the read-out maps the pointer on
  // this copy, the picture seen.
  const shown = useMemo(() => samples.slice(), [samples, version]);
  const range = useMemo(() => exponentRange(shown), [shown]);
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
    (view === 'heatmap' ? drawHeatmap : drawLines)(ctx, shown, names, range, layout);
  }, [view, names, shown, layout.width, layout.height, range]);

  // The read-out lives beside the canvas: moving it re-renders this, never redraws the chart.
  const [point, setPoint] = useState<ReadoutPoint | null>(null);
  // A new run (new rows): nothing to read out yet.
  useEffect(() => setPoint(null), [names]);
  const rows = names.length;
  const moveTo = (p: ChartPoint | null, by: ReadoutPoint['by']) => {
    const s = p && shown[p.sample];
    if (!p || !s) return setPoint(null);
    // The same cell again (most pointer moves) keeps the state: no render, nothing announced.
    setPoint((old) =>
      old && old.row === p.row && old.step === s.step && old.by === by
        ? old
        : { row: p.row, step: s.step, by, lines: pointReadout(names[p.row] ?? `layer ${p.row + 1}`, kinds[p.row], s, p.row) },
    );
  };
  const onPointer = (e: PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return;
    // The canvas is scaled by CSS: back to layout units.
    const x = ((e.clientX - r.left) * layout.width) / r.width;
    const y = ((e.clientY - r.top) * layout.height) / r.height;
    const p = view === 'heatmap' ? heatmapPointAt(x, y, rows, shown.length, layout) : linesPointAt(x, y, shown, rows, range, layout);
    if (p) moveTo(p, 'pointer');
    else if (point?.by === 'pointer') setPoint(null);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLCanvasElement>) => {
    if (e.key === 'Escape') return setPoint(null);
    const from = point ? { row: point.row, sample: sampleIndexOf(shown, point.step) } : null;
    const next = movePoint(from, e.key, rows, shown.length);
    if (!next) return;
    e.preventDefault(); // the arrows would scroll the page
    moveTo(next, 'key');
  };
  const at = point ? sampleIndexOf(shown, point.step) : -1;
  const box = point && at >= 0 ? pointBox({ row: point.row, sample: at }, view, shown, rows, range, layout) : null;
  const cx = box ? ((box.x + box.w / 2) / layout.width) * 100 : 0;
  const cy = box ? ((box.y + box.h / 2) / layout.height) * 100 : 0;

  const label =
    view === 'heatmap'
      ? `Gradient heatmap: ${names.length} layers, first layer at the top, ${shown.length} samples`
      : `Gradient lines: ${names.length} layers, ${shown.length} samples`;
  return (
    <div className="layers-chart">
      <div className="layers-plot">
        <canvas
          ref={ref}
          role="img"
          aria-label={label}
          aria-describedby={hintId}
          tabIndex={0}
          style={{ aspectRatio: `${layout.width} / ${layout.height}` }}
          onPointerMove={onPointer}
          onPointerDown={onPointer}
          onPointerLeave={() => point?.by === 'pointer' && setPoint(null)}
          onKeyDown={onKeyDown}
          onBlur={() => point?.by === 'key' && setPoint(null)}
        />
        {box && (
          <span
            className={view === 'heatmap' ? 'layers-marker layers-marker-cell' : 'layers-marker layers-marker-dot'}
            aria-hidden="true"
            style={{
              left: `${cx}%`,
              top: `${cy}%`,
              ...(view === 'heatmap' ? { width: `max(8px, ${(box.w / layout.width) * 100}%)`, height: `max(8px, ${(box.h / layout.height) * 100}%)` } : {}),
            }}
          />
        )}
        {/* Always there, so that screen readers know the live region before it first speaks. */}
        <div
          className={box ? 'layers-readout' : 'layers-readout layers-readout-off'}
          role="status"
          aria-live="polite"
          aria-atomic="true"
          style={
            box
              ? {
                  left: `${cx}%`,
                  top: `${cy}%`,
                  // Beside the point, on the side with room; below it unless it is low in the
                  // plot (above, it covered the view switch of a short, three-row chart).
                  transform: `translate(${cx > 60 ? 'calc(-100% - 12px)' : '12px'}, ${cy < 60 ? '12px' : 'calc(-100% - 12px)'})`,
                }
              : undefined
          }
        >
          {box && (
            <>
              {/* Read as one sentence; the lines below are for the eye. */}
              <span className="sr-only">{point!.lines.join(', ')}</span>
              {point!.lines.map((line, i) =>
                i === 0 ? (
                  <strong key={i} aria-hidden="true">
                    {line}
                  </strong>
                ) : (
                  <span key={i} aria-hidden="true">
                    {line}
                  </span>
                ),
              )}
            </>
          )}
        </div>
      </div>
      <div className="layers-legend" aria-hidden="true">
        <span>{powerOfTen(range[0])}</span>
        <span className="layers-legend-bar" style={{ background: legendGradient() }} />
        <span>{powerOfTen(range[1])}</span>
        <span className="layers-legend-title">
          {view === 'heatmap' ? 'gradient RMS (colour)' : 'line colour: first layer (dark) → output (yellow)'}
        </span>
      </div>
      <p className="hint layers-readout-hint" id={hintId}>
        Point at the chart to read one layer at one moment, or focus it (Tab) and use the arrow keys: up and down pick
        the layer, left and right the sample.
      </p>
    </div>
  );
});

const pct = (v: number) => `${Math.round(v * 100)}%`;

/** One list item per layer with its latest statistics, for screen readers and tests. */
const LayerList = memo(function LayerList({
  names,
  kinds,
  latest,
}: {
  names: string[];
  kinds: string[];
  latest: LayerStatsSample | undefined;
  version: number;
}) {
  return (
    <ol className="sr-only" aria-label="Layers, input to output">
      {names.map((name, i) => (
        <li key={name}>
          {latest
            ? `${name}: gradient RMS ${formatSize(latest.gradRms[i] ?? NaN)}, ` +
              `${kinds[i] === BATCH_NORM ? 'scale (gamma) RMS' : 'weights RMS'} ${formatSize(latest.weightRms[i] ?? NaN)}, ` +
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
