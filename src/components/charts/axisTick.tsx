/**
 * Axis tick labels drawn as plain SVG <text>. recharts draws them with its Text component,
 * which is given the axis's width and so measures every new label with getBoundingClientRect
 * on a span in <body>: a forced style and layout of the whole page, 15-50 ms here, each time
 * the loss axis gets a new label while training (issue 10; seen in a CPU profile of a 49 ms
 * frame). The labels here are short numbers that never wrap, so there is nothing to measure.
 */
import type { ReactElement } from 'react';

/** What recharts' `tick` prop takes (its element type is SVGElement). */
type TickElement = ReactElement<SVGElement>;

interface TickProps {
  x?: number;
  y?: number;
  payload?: { value: unknown };
  index?: number;
  textAnchor?: 'start' | 'middle' | 'end' | 'inherit';
  verticalAnchor?: 'start' | 'middle' | 'end';
  tickFormatter?: (value: never, index: number) => string;
}

/** A tick renderer for recharts' `tick` prop, in `style`; `unit` is appended ("%"). */
export function plainTick(style: { fill: string; fontSize: number }, unit = ''): (props: TickProps) => TickElement {
  return function PlainTick({ x, y, payload, index = 0, textAnchor = 'middle', verticalAnchor = 'middle', tickFormatter }: TickProps) {
    const value = payload?.value;
    const text = tickFormatter ? tickFormatter(value as never, index) : String(value ?? '');
    // Where recharts' Text puts the baseline for each vertical anchor.
    const dy = verticalAnchor === 'start' ? '0.71em' : verticalAnchor === 'middle' ? '0.355em' : '0';
    const label = (
      <text x={x} y={y} dy={dy} textAnchor={textAnchor} fill={style.fill} fontSize={style.fontSize} className="recharts-cartesian-axis-tick-value">
        {text}
        {unit}
      </text>
    );
    // recharts types a tick element as ReactElement<SVGElement>; an SVG <text> is one.
    return label as unknown as TickElement;
  };
}
