/**
 * Reads and writes the settings the URL may carry. No side effects: it validates every key
 * and returns messages for the ones it ignored, never throwing on bad input.
 */
import type { BackendChoice, ExperimentConfig } from '../core/training/config';
import { MAX_WASM_THREADS } from '../core/training/threadChoice';
import { LESSONS, lessonById } from '../core/lessons/catalog';

const BACKENDS: BackendChoice[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

export interface UrlSettings {
  patch: Partial<ExperimentConfig>;
  /** `?threads=N`: the wasm backend's thread count, for the worker (not a run setting). */
  threads?: number;
  /** `?present=1`: open in the presenter view (charts and run controls for a projector). */
  present?: boolean;
  /** `?lesson=ID`: open this lesson. */
  lesson?: string;
  /** `?quick=1` with a lesson: its quick version (about half the time). */
  quick?: boolean;
  /** `?exp=…`: an experiment to preview before it replaces the settings (core/share/codec). */
  experiment?: string;
  warnings: string[];
}

/**
 * `?seed=7&backend=wasm&threads=2` -> a config patch and a thread count, plus a warning per
 * value that was ignored. `threads=auto` is the default: the worker measures.
 */
/** A value from the address as shown in a warning: at most 40 characters (a link may carry kilobytes). */
function shown(value: string): string {
  return value.length > 40 ? `${value.slice(0, 37)}…` : value;
}

export function parseUrl(search: string): UrlSettings {
  const params = new URLSearchParams(search);
  const patch: Partial<ExperimentConfig> = {};
  const warnings: string[] = [];
  const seed = params.get('seed');
  if (seed !== null) {
    const n = Number(seed);
    if (seed.trim() !== '' && Number.isInteger(n) && n >= 0 && n <= 2 ** 31) patch.seed = n;
    else warnings.push(`The seed "${shown(seed)}" in the address is not a whole number from 0 to 2147483648, so it was ignored.`);
  }
  const backend = params.get('backend');
  if (backend !== null) {
    if ((BACKENDS as string[]).includes(backend)) patch.backend = backend as BackendChoice;
    else warnings.push(`The backend "${shown(backend)}" in the address is unknown (use ${BACKENDS.join(', ')}), so it was ignored.`);
  }
  const threads = params.get('threads');
  let threadCount: number | undefined;
  if (threads !== null && threads !== 'auto') {
    const n = Number(threads);
    if (threads.trim() !== '' && Number.isInteger(n) && n >= 1 && n <= MAX_WASM_THREADS) threadCount = n;
    else {
      warnings.push(
        `The thread count "${shown(threads)}" in the address is not a whole number from 1 to ${MAX_WASM_THREADS} (or auto), so it was ignored: the fastest count is measured instead.`,
      );
    }
  }
  /** An on/off parameter (1/true, 0/false); anything else is named in a warning and ignored. */
  const flag = (name: string): boolean | undefined => {
    const v = params.get(name);
    if (v === null) return undefined;
    if (v === '1' || v === 'true') return true;
    if (v === '0' || v === 'false') return false;
    warnings.push(`"${name}=${shown(v)}" in the address is not 1 or 0, so it was ignored.`);
    return undefined;
  };
  const presentView = flag('present');
  const lesson = params.get('lesson');
  let lessonId: string | undefined;
  if (lesson !== null) {
    if (lessonById(lesson)) lessonId = lesson;
    else warnings.push(`There is no lesson "${shown(lesson)}" (the lessons are: ${LESSONS.map((l) => l.id).join(', ')}), so none was opened.`);
  }
  const quickLesson = flag('quick');
  // Read (inflated, checked) by the share slice, which shows it before applying it.
  const experiment = params.get('exp');
  return {
    patch,
    ...(experiment ? { experiment } : {}),
    ...(lessonId !== undefined ? { lesson: lessonId } : {}),
    ...(quickLesson !== undefined ? { quick: quickLesson } : {}),
    ...(threadCount !== undefined ? { threads: threadCount } : {}),
    ...(presentView !== undefined ? { present: presentView } : {}),
    warnings,
  };
}

/** The query string for `config`'s URL-visible settings, keeping unrelated parameters. */
export function writeUrl(search: string, config: Pick<ExperimentConfig, 'seed'>): string {
  const params = new URLSearchParams(search);
  params.set('seed', String(config.seed));
  return `?${params.toString()}`;
}
