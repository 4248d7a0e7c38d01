import { startTransition, useEffect, useRef, useState } from 'react';

/** How often the charts are redrawn while a run goes on, at most. */
export const CHART_REDRAW_MS = 200;

/**
 * `value`, but passed on at most once per `intervalMs` (the latest one at the end of each
 * interval), as a transition so that React renders it in slices. The charts read the run
 * through this: redrawn a few times a second, a curve looks as live as at every frame, and
 * the page does a fraction of the work (and makes a fraction of the garbage) on a busy
 * machine, where each redraw takes longer and competes with training for the cores.
 */
export function useThrottledValue<T>(value: T, intervalMs: number): T {
  const [shown, setShown] = useState(value);
  const lastShown = useRef(0);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const wait = Math.max(0, lastShown.current + intervalMs - performance.now());
    const id = setTimeout(() => {
      lastShown.current = performance.now();
      startTransition(() => setShown(value));
    }, wait);
    return () => clearTimeout(id);
  }, [value, shown, intervalMs]);
  return shown;
}
