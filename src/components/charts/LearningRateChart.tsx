import { plainTick } from './axisTick';
import { memo, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AppState } from '../../state/store';
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { SizedChart } from './SizedChart';
import { CHART_REDRAW_MS, useThrottledValue } from './useThrottledValue';
import type { TrainEvent } from '../../core/callbacks/types';
import { formatLr } from '../../core/schedules/schedules';
import { useApp } from '../storeContext';
import { formatCount } from '../../core/format';
import { epochTicks, niceTicks } from './series';
import { lrAxis, lrBatchRows, lrEpochRows, lrMarkers, type LrAxis, type LrMarker, type LrRow } from './lrSeries';
import './lrChart.css';

const LINE = '#7c3aed';
const MARKER = '#b91c1c';
const GRID = '#e5e7eb';
const TICK_STYLE = { fill: '#374151', fontSize: 12 };
const TICK = plainTick(TICK_STYLE);
const MARGIN = { top: 8, right: 16, bottom: 20, left: 4 };
const EPOCH_PADDING = { left: 12, right: 12 };
const NO_EVENTS: TrainEvent[] = [];
const tooltipValue = (v: unknown): [string, string] => [typeof v === 'number' ? formatLr(v) : String(v), 'Learning rate'];

function lrInputs(s: AppState) {
  return {
    epochPoints: s.epochPoints,
    batchPoints: s.batchPoints,
    batchCount: s.batchCount,
    events: s.events.some((e) => e.kind === 'lrReduced') ? s.events : NO_EVENTS,
    running: s.status === 'preparing' || s.status === 'training' || s.status === 'paused',
  };
}

/**
 * The learning rate of the current run, on the scale the loss chart uses (per epoch or per
 * batch), with a red line where reduce-on-plateau lowered it and its sentence underneath.
 */
export function LearningRateChart() {
  const scale = useApp((s) => s.chartScale);
  // One snapshot of the run, redrawn at most every CHART_REDRAW_MS, like the loss charts.
  const { epochPoints, batchPoints, batchCount, events, running } = useThrottledValue(useApp(useShallow(lrInputs)), CHART_REDRAW_MS);
  const drawnBatches = scale === 'batch' ? batchCount : 0;

  const rows = useMemo(
    () => (scale === 'epoch' ? lrEpochRows(epochPoints) : lrBatchRows(batchPoints)),
    [scale, epochPoints, batchPoints, drawnBatches],
  );
  const markers = useMemo(() => lrMarkers(scale, events, batchPoints), [scale, events, batchPoints, drawnBatches]);
  const axis = useMemo(() => lrAxis(rows.map((r) => r.lr)), [rows]);
  const empty =
    rows.length > 0
      ? null
      : running
        ? scale === 'epoch'
          ? 'The learning rate appears when epoch 1 ends.'
          : 'Waiting for the first batch…'
        : 'The learning rate of each step appears here while training.';

  return (
    <div className="charts-figure lr-chart">
      <h3 className="charts-title">Learning rate{axis.log ? ' (log scale)' : ''}</h3>
      <div role="img" aria-label="Learning-rate chart" className="charts-plot lr-plot">
        <SizedChart>
          <LrLines rows={rows} scale={scale} axis={axis} markers={markers} />
        </SizedChart>
        {empty && <p className="charts-empty">{empty}</p>}
      </div>
      {markers.length > 0 && (
        <ul className="lr-events" aria-label="Learning-rate changes">
          {markers.map((m) => (
            <li key={`${m.epoch}-${m.x}`}>
              <strong>Epoch {m.epoch}:</strong> {m.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

interface LinesProps {
  rows: LrRow[];
  scale: 'epoch' | 'batch';
  axis: LrAxis;
  markers: LrMarker[];
  width?: number;
  height?: number;
}

const LrLines = memo(function LrLines({ rows, scale, axis, markers, width, height }: LinesProps) {
  const last = rows.at(-1)?.x ?? 0;
  const xTicks = useMemo(() => (scale === 'epoch' ? epochTicks(Math.max(1, last)) : niceTicks(last)), [scale, last]);
  const domain = useMemo(
    (): [number, number | 'dataMax'] => (scale === 'epoch' ? [1, Math.max(2, last)] : [0, 'dataMax']),
    [scale, last],
  );
  return (
    <LineChart data={rows} margin={MARGIN} width={width} height={height}>
      <CartesianGrid stroke={GRID} strokeDasharray="3 3" />
      <XAxis interval={0}
        dataKey="x"
        type="number"
        domain={domain}
        ticks={xTicks}
        allowDecimals={false}
        padding={scale === 'epoch' ? EPOCH_PADDING : undefined}
        tick={TICK}
        tickFormatter={formatCount}
        label={{ value: scale === 'epoch' ? 'Epoch' : 'Batch', position: 'insideBottom', offset: -12, style: TICK_STYLE }}
      />
      <YAxis interval={0}
        scale={axis.log ? 'log' : 'linear'}
        domain={axis.domain}
        ticks={axis.ticks}
        allowDataOverflow={axis.log}
        tickFormatter={formatLr}
        tick={TICK}
        width={62}
      />
      <Tooltip formatter={tooltipValue} labelFormatter={(x) => `${scale === 'epoch' ? 'Epoch' : 'Batch'} ${formatCount(Number(x))}`} />
      {markers.map((m) => (
        <ReferenceLine key={`${m.epoch}-${m.x}`} x={m.x} stroke={MARKER} strokeDasharray="4 3" ifOverflow="extendDomain" />
      ))}
      <Line
        dataKey="lr"
        name="Learning rate"
        type={scale === 'epoch' ? 'linear' : 'stepAfter'}
        stroke={LINE}
        strokeWidth={2}
        dot={scale === 'epoch' ? { r: 3, fill: LINE } : false}
        isAnimationActive={false}
      />
    </LineChart>
  );
});
