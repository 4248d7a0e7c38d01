import { cloneElement, startTransition, useEffect, useRef, useState, type ReactElement } from 'react';

interface Props {
  /** A recharts chart (or a component that passes `width` and `height` on to one). */
  children: ReactElement<{ width?: number; height?: number }>;
  /** Height of the box as a CSS value; the width is the parent's. */
  height?: string;
}

/**
 * Fills its parent and gives the chart inside its measured pixel size, as recharts'
 * ResponsiveContainer does, but hands each new size to React as a transition. recharts'
 * container sets it as an ordinary update, which React renders in one piece: three charts
 * mounting at page load made one task of 200 ms or more (issue 10). As a transition, React
 * renders them in slices that yield to the browser. Nothing is drawn until the size is known.
 */
export function SizedChart({ children, height = '100%' }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const r = el.getBoundingClientRect();
      const next = { width: Math.floor(r.width), height: Math.floor(r.height) };
      startTransition(() => setSize((old) => (old && old.width === next.width && old.height === next.height ? old : next)));
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={ref} className="sized-chart" style={{ width: '100%', height }}>
      {size && size.width > 0 && size.height > 0 ? cloneElement(children, size) : null}
    </div>
  );
}
