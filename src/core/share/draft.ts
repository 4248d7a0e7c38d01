/**
 * The experiment being edited, kept across reloads (issue 14: a reload once put the default
 * MLP back in place of the learner's layer stack). Stored as the text `encodeDraft` writes —
 * an experiment document (./codec, the same schema as a file or a link) plus the two things a
 * document does not hold: the dataset's local id and the preset the stack came from — and
 * read back through `readExperiment`, so a draft of an older version is migrated, a field
 * added since is set to its default, and a damaged one is refused with a sentence. Pure.
 */
import type { ExperimentConfig } from '../training/config';
import { configOf, readExperiment, toDocument } from './codec';
import { isPlain } from './migrate';
import type { DatasetRef } from './experimentSchema';
import { checkAll } from '../schema/check';
import { experimentSchema } from './experimentSchema';

/** The key the draft is kept under (localStorage). */
export const DRAFT_KEY = 'training-playground/experiment-draft';
/** The draft's own version (the experiment inside carries the experiment's). */
export const DRAFT_VERSION = 1;

export interface Draft {
  config: ExperimentConfig;
  presetId: string;
}

export type ReadDraft = { ok: true; draft: Draft; notes: string[] } | { ok: false; problem: string };

const WHAT = 'The settings kept from your last visit';

/**
 * The text to store for `config`, or null when it cannot be stored as it is: a field that
 * holds no number yet (a box being typed in is NaN) — then the last complete settings stay
 * stored, and the box keeps what was typed until it is a number.
 */
export function encodeDraft(config: ExperimentConfig, presetId: string, dataset: DatasetRef): string | null {
  const experiment = toDocument(config, dataset);
  if (!checkAll(experimentSchema, experiment, WHAT).ok) return null;
  return JSON.stringify({ v: DRAFT_VERSION, datasetId: config.datasetId, presetId, experiment });
}

/** Stored text -> the draft, or why it cannot be used (then the defaults are). */
export function decodeDraft(text: string): ReadDraft {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, problem: `${WHAT} are not JSON (the stored text was cut off or changed).` };
  }
  if (!isPlain(raw) || raw.v !== DRAFT_VERSION) {
    return { ok: false, problem: `${WHAT} are not in a format this version of the app reads.` };
  }
  const { datasetId, presetId } = raw;
  if (typeof datasetId !== 'string' || datasetId.length === 0 || datasetId.length > 200) {
    return { ok: false, problem: `${WHAT}: the dataset id is missing or not valid.` };
  }
  if (typeof presetId !== 'string' || presetId.length > 100) {
    return { ok: false, problem: `${WHAT}: the preset id is not valid.` };
  }
  const read = readExperiment(raw.experiment, WHAT);
  if (!read.ok) return { ok: false, problem: read.details ? `${read.problem} ${read.details.join(' ')}` : read.problem };
  return { ok: true, draft: { config: configOf(read.doc, datasetId), presetId }, notes: read.notes };
}
