/**
 * "Export PyTorch script": one standalone Python file that trains the current experiment in
 * PyTorch (CPU, CUDA, or many GPUs under torchrun). The script's code is `./template.py`,
 * written once and tested (pytorch.test.ts); this module only fills in the experiment, what
 * the app knows about its dataset, and the app's defaults (from the app's own tables, so they
 * never drift). Pure: no DOM, runs in Node tests and in the page.
 */
import template from './template.py?raw';
import type { ExperimentDocument } from '../share/experimentSchema';
import { OPTIMIZER_CATALOG, OPTIMIZER_IDS } from '../optimizers/catalog';
import { defaultParams, SCHEDULE_IDS } from '../schedules/schedules';
import { isSyntheticDatasetId, SYNTHETIC_DATASETS } from '../data/shapes';

/** The name the download gets. */
export const PYTORCH_SCRIPT_NAME = 'train_pytorch.py';

/** What the script needs to know about the dataset besides the files it reads. */
export interface ExportDataset {
  /** The app's id of a built-in dataset ("mnist"); absent for an imported one. */
  id?: string;
  name: string;
  /** [height, width, channels] of one image. */
  shape: readonly number[];
  /** Class names in label order (a folder of images is matched to them by name). */
  classNames: readonly string[];
}

export type ExportResult = { ok: true; name: string; text: string } | { ok: false; problem: string };

/** The app's defaults the script falls back on for settings an experiment leaves out. */
function defaults() {
  return {
    optimizers: Object.fromEntries(OPTIMIZER_IDS.map((id) => [id, { ...OPTIMIZER_CATALOG[id].defaults }])),
    schedules: Object.fromEntries(SCHEDULE_IDS.map((id) => [id, defaultParams(id)])),
  };
}

/** JSON for a raw triple-quoted Python string: JSON escapes every quote in a string, so `"""` cannot occur. */
function pythonJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2);
  if (text.includes('"""')) throw new Error('Internal error: the experiment could not be embedded in the script.');
  return text;
}

const fill = (text: string, marker: string, value: string) => text.split(marker).join(value);

/** Why `doc` cannot become a script (a dataset with no files to read), in a sentence, or null. */
export function exportProblem(doc: ExperimentDocument): string | null {
  if (doc.dataset.kind === 'builtin' && isSyntheticDatasetId(doc.dataset.id)) {
    const name = SYNTHETIC_DATASETS[doc.dataset.id]?.name ?? doc.dataset.id;
    return (
      `${name} is drawn by the app in the browser, so there are no files for the script to read. ` +
      'Pick MNIST, Fashion-MNIST or an imported image folder (the script reads IDX files or class folders), then export again.'
    );
  }
  return null;
}

/**
 * The Python script for `doc` on `dataset`, or why there can be none (a dataset the script
 * cannot read), in a sentence for the learner.
 */
export function pytorchScript(doc: ExperimentDocument, dataset: ExportDataset): ExportResult {
  const problem = exportProblem(doc);
  if (problem) return { ok: false, problem };
  const title = `Training Playground experiment on ${dataset.name}: ${describe(doc)}`.replace(/\s+/g, ' ');
  let text = template;
  text = fill(text, '__TITLE__', title.replace(/"""/g, "'''").replace(/\\/g, '/'));
  text = fill(text, '__SCRIPT__', PYTORCH_SCRIPT_NAME);
  text = fill(text, '__EXPERIMENT__', pythonJson(doc));
  text = fill(
    text,
    '__DATASET__',
    pythonJson({ ...(doc.dataset.kind === 'builtin' ? { id: doc.dataset.id } : {}), name: dataset.name, shape: [...dataset.shape], classNames: [...dataset.classNames] }),
  );
  text = fill(text, '__DEFAULTS__', pythonJson(defaults()));
  return { ok: true, name: PYTORCH_SCRIPT_NAME, text };
}

/** "4 layers, adam lr 0.001, batch 32, 10 epochs, seed 42": the docstring's first line. */
function describe(doc: ExperimentDocument): string {
  const c = doc.config;
  return `${c.model.layers.length} layers, ${c.optimizer} lr ${c.learningRate}, batch ${c.batchSize}, ${c.epochs} epochs, seed ${c.seed}`;
}
