import { ReferenceLine } from 'recharts';
import type { Marker } from './eventMarkers';

interface ShapeProps {
  x1?: number;
  y1?: number;
  x2?: number;
  y2?: number;
  clipPath?: string;
}

/**
 * The event markers of a chart, as recharts ReferenceLines. Call it as a function inside a
 * LineChart (recharts finds its children by type, so a wrapper component would be ignored).
 * Each marker is a vertical line with the kind's symbol on top; hovering it shows the events'
 * sentences (an SVG <title>), and its accessible name says the same.
 */
export function eventMarkerLines(markers: readonly Marker[], highlighted: ReadonlySet<number>) {
  return markers.map((m) => {
    const active = m.indexes.some((i) => highlighted.has(i));
    return (
      <ReferenceLine
        key={`event-${m.x}`}
        x={m.x}
        ifOverflow="discard"
        isFront
        shape={(p: ShapeProps) => <MarkerShape {...p} marker={m} active={active} />}
      />
    );
  });
}

function MarkerShape({ x1 = 0, y1 = 0, x2 = 0, y2 = 0, marker, active }: ShapeProps & { marker: Marker; active: boolean }) {
  const top = Math.min(y1, y2);
  const bottom = Math.max(y1, y2);
  // Checkpoints are routine (often every epoch): a small tick under the symbol, not a line
  // across the plot, so the events a learner must notice stand out.
  const routine = !active && marker.kinds.every((k) => k === 'checkpoint');
  return (
    <g
      className={`event-marker${active ? ' event-marker-active' : ''}`}
      role="img"
      aria-label={marker.ariaLabel}
      data-kinds={marker.kinds.join(' ')}
    >
      <title>{marker.text}</title>
      <line
        x1={x1}
        x2={x2}
        y1={top + 8}
        y2={routine ? top + 16 : bottom}
        stroke={marker.color}
        strokeWidth={active ? 3 : 1.5}
        strokeDasharray={active ? undefined : '4 3'}
      />
      {/* A wide invisible line: an easier target to hover than a 1.5 px stroke. */}
      <line x1={x1} x2={x2} y1={top} y2={bottom} stroke="transparent" strokeWidth={12} />
      <text x={x1} y={top + 8} textAnchor="middle" fontSize={active ? 16 : routine ? 9 : 13} fill={marker.color}>
        {marker.symbol}
      </text>
    </g>
  );
}
