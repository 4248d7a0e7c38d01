/**
 * The components drawn with recharts, loaded as a chunk of their own after the page's first
 * render. recharts is the largest part of the page's code: evaluated with the rest, it made one
 * task of over 200 ms at page load (issue 10). The chunk is requested as soon as the first
 * render needs it, long before any training, so the charts are mounted (and cheap to update)
 * when a run begins. Each placeholder keeps the panel's heading and size.
 */
import { lazy, Suspense, type ComponentProps } from 'react';

const TrainingChartsImpl = lazy(() => import('./charts/TrainingCharts').then((m) => ({ default: m.TrainingCharts })));
const InvarianceChartImpl = lazy(() => import('./augment/InvarianceChart').then((m) => ({ default: m.InvarianceChart })));
const SchedulePreviewChartImpl = lazy(() =>
  import('./training/SchedulePreviewChart').then((m) => ({ default: m.SchedulePreviewChart })),
);

function Loading({ height }: { height: number }) {
  return (
    <p className="hint charts-loading" style={{ minHeight: height }}>
      Loading the charts…
    </p>
  );
}

export function TrainingCharts() {
  return (
    <Suspense
      fallback={
        <section className="panel charts" aria-label="Training charts">
          <h2>Loss and accuracy</h2>
          <Loading height={640} />
        </section>
      }
    >
      <TrainingChartsImpl />
    </Suspense>
  );
}

export function InvarianceChart() {
  return (
    <Suspense fallback={<Loading height={120} />}>
      <InvarianceChartImpl />
    </Suspense>
  );
}

export function SchedulePreviewChart(props: ComponentProps<typeof SchedulePreviewChartImpl>) {
  return (
    <Suspense fallback={<Loading height={140} />}>
      <SchedulePreviewChartImpl {...props} />
    </Suspense>
  );
}
