import { memo } from 'react';
import type { TrainEvent } from '../../core/callbacks/types';
import { EVENT_STYLES } from './eventMarkers';

interface Props {
  events: readonly TrainEvent[];
  highlighted: ReadonlySet<number>;
  onToggle(index: number): void;
}

/**
 * The run's events beside the charts: epoch, kind and sentence. Clicking one highlights its
 * marker on both charts (and clicking again clears it).
 */
export const EventsList = memo(function EventsList({ events, highlighted, onToggle }: Props) {
  return (
    <div className="events">
      <h3 className="charts-title">Events</h3>
      {events.length === 0 ? (
        <p className="hint">
          Markers appear here and on the charts when something worth noticing happens: overfitting begins, the loss
          diverges, the best epoch, an early stop…
        </p>
      ) : (
        <ol role="list" aria-label="Training events" className="events-list">
          {inEpochOrder(events).map(({ e, i }) => {
            const style = EVENT_STYLES[e.kind] ?? EVENT_STYLES.storage;
            return (
              <li key={i} data-kind={e.kind}>
                <button type="button" aria-pressed={highlighted.has(i)} onClick={() => onToggle(i)} className="events-item">
                  <span className="events-symbol" style={{ color: style.color }} aria-hidden="true">
                    {style.symbol}
                  </span>
                  <span className="events-epoch">Epoch {e.epoch}</span>
                  <strong className="events-kind">{style.label}</strong>
                  <span className="events-message">{e.message}</span>
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
});

/**
 * Events by epoch, keeping arrival order within an epoch. A checkpoint's event arrives when
 * its write finishes, which can be after the run's last events; the list reads as a timeline.
 * Each keeps its index in `events`, which the highlight refers to.
 */
function inEpochOrder(events: readonly TrainEvent[]): { e: TrainEvent; i: number }[] {
  return events.map((e, i) => ({ e, i })).sort((a, b) => a.e.epoch - b.e.epoch || a.i - b.i);
}
