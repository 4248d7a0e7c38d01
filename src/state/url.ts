/**
 * Reads and writes the settings the URL may carry. No side effects: it validates every key
 * and returns messages for the ones it ignored, never throwing on bad input.
 */
import type { BackendChoice, ExperimentConfig } from '../core/training/config';

const BACKENDS: BackendChoice[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

export interface UrlSettings {
  patch: Partial<ExperimentConfig>;
  warnings: string[];
}

/** `?seed=7&backend=wasm` -> a config patch, plus a warning per value that was ignored. */
export function parseUrl(search: string): UrlSettings {
  const params = new URLSearchParams(search);
  const patch: Partial<ExperimentConfig> = {};
  const warnings: string[] = [];
  const seed = params.get('seed');
  if (seed !== null) {
    const n = Number(seed);
    if (seed.trim() !== '' && Number.isInteger(n) && n >= 0 && n <= 2 ** 31) patch.seed = n;
    else warnings.push(`The seed "${seed}" in the address is not a whole number from 0 to 2147483648, so it was ignored.`);
  }
  const backend = params.get('backend');
  if (backend !== null) {
    if ((BACKENDS as string[]).includes(backend)) patch.backend = backend as BackendChoice;
    else warnings.push(`The backend "${backend}" in the address is unknown (use ${BACKENDS.join(', ')}), so it was ignored.`);
  }
  return { patch, warnings };
}

/** The query string for `config`'s URL-visible settings, keeping unrelated parameters. */
export function writeUrl(search: string, config: Pick<ExperimentConfig, 'seed'>): string {
  const params = new URLSearchParams(search);
  params.set('seed', String(config.seed));
  return `?${params.toString()}`;
}
