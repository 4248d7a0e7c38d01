import { createContext, useContext, useDeferredValue, type ReactNode } from 'react';
import { isBusy } from '../state/selectors';
import { useApp } from './storeContext';

const LockedContext = createContext(false);

/**
 * Whether the settings are locked because a run is under way, for every settings panel at
 * once. One component reads the run's status, and hands the panels a deferred copy: starting
 * or ending a run re-renders every setting (each field locks or unlocks), and as a deferred
 * update React does that in a background render that yields to the browser, instead of one
 * long task in the flush that ends a run or in the task that starts one (issue 10). The
 * panels lock a frame or two after the run has started; the run already has its settings.
 */
export function LockedProvider({ children }: { children: ReactNode }) {
  const locked = useDeferredValue(useApp((s) => isBusy(s.status)));
  return <LockedContext.Provider value={locked}>{children}</LockedContext.Provider>;
}

/** True while a run is under way: the settings panels disable their fields. */
export function useLocked(): boolean {
  return useContext(LockedContext);
}
