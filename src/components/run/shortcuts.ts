/**
 * Keyboard shortcuts for a teacher at the projector: Space trains, pauses or resumes; Escape
 * stops; N runs a lesson's next step. Keys typed into a field or pressed on a button are left alone (Space there types or
 * clicks). Pure decision, so it is unit-tested; `useShortcuts` wires it to the document.
 */
import type { RunStatus } from '../../state/runSlice';

export type ShortcutAction = 'train' | 'pause' | 'resume' | 'stop' | 'next' | null;

/** The shortcuts as the presenter view lists them. */
export const SHORTCUTS: readonly { key: string; what: string }[] = [
  { key: 'Space', what: 'train, pause or resume' },
  { key: 'Esc', what: 'stop' },
  { key: 'N', what: 'next lesson step' },
];

const TYPING = new Set(['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON', 'A', 'SUMMARY']);

export function shortcutAction(
  key: string,
  target: { tagName?: string; isContentEditable?: boolean } | null,
  modifiers: { ctrl: boolean; alt: boolean; meta: boolean },
  status: RunStatus,
  canTrain: boolean,
  canNext = false,
): ShortcutAction {
  if (modifiers.ctrl || modifiers.alt || modifiers.meta) return null;
  if (target && (TYPING.has(target.tagName ?? '') || target.isContentEditable)) return null;
  if (key === ' ') {
    if (status === 'training') return 'pause';
    if (status === 'paused') return 'resume';
    if (status === 'preparing' || status === 'evaluating') return null;
    return canTrain ? 'train' : null;
  }
  if (key === 'n' || key === 'N') return canNext ? 'next' : null;
  if (key === 'Escape') return status === 'training' || status === 'paused' || status === 'preparing' ? 'stop' : null;
  return null;
}
