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

/** The keyboard shortcuts, listed in the presenter view. */
export function ShortcutsLine() {
  return (
    <p className="shortcuts" aria-label="Keyboard shortcuts">
      {SHORTCUTS.map((s) => (
        <span key={s.key}>
          <kbd>{s.key}</kbd> {s.what}
        </span>
      ))}
    </p>
  );
}
