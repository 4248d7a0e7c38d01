/**
 * The worker's side of saving and loading models: export the current experiment's files,
 * load files as a new experiment, carry weights into a new run. Logic lives in
 * core/model/{io,loadFiles}.ts; this file adds only the backend choice.
 */
import type { Experiment } from '../core/experiment';
import { carryProblem, carryWeights, exportModel, metaFor, snapshotWeights } from '../core/model/io';
import { materializeLoad, planLoad } from '../core/model/loadFiles';
import type { ExperimentConfig } from '../core/training/config';
import type { LoadModelRequest } from '../protocol/messages';
import type { Backends, GetDataset } from './sessionDeps';

/** model.json as text and weights.bin as bytes, with what the saved list shows. */
export async function exportFiles(exp: Experiment) {
  const { modelJson, weights } = await exportModel(exp.model, metaFor(exp));
  return { modelJson: JSON.stringify(modelJson), weights, params: exp.model.countParams(), datasetName: exp.dataset.name };
}

/** Checks the files (allocating nothing), picks a backend, then builds the loaded model. */
export async function loadFiles(
  msg: LoadModelRequest,
  { getDataset, selectBackend, wasmThreads }: { getDataset: GetDataset; selectBackend: Backends['selectBackend']; wasmThreads?: number },
): Promise<{ exp: Experiment; config: ExperimentConfig; notes: string[]; params: number }> {
  const planned = await planLoad(msg, getDataset);
  const { config, dataset } = planned;
  await selectBackend(config.backend, config.model, dataset.shape, dataset.classNames.length, { wasmThreads });
  return { exp: materializeLoad(planned), config, notes: planned.notes, params: planned.plan.params };
}

/** The current model's weights as plain bytes, safe to keep across a backend switch. */
export function takeWeights(exp: Experiment | null | undefined) {
  return exp ? snapshotWeights(exp.model).catch(() => null) : Promise.resolve(null);
}

/** Starts `exp` from carried weights ("train further"); names the first layer that differs. */
export function continueFrom(snapshot: Awaited<ReturnType<typeof takeWeights>>, exp: Experiment): void {
  if (!snapshot) {
    throw new Error('There is no trained or loaded model to continue from. Press Train to start from new weights.');
  }
  carryWeights(snapshot, exp.model, exp.config.model, exp.dataset);
}

/** Why "train further" with `config` must be refused now (no model, busy, other layers), or null. */
export function carryRefusal(current: { exp: Experiment | null; busy: boolean } | null, config: ExperimentConfig): string | null {
  if (!current?.exp) return 'There is no trained or loaded model to continue from. Untick "Train further" to start from new weights.';
  if (current.busy) return null; // a run in progress is stopped first; startRun checks its weights then
  return carryProblem(current.exp.config.model, config.model, current.exp.dataset);
}
