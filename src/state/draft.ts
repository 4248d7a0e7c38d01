/**
 * Keeps the experiment being edited (settings, layer stack, preset) across reloads: restored
 * into the store before the address is applied (so `?seed=`, `?lesson=` and a `?exp=` link
 * still win over it: a link is previewed against the restored settings, and Cancel keeps
 * them), and written back shortly after each change. The storage is given (localStorage in
 * the app, a Map in tests); a storage that throws (private windows, a full quota) only means
 * the settings are not kept.
 */
import { DRAFT_KEY, decodeDraft, encodeDraft } from '../core/share/draft';
import { datasetRefFor } from '../core/share/openExperiment';
import type { AppStore } from './store';

/** The part of the Web Storage API the draft uses. */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

type Warn = (message: string) => void;

/**
 * Puts the stored draft into the store; true when there was one. A draft that cannot be read
 * is removed, with a warning on the console, and the defaults stay.
 */
export function restoreDraft(store: AppStore, storage: DraftStorage | null, warn: Warn = console.warn): boolean {
  let text: string | null;
  try {
    text = storage?.getItem(DRAFT_KEY) ?? null;
  } catch {
    return false; // storage refused (a privacy setting): start from the defaults
  }
  if (text === null) return false;
  const read = decodeDraft(text);
  if (!read.ok) {
    warn(`${read.problem} They were discarded: the app starts from the chapter's defaults.`);
    try {
      storage?.removeItem(DRAFT_KEY);
    } catch {
      // nothing more to do
    }
    return false;
  }
  store.setState({ config: read.draft.config, presetId: read.draft.presetId });
  return true;
}

export interface DraftKeeper {
  /** Writes a pending change now (the page is being hidden or unloaded). */
  flush(): void;
  stop(): void;
}

/** Writes the draft `delayMs` after the last change of the settings or the preset. */
export function keepDraft(store: AppStore, storage: DraftStorage | null, delayMs = 300): DraftKeeper {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const write = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const s = store.getState();
    const text = encodeDraft(s.config, s.presetId, datasetRefFor(s.config.datasetId, s.importedDatasets));
    if (text === null) return; // a box holds no number yet: the last complete settings stay
    try {
      storage?.setItem(DRAFT_KEY, text);
    } catch {
      // quota full or storage refused: the settings are not kept, nothing else breaks
    }
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.config === prev.config && s.presetId === prev.presetId) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(write, delayMs);
  });
  return {
    flush: () => {
      if (timer !== null) write();
    },
    stop: () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      unsubscribe();
    },
  };
}
