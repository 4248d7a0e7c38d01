/**
 * The stages a run goes through before its first batch, each with a time limit, and the words
 * a learner reads when one runs past its limit or has to be cut short. Pure: the training
 * client enforces the limits (it can end a worker stuck in a step that cannot be interrupted),
 * the worker names the stage it is in.
 */
import { formatCount, formatLarge } from '../format';
import type { ModelFacts } from '../model/cost';
import { formatShape } from '../model/layers';

/** What a run does before its first batch, in order. */
export type PrepStage = 'checkpoint' | 'dataset' | 'backend' | 'upload' | 'build' | 'firstStep';

/**
 * How long each stage may take, ms. Generous: on a 2-core test machine running two browsers
 * the chapter's models need under 5 s per stage (the first WebGL or WebGPU step, compiling its
 * shaders, up to about 10 s); a stage past its limit is not going to finish in a time a
 * learner waits for. The dataset may come over a slow network. (The wasm thread counts are
 * no stage: they are timed after a run, never before one; see worker/backend.)
 */
export const STAGE_LIMITS_MS: Record<PrepStage, number> = {
  checkpoint: 60_000,
  dataset: 120_000,
  backend: 60_000,
  upload: 60_000,
  build: 45_000,
  firstStep: 60_000,
};

/** What each stage does, as the status line and the messages say it. */
export const STAGE_TEXT: Record<PrepStage, { doing: string; what: string }> = {
  checkpoint: { doing: 'Loading the checkpoint', what: 'loading the checkpoint from the browser\'s storage' },
  dataset: { doing: 'Loading the dataset', what: 'loading the dataset' },
  backend: { doing: 'Choosing a backend', what: 'starting the backend and running a test training step of the model on it' },
  upload: { doing: 'Preparing the data on the device', what: 'copying the training images to the device' },
  build: { doing: 'Building the model', what: 'creating the model\'s layers and their weights' },
  firstStep: { doing: 'Training the first batch', what: 'the first training step, which also compiles the device\'s kernels' },
};

/** Stages whose time grows with the model (the others depend on the data or the storage). */
const MODEL_BOUND: ReadonlySet<PrepStage> = new Set(['backend', 'build', 'firstStep']);

/** The model's figures in words: "35,849,226 parameters; Layer 2 (Conv2D) needs 24.9 billion multiply-adds per image". */
export function describeModelCost(facts: ModelFacts): string {
  const parts = [`the model has ${formatCount(facts.params)} parameters`];
  const h = facts.heaviest;
  if (h) {
    parts.push(
      `${h.title} alone needs ${formatLarge(h.multiplyAdds)} multiply-adds per image (its output is ${formatShape(h.outputShape)}), ` +
        `of ${formatLarge(facts.multiplyAdds)} for the whole model`,
    );
  }
  const l = facts.largest;
  if (l && l !== h && l.title !== h?.title) parts.push(`${l.title} holds the most weights (${formatCount(l.params)})`);
  return parts.join('; ');
}

/** What to change so a model-bound stage gets faster, aimed at the heaviest layer. */
function modelAdvice(facts: ModelFacts | null): string {
  const h = facts?.heaviest;
  if (!h) return 'Use a smaller model (a preset is a good start), or fewer training examples, then train again.';
  const fix =
    h.type === 'conv2d'
      ? `give ${h.title} fewer filters or a smaller kernel, or add a MaxPooling2D layer before it`
      : `give ${h.title} fewer units, or add a MaxPooling2D layer before Flatten`;
  return `To make it fit, ${fix} (a preset is a good start), then train again.`;
}

/** Why the stage's time depends on what it does, and what to do. */
function stageAdvice(stage: PrepStage, facts: ModelFacts | null): string {
  if (MODEL_BOUND.has(stage)) {
    const cost = facts ? ` It was likely slow because of the model's size: ${describeModelCost(facts)}.` : '';
    return `${cost} ${modelAdvice(facts)}`;
  }
  if (stage === 'dataset') {
    return ' The download may be slow or stalled: check the connection (or pick another dataset), then train again.';
  }
  if (stage === 'upload') {
    const cost = facts ? ` (${describeModelCost(facts)})` : '';
    return ` The device may be short of memory${cost}: lower the number of training examples or the batch size, or pick the wasm backend, then train again.`;
  }
  return ' The browser\'s storage answered too slowly: reload the page, then resume the checkpoint again.';
}

const KEPT = 'Your layers and settings are kept.';

/**
 * The message for a stage that ran past its limit: which stage, that it was stopped (and the
 * worker restarted), why it was likely slow, and what to do.
 */
export function stageTimeoutMessage(stage: PrepStage, limitMs: number, facts: ModelFacts | null): string {
  const { doing, what } = STAGE_TEXT[stage];
  return (
    `${doing} (${what}) took longer than ${Math.round(limitMs / 1000)} s, so the run was stopped and the training worker restarted.` +
    `${stageAdvice(stage, facts)} ${KEPT}`
  );
}

/**
 * The message for a Stop that the worker could not answer at once: it was inside a step that
 * cannot be interrupted, so it was restarted.
 */
export function stopRestartMessage(stage: PrepStage | null, facts: ModelFacts | null): string {
  const during = stage ? ` during "${STAGE_TEXT[stage].doing}"` : ' before the run had started';
  const slow = stage && MODEL_BOUND.has(stage) && facts ? ` (${describeModelCost(facts)})` : '';
  return (
    `Stopped${during}: that step cannot be interrupted${slow}, so the training worker was restarted, ` +
    `which takes a second or two. ${KEPT}`
  );
}
