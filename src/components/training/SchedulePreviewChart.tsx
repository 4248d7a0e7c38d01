import { plainTick } from '../charts/axisTick';
import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { SizedChart } from '../charts/SizedChart';
import { formatLr } from '../../core/schedules/schedules';
import type { SchedulePreview } from '../../core/schedules/preview';
import { formatCount } from '../../core/format';
import { epochTicks } from '../charts/series';
import { lrAxis } from '../charts/lrSeries';

const LINE = '#7c3aed';
const GRID = '#e5e7eb';
const TICK_STYLE = { fill: '#374151', fontSize: 11 };
const TICK = plainTick(TICK_STYLE);
const MARGIN = { top: 6, right: 12, bottom: 16, left: 4 };
const X_LABEL = { value: 'Epochs trained', position: 'insideBottom', offset: -8, style: { fill: '#374151', fontSize: 12 } } as const;
const tooltipValue = (v: unknown): [string, string] => [typeof v === 'number' ? formatLr(v) : String(v), 'Learning rate'];
const tooltipLabel = (x: unknown) => `After ${Number(Number(x).toFixed(2))} epochs`;

interface Props {
  preview: SchedulePreview | null;
  epochs: number;
  batchesPerEpoch: number;
}

/** The rate a schedule will follow over the planned run, drawn before training. */
export const SchedulePreviewChart = memo(function SchedulePreviewChart({ preview, epochs, batchesPerEpoch }: Props) {
  const axis = useMemo(() => lrAxis(preview?.points.map((p) => p.lr) ?? []), [preview]);
  const xTicks = useMemo(() => [0, ...epochTicks(Math.max(1, Math.floor(epochs)))], [epochs]);
  let caption = 'Fix the settings marked in red to see the schedule.';
  if (preview) {
    const span =
      preview.stepPer === 'batch'
        ? `${formatCount(preview.totalSteps)} steps (${formatCount(epochs)} epochs × about ${formatCount(batchesPerEpoch)} batches)`
        : `${formatCount(epochs)} epochs (one step per epoch)`;
    caption =
      preview.start === preview.end
        ? `${formatLr(preview.start)} from the first step to the last.`
        : `From ${formatLr(preview.start)} to ${formatLr(preview.end)} over ${span}${axis.log ? '; log scale' : ''}.`;
  }
  return (
    <figure className="schedule-preview">
      <figcaption className="schedule-preview-title">Learning-rate schedule preview</figcaption>
      <div role="img" aria-label="Learning-rate schedule preview" className="schedule-preview-plot">
        {preview && (
          <SizedChart>
            <LineChart data={preview.points} margin={MARGIN}>
              <CartesianGrid stroke={GRID} strokeDasharray="3 3" />
              <XAxis interval={0}
                dataKey="x"
                type="number"
                domain={[0, Math.max(1, epochs)]}
                ticks={xTicks}
                tick={TICK}
                label={X_LABEL}
              />
              <YAxis interval={0}
                dataKey="lr"
                scale={axis.log ? 'log' : 'linear'}
                domain={axis.domain}
                ticks={axis.ticks}
                allowDataOverflow={axis.log}
                tickFormatter={formatLr}
                tick={TICK}
                width={58}
              />
              <Tooltip formatter={tooltipValue} labelFormatter={tooltipLabel} />
              <Line dataKey="lr" type="stepAfter" stroke={LINE} strokeWidth={2} dot={false} isAnimationActive={false} />
            </LineChart>
          </SizedChart>
        )}
      </div>
      <p className="hint">{caption}</p>
      {preview?.notes.map((n) => (
        <p key={n} className="hint schedule-note">
          {n}
        </p>
      ))}
    </figure>
  );
});
