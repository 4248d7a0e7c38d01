import { plainTick } from './axisTick';
import { memo, startTransition, useEffect, useId, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { SizedChart } from './SizedChart';
import { chartSummary } from './summary';
import { CHART_REDRAW_MS, useThrottledValue } from './useThrottledValue';
import type { ChartScale } from '../../state/metricsSlice';
import { useShallow } from 'zustand/react/shallow';
import type { AppState } from '../../state/store';
import { useApp } from '../storeContext';
import { formatCount } from '../../core/format';
import {
  attachValidation,
  chartCaption,
  epochTicks,
  hasValidation,
  pointsForWidth,
  niceTicks,
  toBatchSeries,
  toEpochSeries,
  toValidationMarkers,
  type BatchChartRow,
  type EpochRow,
} from './series';
import './charts.css';
import { LearningRateChart } from './LearningRateChart';
import { toMarkers, withGap, type Marker } from './eventMarkers';
import { eventMarkerLines } from './EventMarkerLines';
import { EventsList } from './EventsList';
import { overlays as toOverlays, type Overlay } from './overlay';
import './events.css';

const TRAINING = '#2563eb';
/** The raw line under a smoothed one: the training blue, faded. */
const TRAINING_FAINT = '#93c5fd';
const VALIDATION = '#ea580c';
const GRID = '#e5e7eb';
const AXIS_TEXT = '#374151';

const NO_HIGHLIGHT: ReadonlySet<number> = new Set();
const GAP = '#6b7280';

/**
 * What the charts draw, read from the store in one selector (compared field by field). The
 * batch points are one list for the whole run, appended in place: `batchCount` is what changes.
 */
function chartInputs(s: AppState) {
  return {
    epochPoints: s.epochPoints,
    batchPoints: s.batchPoints,
    batchCount: s.batchCount,
    batchesPerEpoch: s.progress?.batchesPerEpoch ?? null,
    status: s.status,
    events: s.events,
    // Recorded runs drawn over the live curves (ticked in the Runs panel, and the baseline).
    runs: s.runs,
    datasetId: s.config.datasetId,
    liveRecordId: s.liveRecordId,
  };
}

const NO_ROWS: BatchChartRow[] = [];

type Metric = 'loss' | 'acc';

interface MetricSpec {
  title: string;
  ariaLabel: string;
  train: 'loss' | 'acc';
  raw: 'rawLoss' | 'rawAcc';
  val: 'val_loss' | 'val_acc';
  format(v: number): string;
  tick(v: number): string;
  domain: [number | ((min: number) => number), number | 'auto'];
}

function formatLoss(v: number): string {
  return v !== 0 && Math.abs(v) < 0.001 ? v.toPrecision(4) : v.toFixed(4);
}

const METRICS: Record<Metric, MetricSpec> = {
  loss: {
    title: 'Loss',
    ariaLabel: 'Loss chart',
    train: 'loss',
    raw: 'rawLoss',
    val: 'val_loss',
    format: formatLoss,
    tick: (v) => String(Number(v.toPrecision(3))),
    domain: [(min) => Math.min(0, min), 'auto'],
  },
  acc: {
    title: 'Accuracy (%)',
    ariaLabel: 'Accuracy chart',
    train: 'acc',
    raw: 'rawAcc',
    val: 'val_acc',
    format: (v) => `${v.toFixed(2)} %`,
    tick: (v) => String(v),
    domain: [0, 100],
  },
};

const AXIS_LABEL_STYLE = { fill: AXIS_TEXT, fontSize: 13 };
const TICK_STYLE = { fill: AXIS_TEXT, fontSize: 12 };
/** The presenter view's axes: readable from the back of a classroom. */
const TICK_STYLE_BIG = { fill: '#111827', fontSize: 16 };
const TICK = plainTick(TICK_STYLE);
const TICK_BIG = plainTick(TICK_STYLE_BIG);

/** Dot radius for `count` points on a line: smaller when there are many (long runs). */
const dotRadius = (count: number) => (count > 40 ? 2 : 3.5);

/**
 * Live loss and accuracy curves of the current run, per epoch (training and validation) or
 * per batch (training, raw or smoothed, with each epoch's validation result as a dot).
 * Reads the store through `useApp`; takes no props.
 */
export function TrainingCharts() {
  const scale = useApp((s) => s.chartScale);
  const smoothing = useApp((s) => s.smoothing);
  const setChartScale = useApp((s) => s.setChartScale);
  const setSmoothing = useApp((s) => s.setSmoothing);
  // Drawing the charts is the costliest render in the app, so everything the charts draw comes
  // from one snapshot of the run, passed on at most every CHART_REDRAW_MS and as a transition.
  // A store flush then re-renders only the light parts synchronously (status, controls); React
  // redraws the charts a few times a second in a background render that yields between
  // components, so a new point never blocks the page (issue 10: a flush used to redraw both
  // charts synchronously whenever an event or the status changed).
  const live = useApp(useShallow(chartInputs));
  const { epochPoints, batchPoints, batchCount, batchesPerEpoch, status, events, runs, datasetId, liveRecordId } = useThrottledValue(
    live,
    CHART_REDRAW_MS,
  );
  const hasBatches = batchCount > 0;
  // What the batch view needs; in the epoch view, new batches change nothing drawn.
  const drawnBatches = scale === 'batch' ? batchCount : 0;
  const validationPlanned = useApp((s) => s.config.validationSplit > 0);
  const overlays = useMemo(() => toOverlays(runs, datasetId, liveRecordId), [runs, datasetId, liveRecordId]);
  const big = useApp((s) => s.presenting);
  const [highlighted, setHighlighted] = useState<ReadonlySet<number>>(NO_HIGHLIGHT);
  const [showGap, setShowGap] = useState(false);
  useEffect(() => {
    if (events.length === 0) setHighlighted(NO_HIGHLIGHT); // a new run
  }, [events.length]);
  const toggleEvent = useMemo(
    () => (i: number) =>
      setHighlighted((h) => {
        const next = new Set(h);
        if (!next.delete(i)) next.add(i);
        return next;
      }),
    [],
  );
  const markers = useMemo(() => toMarkers(events, scale, batchPoints), [events, scale, batchPoints, drawnBatches]);

  const epochRows = useMemo(() => toEpochSeries(epochPoints), [epochPoints]);
  const validation = useMemo(() => hasValidation(epochPoints), [epochPoints]);
  // Validation results go on the batch row where their epoch ended: one data array keeps
  // recharts' axis tooltip aligned, and shows training and validation together there.
  // As many drawn points as the plot has pixels to show them (recharts' cost grows with them).
  const gridRef = useRef<HTMLDivElement>(null);
  const maxPoints = pointsForWidth(usePlotWidth(gridRef));
  const batchRows = useMemo(() => {
    if (scale !== 'batch' || batchPoints.length === 0) return NO_ROWS;
    const rows = toBatchSeries(batchPoints, smoothing, { batchesPerEpoch, maxPoints });
    return attachValidation(rows, toValidationMarkers(batchPoints, epochPoints));
  }, [scale, batchPoints, drawnBatches, epochPoints, smoothing, batchesPerEpoch, maxPoints]);

  const scaleLabelId = useId();
  const curveLabelId = useId();
  const radioName = useId();
  const emptyId = useId();

  let empty: string | null = null;
  if ((scale === 'epoch' ? epochRows.length === 0 : batchRows.length === 0) && overlays.length === 0) {
    if (scale === 'epoch' && hasBatches) {
      empty = 'The first point appears when epoch 1 ends. Choose “Per batch” to watch every batch.';
    } else if (status === 'preparing' || status === 'training' || status === 'paused') {
      empty = 'Waiting for the first batch…';
    } else {
      empty = 'Press Train to see the curves.';
    }
  }

  const caption = chartCaption({
    scale,
    smoothing,
    // Before the first epoch ends, go by the settings.
    validation: epochPoints.length > 0 ? validation : validationPlanned,
    batchCount,
    maxPoints,
  });

  const chartProps = {
    scale, smoothed: smoothing === 'smoothed', epochRows, batchRows, validation, empty, emptyId,
    markers, highlighted, showGap: showGap && validation, overlays, big,
  };

  return (
    <section className="panel charts" aria-label="Training charts">
      <h2>Loss and accuracy</h2>
      <div className="charts-controls">
        <div className="charts-toggle">
          <span id={scaleLabelId} className="charts-toggle-label">
            Chart scale
          </span>
          <div role="radiogroup" aria-labelledby={scaleLabelId} className="charts-options">
            <Choice name={`${radioName}-scale`} checked={scale === 'epoch'} onSelect={() => setChartScale('epoch')}>
              Per epoch
            </Choice>
            <Choice name={`${radioName}-scale`} checked={scale === 'batch'} onSelect={() => setChartScale('batch')}>
              Per batch
            </Choice>
          </div>
        </div>
        {scale === 'batch' && (
          <div className="charts-toggle">
            <span id={curveLabelId} className="charts-toggle-label">
              Batch curve
            </span>
            <div role="radiogroup" aria-labelledby={curveLabelId} className="charts-options">
              <Choice name={`${radioName}-curve`} checked={smoothing === 'raw'} onSelect={() => setSmoothing('raw')}>
                Raw
              </Choice>
              <Choice
                name={`${radioName}-curve`}
                checked={smoothing === 'smoothed'}
                onSelect={() => setSmoothing('smoothed')}
              >
                Smoothed
              </Choice>
            </div>
          </div>
        )}
        {scale === 'epoch' && (
          <label className="charts-gap-toggle">
            <input type="checkbox" checked={showGap} onChange={(e) => setShowGap(e.target.checked)} />
            Show generalization gap
          </label>
        )}
      </div>
      <p className="charts-caption">{caption}</p>
      <div className="charts-grid" ref={gridRef}>
        <MetricChart metric="loss" {...chartProps} />
        <MetricChart metric="acc" {...chartProps} />
      </div>
      <LearningRateChart />
      <EventsList events={events} highlighted={highlighted} onToggle={toggleEvent} />
    </section>
  );
}

/**
 * The width in CSS pixels of one chart of the grid (two side by side from 640 px), kept up to
 * date with a ResizeObserver; null until measured.
 */
function usePlotWidth(ref: RefObject<HTMLDivElement | null>): number | null {
  const [width, setWidth] = useState<number | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const measure = () => {
      const first = el.firstElementChild as HTMLElement | null;
      const w = Math.round((first ?? el).getBoundingClientRect().width);
      startTransition(() => setWidth((old) => (old === w ? old : w)));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

function Choice(props: { name: string; checked: boolean; onSelect(): void; children: ReactNode }) {
  return (
    <label className="charts-option">
      <input type="radio" name={props.name} checked={props.checked} onChange={props.onSelect} />
      <span>{props.children}</span>
    </label>
  );
}

interface MetricChartProps {
  metric: Metric;
  scale: ChartScale;
  smoothed: boolean;
  epochRows: EpochRow[];
  batchRows: BatchChartRow[];
  validation: boolean;
  empty: string | null;
  emptyId: string;
  markers: Marker[];
  highlighted: ReadonlySet<number>;
  showGap: boolean;
  /** Recorded runs drawn over the live curves. */
  overlays: Overlay[];
  /** The presenter view: larger ticks, thicker lines. */
  big: boolean;
}

/** Memoized: re-renders only when its rows or settings change, not on every store update. */
const MetricChart = memo(function MetricChart(props: MetricChartProps) {
  const { metric, scale, smoothed, epochRows, batchRows, validation, empty, emptyId, markers, highlighted, showGap, overlays, big } = props;
  const spec = METRICS[metric];
  // The plot is an image to a screen reader: it is described in words (or by the empty note).
  const summaryId = `${emptyId}-${metric}-summary`;
  const summary = useMemo(() => chartSummary(metric, epochRows, validation), [metric, epochRows, validation]);
  const describedBy = empty ? `${emptyId}-${metric}` : summaryId;
  return (
    <div className="charts-figure">
      <h3 className="charts-title">{spec.title}</h3>
      <ChartLegend
        spec={spec}
        scale={scale}
        smoothed={smoothed}
        validation={validation}
        showGap={showGap && scale === 'epoch'}
        overlays={overlays}
        live={epochRows.length > 0 || batchRows.length > 0}
      />
      {!empty && (
        <p id={summaryId} className="sr-only">
          {summary}
        </p>
      )}
      <div role="img" aria-label={spec.ariaLabel} aria-describedby={describedBy} className="charts-plot">
        {/* The chart stays mounted even while empty: mounting recharts costs far more than
            updating it, and doing it at page load keeps that cost out of the training run. */}
        <SizedChart>
          {scale === 'epoch' ? (
            <EpochLines spec={spec} rows={epochRows} validation={validation} markers={markers} highlighted={highlighted} showGap={showGap} overlays={overlays} big={big} />
          ) : (
            <BatchLines spec={spec} rows={batchRows} smoothed={smoothed} validation={validation} markers={markers} highlighted={highlighted} overlays={overlays} big={big} />
          )}
        </SizedChart>
        {empty && (
          <p className="charts-empty" id={describedBy}>
            {empty}
          </p>
        )}
      </div>
    </div>
  );
});

/**
 * The lines' key, in HTML above the plot: recharts' own legend measures itself after every
 * redraw (a forced layout in each chart update while training), and this one reads better on
 * a projector (full-contrast text beside each line's own colour and dash).
 */
function ChartLegend({ spec, scale, smoothed, validation, showGap, overlays, live }: {
  spec: MetricSpec; scale: ChartScale; smoothed: boolean; validation: boolean; showGap: boolean; overlays: Overlay[]; live: boolean;
}) {
  const items: { label: string; color: string; dash?: string; width: number }[] = [];
  // With runs drawn over it, the live run's lines say whose they are.
  const label = (what: string) => (overlays.length > 0 ? `This run: ${what}` : what[0]!.toUpperCase() + what.slice(1));
  if (live || overlays.length === 0) {
    if (scale === 'batch' && smoothed) items.push({ label: label('training, raw'), color: TRAINING_FAINT, width: 2 });
    items.push({ label: label(scale === 'batch' && smoothed ? 'training, smoothed' : 'training'), color: TRAINING, width: 3 });
    if (validation) items.push({ label: label('validation'), color: VALIDATION, dash: '7 5', width: 3 });
  }
  for (const o of overlays) items.push({ label: o.name, color: o.color, width: o.baseline ? 4 : 3 });
  if (showGap) {
    items.push({
      label: spec.train === 'loss' ? 'Gap (validation − training)' : 'Gap (training − validation)',
      color: GAP, dash: '2 3', width: 2,
    });
  }
  return (
    <ul className="charts-legend" aria-label={`${spec.title} lines`}>
      {items.map((item) => (
        <li key={item.label}>
          <svg width="28" height="10" aria-hidden="true">
            <line x1="1" y1="5" x2="27" y2="5" stroke={item.color} strokeWidth={item.width} strokeDasharray={item.dash} />
          </svg>
          {item.label}
        </li>
      ))}
    </ul>
  );
}

const MARGIN = { top: 8, right: 16, bottom: 20, left: 4 };
// Every axis here (and in the other charts) has interval={0} (it shows the ticks given, or the
// few nice ones recharts picks) and plain tick labels (./axisTick.tsx): otherwise recharts
// measures each new tick label in the page's DOM, a forced layout of the whole page (15-50 ms
// here) whenever the loss axis gets a new label while training (issue 10).
// Constant or memoized props let recharts skip work when nothing changed.
const EPOCH_PADDING = { left: 12, right: 12 };
const EPOCH_LABEL = { value: 'Epoch', position: 'insideBottom', offset: -12, style: AXIS_LABEL_STYLE } as const;
const BATCH_LABEL = { value: 'Batch', position: 'insideBottom', offset: -12, style: AXIS_LABEL_STYLE } as const;
const BIG_LABEL_STYLE = { fill: '#111827', fontSize: 16 };
const EPOCH_LABEL_BIG = { ...EPOCH_LABEL, style: BIG_LABEL_STYLE } as const;
const BATCH_LABEL_BIG = { ...BATCH_LABEL, style: BIG_LABEL_STYLE } as const;
const ACTIVE_DOT = { r: 5 };
const BATCH_DOMAIN: [number, string] = [0, 'dataMax'];
const ACTIVE_DOT_SOLID = { r: 5, strokeDasharray: 'none' };
const epochLabel = (label: unknown) => `Epoch ${String(label)}`;
const batchLabel = (label: unknown, payload: readonly { payload?: unknown }[]) => {
  const row = payload?.[0]?.payload as BatchChartRow | undefined;
  const batch = `Batch ${formatCount(Number(label))}`;
  return row ? `${batch} (${row.epochFraction.toFixed(2)} epochs)` : batch;
};

const FORMATTERS = new Map<MetricSpec, (value: unknown, name: unknown) => [ReactNode, ReactNode]>();
function tooltipFormatter(spec: MetricSpec) {
  let f = FORMATTERS.get(spec);
  if (!f) {
    f = (value, name) => [typeof value === 'number' ? spec.format(value) : String(value ?? ''), String(name ?? '')];
    FORMATTERS.set(spec, f);
  }
  return f;
}

/** SizedChart passes the measured size to its child as props. */
interface Size {
  width?: number;
  height?: number;
}

interface MarkerProps {
  markers: Marker[];
  highlighted: ReadonlySet<number>;
}

function EpochLines({
  spec, rows, validation, markers, highlighted, showGap, overlays, big, width, height,
}: { spec: MetricSpec; rows: EpochRow[]; validation: boolean; showGap?: boolean; overlays: Overlay[]; big: boolean } & MarkerProps & Size) {
  const tick = big ? TICK_BIG : TICK;
  const stroke = big ? 3.5 : 2.5;
  const last = Math.max(rows.at(-1)?.epoch ?? 1, ...overlays.map((o) => o.epochRows.at(-1)?.epoch ?? 1));
  const r = dotRadius(rows.length);
  const ticks = useMemo(() => epochTicks(last), [last]);
  const domain = useMemo(() => [1, Math.max(2, last)], [last]);
  const trainDot = useMemo(() => ({ r, fill: TRAINING }), [r]);
  const valDot = useMemo(() => ({ r, fill: VALIDATION, strokeDasharray: 'none' }), [r]);
  const data = useMemo(() => (showGap ? withGap(rows) : rows), [rows, showGap]);
  return (
    <LineChart data={data} margin={MARGIN} width={width} height={height}>
      <CartesianGrid stroke={GRID} strokeDasharray="3 3" />
      <XAxis interval={0}
        dataKey="epoch"
        type="number"
        domain={domain}
        ticks={ticks}
        allowDecimals={false}
        padding={EPOCH_PADDING}
        tick={tick}
        label={big ? EPOCH_LABEL_BIG : EPOCH_LABEL}
      />
      <YAxis interval={0} domain={spec.domain} tickFormatter={spec.tick} tick={tick} width={big ? 56 : 48} />
      <Tooltip formatter={tooltipFormatter(spec)} labelFormatter={epochLabel} />
      <Line
        dataKey={spec.train}
        name="Training"
        type="linear"
        stroke={TRAINING}
        strokeWidth={stroke}
        dot={trainDot}
        activeDot={ACTIVE_DOT}
        isAnimationActive={false}
      />
      {validation && (
        <Line
          dataKey={spec.val}
          name="Validation"
          type="linear"
          stroke={VALIDATION}
          strokeWidth={stroke}
          strokeDasharray="7 5"
          dot={valDot}
          activeDot={ACTIVE_DOT_SOLID}
          connectNulls
          isAnimationActive={false}
        />
      )}
      {/* The gap has its own axis on the right: it is small and may be negative. */}
      {showGap && <YAxis interval={0} yAxisId="gap" orientation="right" tickFormatter={spec.tick} tick={tick} width={40} />}
      {showGap && (
        <Line
          yAxisId="gap"
          dataKey={`gap_${spec.train}`}
          name={spec.train === 'loss' ? 'Gap (validation − training)' : 'Gap (training − validation)'}
          type="linear"
          stroke={GAP}
          strokeWidth={1.5}
          strokeDasharray="2 3"
          dot={false}
          connectNulls
          isAnimationActive={false}
        />
      )}
      {overlayLines(overlays, spec, 'epoch', big)}
      {eventMarkerLines(markers, highlighted)}
    </LineChart>
  );
}

/**
 * The recorded runs' lines, each in its colour: training solid, validation dashed (per
 * epoch), or the recorded training curve (per batch). Each line has its own data.
 */
function overlayLines(list: Overlay[], spec: MetricSpec, scale: ChartScale, big: boolean): ReactNode {
  return list.flatMap((o) => {
    const width = (o.baseline ? 3.5 : 2.5) + (big ? 1 : 0);
    if (scale === 'batch') {
      return [
        <Line key={`${o.id}-t`} data={o.batchRows} dataKey={spec.train} name={o.name} type="linear" stroke={o.color}
          strokeWidth={width - 0.5} dot={false} activeDot={false} isAnimationActive={false} />,
      ];
    }
    const lines = [
      <Line key={`${o.id}-t`} data={o.epochRows} dataKey={spec.train} name={`${o.name}: training`} type="linear"
        stroke={o.color} strokeWidth={width} dot={false} activeDot={ACTIVE_DOT} isAnimationActive={false} />,
    ];
    if (o.validation) {
      lines.push(
        <Line key={`${o.id}-v`} data={o.epochRows} dataKey={spec.val} name={`${o.name}: validation`} type="linear"
          stroke={o.color} strokeWidth={width} strokeDasharray="7 5" dot={false} activeDot={ACTIVE_DOT_SOLID}
          connectNulls isAnimationActive={false} />,
      );
    }
    return lines;
  });
}

interface BatchLinesProps extends MarkerProps {
  spec: MetricSpec;
  /** Training rows, ordered by step; those where an epoch ended carry its validation result. */
  rows: BatchChartRow[];
  smoothed: boolean;
  validation: boolean;
  overlays: Overlay[];
  big: boolean;
}

function BatchLines({ spec, rows, smoothed, validation, markers, highlighted, overlays, big, width, height }: BatchLinesProps & Size) {
  const tick = big ? TICK_BIG : TICK;
  const lastStep = Math.max(rows.at(-1)?.step ?? 0, ...overlays.map((o) => o.batchRows.at(-1)?.step ?? 0));
  let epochsEnded = 0;
  for (const row of rows) if (row.val_loss !== undefined || row.val_acc !== undefined) epochsEnded++;
  const r = dotRadius(epochsEnded) + 0.5;
  const ticks = useMemo(() => niceTicks(lastStep), [lastStep]);
  const valDot = useMemo(() => ({ r, fill: VALIDATION, strokeDasharray: 'none' }), [r]);
  // The dots are drawn from the few rows that carry a validation result: recharts builds a dot
  // element for every row of a line with dots, which cost more than the rest of the chart.
  const valRows = useMemo(() => rows.filter((row) => row.val_loss !== undefined || row.val_acc !== undefined), [rows]);
  return (
    <LineChart data={rows} margin={MARGIN} width={width} height={height}>
      <CartesianGrid stroke={GRID} strokeDasharray="3 3" />
      <XAxis interval={0}
        dataKey="step"
        type="number"
        domain={BATCH_DOMAIN}
        ticks={ticks}
        allowDecimals={false}
        tick={tick}
        tickFormatter={formatCount}
        label={big ? BATCH_LABEL_BIG : BATCH_LABEL}
      />
      <YAxis interval={0} domain={spec.domain} tickFormatter={spec.tick} tick={tick} width={big ? 56 : 48} />
      <Tooltip formatter={tooltipFormatter(spec)} labelFormatter={batchLabel} />
      {/* Training lines break where a value was not finite (a diverged loss); validation,
          present on few rows, is joined across the rows between epochs. */}
      {smoothed && (
        <Line
          dataKey={spec.raw}
          name="Training, raw"
          type="linear"
          stroke={TRAINING_FAINT}
          strokeWidth={1}
          dot={false}
          activeDot={false}
          isAnimationActive={false}
        />
      )}
      <Line
        dataKey={spec.train}
        name={smoothed ? 'Training, smoothed' : 'Training'}
        type="linear"
        stroke={TRAINING}
        strokeWidth={big ? 3 : 2}
        dot={false}
        isAnimationActive={false}
      />
      {validation && (
        <Line
          dataKey={spec.val}
          name="Validation"
          type="linear"
          stroke={VALIDATION}
          strokeWidth={big ? 3 : 1.5}
          strokeDasharray="7 5"
          dot={false}
          activeDot={ACTIVE_DOT_SOLID}
          connectNulls
          isAnimationActive={false}
        />
      )}
      {validation && (
        <Line
          data={valRows}
          dataKey={spec.val}
          name="Validation"
          type="linear"
          stroke="none"
          dot={valDot}
          activeDot={false}
          legendType="none"
          tooltipType="none"
          isAnimationActive={false}
        />
      )}
      {overlayLines(overlays, spec, 'batch', big)}
      {eventMarkerLines(markers, highlighted)}
    </LineChart>
  );
}

