import { memo } from 'react';
import type { TrainEvent } from '../../core/callbacks/types';
import { EVENT_STYLES, eventListItems } from './eventMarkers';

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
          {eventListItems(events).map((item) => {
            const style = EVENT_STYLES[item.kind] ?? EVENT_STYLES.storage;
            const on = item.indexes.some((i) => highlighted.has(i));
            // A line of several events (the checkpoints) highlights or clears them together.
            const toggle = () => item.indexes.filter((i) => highlighted.has(i) === on).forEach(onToggle);
            return (
              <li key={item.indexes[0]} data-kind={item.kind}>
                <button type="button" aria-pressed={on} onClick={toggle} className="events-item">
                  <span className="events-symbol" style={{ color: style.color }} aria-hidden="true">
                    {style.symbol}
                  </span>
                  <span className="events-epoch">{item.epochText}</span>
                  <strong className="events-kind">{item.label}</strong>
                  <span className="events-message">{item.message}</span>
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
});
