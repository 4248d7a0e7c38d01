import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { AppState, AppStore } from '../state/store';

/** The store, provided once by app/App.tsx. */
export const StoreContext = createContext<AppStore | null>(null);

/** Reads a narrow slice of app state; re-renders only when that slice changes. */
export function useApp<T>(selector: (s: AppState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useApp must be used inside <StoreContext.Provider>.');
  return useStore(store, selector);
}
