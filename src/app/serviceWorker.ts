/**
 * The app's service worker (made by vite-plugin-pwa, see `offline()` in vite.config.ts),
 * registered once from main.tsx after the page has loaded, and what it has to say: the app
 * is stored for offline use (first visit), or a new version is waiting. Registered here, not
 * in a component: React may render a component more than once before keeping it (the first
 * render is a transition), and a second registration lost the first one's events.
 */
import { useSyncExternalStore } from 'react';
import { registerSW } from 'virtual:pwa-register';

export interface ServiceWorkerNews {
  /** A new version is installed and waits for `applyUpdate()`. */
  needRefresh: boolean;
  /** First install done: the app now opens without a network connection. */
  offlineReady: boolean;
}

let news: ServiceWorkerNews = { needRefresh: false, offlineReady: false };
const listeners = new Set<() => void>();
let update: ((reload?: boolean) => Promise<void>) | null = null;

function patch(p: Partial<ServiceWorkerNews>) {
  news = { ...news, ...p };
  for (const l of listeners) l();
}

export function startServiceWorker(): void {
  if (update || !('serviceWorker' in navigator)) return;
  update = registerSW({
    immediate: false,
    onNeedRefresh: () => patch({ needRefresh: true }),
    onOfflineReady: () => patch({ offlineReady: true }),
  });
}

/** Lets the waiting version take over; the page reloads into it. */
export function applyUpdate(): void {
  void update?.(true);
}

export function dismissNews(which: keyof ServiceWorkerNews): void {
  patch({ [which]: false });
}

export function useServiceWorkerNews(): ServiceWorkerNews {
  return useSyncExternalStore(
    (l) => (listeners.add(l), () => void listeners.delete(l)),
    () => news,
  );
}
