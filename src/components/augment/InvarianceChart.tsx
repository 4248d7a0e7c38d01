import { plainTick } from '../charts/axisTick';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { SizedChart } from '../charts/SizedChart';
import { INVARIANCE_SWEEPS, type SweepId } from '../../core/augment/sweeps';
import { useApp } from '../storeContext';
import { isBusy } from '../../state/selectors';
import type { InvarianceSeries } from '../../state/augmentSlice';
import './augment.css';

const TICK = plainTick({ fill: '#666', fontSize: 10 });
const TICK_PERCENT = plainTick({ fill: '#666', fontSize: 10 }, '%');

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea'];

/** Test accuracy under shift, rotation and zoom sweeps: this run against earlier runs. */
export function InvarianceChart() {
  const current = useApp((s) => s.invariance);
  const history = useApp((s) => s.invarianceHistory);
  const status = useApp((s) => s.invarianceStatus);
  const message = useApp((s) => s.invarianceMessage);
  const hasModel = useApp((s) => s.hasModel);
  const busy = useApp((s) => isBusy(s.status));
  const run = useApp((s) => s.runInvariance);
  const series = [...(current ? [current] : []), ...history];
  return (
    <section className="panel" role="region" aria-label="Invariance">
      <h2>Invariance</h2>
      <p className="hint">
        Test accuracy when every test image (the first 2,000) is shifted in a random direction with black fill, rotated
        (shrunk to fit, as in training) or zoomed by the same amount. Train once without and once with augmentation to
        compare: earlier runs stay as dashed lines.
      </p>
      <button type="button" disabled={!hasModel || busy || status === 'running'} onClick={run}>
        Run invariance sweep
      </button>
      {status === 'running' && <span className="hint"> Evaluating…</span>}
      {message && <p className="error" role="alert">{message}</p>}
      {series.some((s) => s.points.length > 0) && (
        <>
          <div className="invariance-plots">
            {(Object.keys(INVARIANCE_SWEEPS) as SweepId[]).map((id) => (
              <SweepPlot key={id} sweep={id} series={series} />
            ))}
          </div>
          <ul className="invariance-legend" aria-label="Invariance runs">
            {series.map((s, i) => (
              <li key={i} style={{ color: COLORS[i % COLORS.length] }}>
                <span aria-hidden="true">{i === 0 ? '━━' : '╍╍'}</span> {i === 0 ? s.label : `earlier: ${s.label}`}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function SweepPlot({ sweep, series }: { sweep: SweepId; series: InvarianceSeries[] }) {
  const info = INVARIANCE_SWEEPS[sweep];
  // One row per amount, one column per run: recharts draws a line per column.
  const rows = info.amounts.map((amount) => {
    const row: Record<string, number> = { amount };
    series.forEach((s, i) => {
      const p = s.points.find((q) => q.sweep === sweep && q.amount === amount);
      if (p) row[`s${i}`] = Math.round(p.acc * 1000) / 10;
    });
    return row;
  });
  return (
    <div className="invariance-plot" role="img" aria-label={`Invariance: accuracy against ${info.label.toLowerCase()}`}>
      <h3>
        {info.label} <small className="hint">({info.unit})</small>
      </h3>
      <SizedChart height="85%">
        <LineChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: -18 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis interval={0} dataKey="amount" type="number" domain={['dataMin', 'dataMax']} ticks={info.amounts} tick={TICK} />
          <YAxis interval={0} domain={[0, 100]} tick={TICK_PERCENT} />
          <Tooltip formatter={(v: number) => `${v}%`} labelFormatter={(l) => `${info.label} ${l}`} />
          {series.map((s, i) => (
            <Line
              key={i}
              dataKey={`s${i}`}
              name={i === 0 ? s.label : `earlier: ${s.label}`}
              stroke={COLORS[i % COLORS.length]}
              strokeDasharray={i === 0 ? undefined : '5 3'}
              dot={{ r: 2 }}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </LineChart>
      </SizedChart>
    </div>
  );
}
