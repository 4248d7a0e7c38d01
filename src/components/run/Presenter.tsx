import { useApp } from '../storeContext';
import { SHORTCUTS } from './shortcuts';

/** The header's "Presenter view" toggle (also `?present=1`). */
export function PresenterToggle() {
  const presenting = useApp((s) => s.presenting);
  const setPresenting = useApp((s) => s.setPresenting);
  return (
    <button
      type="button"
      className="presenter-toggle"
      aria-pressed={presenting}
      onClick={() => {
        setPresenting(!presenting);
        // Into the presenter view, focus goes to the run bar, so Space and Escape act on the run
        // (on this button, Space would press it again).
        if (!presenting) requestAnimationFrame(() => document.querySelector<HTMLElement>('.run-panel')?.focus());
      }}
    >
      Presenter view
    </button>
  );
}

/**
 * The keyboard shortcuts, listed in the presenter view: a named list (a name on a <p> is not
 * allowed, so screen readers may drop it; axe: aria-prohibited-attr).
 */
export function ShortcutsLine() {
  return (
    <ul className="shortcuts" aria-label="Keyboard shortcuts">
      {SHORTCUTS.map((s) => (
        <li key={s.key}>
          <kbd>{s.key}</kbd> {s.what}
        </li>
      ))}
    </ul>
  );
}
