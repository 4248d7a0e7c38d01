/**
 * The saved-model file format (tfjs Layers format: `model.json` + `weights.bin`) read and
 * checked without tfjs and without allocating anything: parse, validate the manifest and the
 * byte counts (./manifest), turn a tfjs/Keras topology into our ModelSpec (./topology), and
 * compare saved weight shapes with the shapes a ModelSpec needs (./weightPlan). Pure, so the
 * page, the worker and Node tests share it; `../io.ts` does the tfjs parts (export, build,
 * set weights).
 */
export { ModelFileError } from './error';
export * from './manifest';
export * from './topology';
export * from './weightPlan';
