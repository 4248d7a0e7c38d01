/**
 * The chapter's stories as one-click lessons (../../../shared/spec/CHAPTER.md): each sets
 * everything up, says in a few sentences what to watch, runs its sequence of runs into the
 * comparison view, and then says what happened in numbers against what the chapter says.
 * Sized for at most about 3 minutes on wasm on a 2-core laptop. Pure data and judging
 * functions: the store runs the steps, Node tests judge real runs of them.
 */
import type { ExperimentConfig } from '../training/config';
import type { RunEpoch, RunOutcome, RunRecord } from '../runs/record';
import { batchesAvailable } from '../training/epochSettings';
import type { TrainEvent } from '../callbacks/types';
import type { LayerSpec } from '../model/types';
import { presetSpec } from '../model/presets';
import { addAfterEach } from '../model/edit';
import { defaultEarlyStopping } from '../callbacks/settings';
import { DEFAULT_AUGMENTATION } from '../augment/settings';
import { formatCount } from '../format';

export type LessonId =
  | 'batches'
  | 'one-hot'
  | 'scaling'
  | 'overfitting'
  | 'deep-network'
  | 'learning-rate'
  | 'optimizers'
  | 'early-stopping'
  | 'invariance'
  | 'data-on-disk'
  | 'save-restore';

/**
 * One run of a lesson: its name in the comparison, its settings on top of the lesson's, and
 * how it starts: from fresh weights (the default); from the previous run's model, saved in
 * the browser, loaded back and scored on the test set first ('restoredModel': "train
 * further", the optimizer starts afresh); or resumed from the first run's checkpoint of epoch
 * `resumeEpoch` ('resumedCheckpoint': weights, optimizer state and epoch count come back).
 */
export interface LessonStep {
  name: string;
  patch: Partial<ExperimentConfig>;
  start?: 'fresh' | 'restoredModel' | 'resumedCheckpoint';
  resumeEpoch?: number;
}

/** What a lesson did besides its runs, for its verdict. */
export interface LessonContext {
  /** The sample dataset the lesson imported (data on disk). */
  imported?: { name: string; trainCount: number; testCount: number; classes: number; shape: number[]; skipped: string[] };
  /** The saved model, loaded back, scored on the test set before training further. */
  restoredTest?: { loss: number; acc: number };
}

/** What a finished step left: enough to judge the lesson. */
export interface StepResult {
  name: string;
  epochs: RunEpoch[];
  test: { loss: number; acc: number } | null;
  outcome: RunOutcome;
  events: TrainEvent[];
  /** Batches per epoch the run made (updates per epoch). */
  batchesPerEpoch: number;
}

export interface Verdict {
  /** What happened, in numbers. */
  text: string;
  /** Whether the runs show what the chapter says (the direction of the effect). */
  asChapterSays: boolean;
}

export interface Lesson {
  id: LessonId;
  title: string;
  /** The chapter section it tells. */
  section: string;
  /** 2–4 sentences: what to watch. */
  watch: string;
  /** The settings every step starts from (on top of the chapter's defaults). */
  setup: Partial<ExperimentConfig>;
  /**
   * The quick version's changes to `setup` (fewer examples, sometimes fewer epochs): about
   * half the time for a slow laptop, the effect smaller but still in the chapter's direction.
   * Absent: the lesson is already as short as it can be and still show its effect.
   */
  quick?: Partial<ExperimentConfig>;
  steps: LessonStep[];
  /** A sample dataset shipped in public/ that the lesson imports first (as a learner would). */
  sample?: { path: string; name: string };
  judge(results: StepResult[], context: LessonContext): Verdict;
}

const pct = (v: number | undefined | null) => (v === undefined || v === null || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(1)}%`);
const last = (r: StepResult) => r.epochs.at(-1);
const finalAcc = (r: StepResult) => last(r)?.acc ?? 0;
const finalVal = (r: StepResult) => last(r)?.val_acc ?? 0;
const said = (ok: boolean, yes: string, no: string) => (ok ? `${yes}, as the chapter says.` : `${no}: this time the runs did not show what the chapter says (try again with another seed or more examples).`);

const mlp = () => presetSpec('mlp', 10);
/** The MLP with Dropout(0.5) after each hidden layer (one before the output alone barely helps here). */
const withDropout = (): { layers: LayerSpec[] } => ({
  layers: mlp().layers.flatMap((l): LayerSpec[] =>
    l.type === 'dense' && l.activation !== 'softmax' ? [l, { type: 'dropout', rate: 0.5 }] : [l],
  ),
});
const noCheckpoints = { checkpoints: undefined } as Partial<ExperimentConfig>;

/** The first epoch (1-based) whose training accuracy reaches `level`, or null. */
export function epochReaching(epochs: readonly RunEpoch[], level: number): number | null {
  return epochs.find((e) => e.acc >= level)?.epoch ?? null;
}

export const LESSONS: readonly Lesson[] = [
  {
    id: 'scaling',
    title: 'Input scaling: raw, normalized, standardized',
    section: '3. Input scaling',
    watch:
      'The same network trains three times: on raw pixels (0–255), on pixels divided by 255, and standardized with the ' +
      'training split’s mean and standard deviation. Watch the first epoch: raw pixels start with a huge loss and climb ' +
      'more slowly; scaled inputs are ahead from the start.',
    setup: { ...noCheckpoints, trainingExamples: 6000, epochs: 3, batchSize: 32, validationSplit: 0.1, model: mlp() },
    quick: { trainingExamples: 3000 },
    steps: [
      { name: 'raw pixels', patch: { preprocessing: 'raw' } },
      { name: 'normalize [0,1]', patch: { preprocessing: 'normalize' } },
      { name: 'standardize', patch: { preprocessing: 'standardize' } },
    ],
    judge([raw, norm, std]) {
      const r = raw!.epochs[0]?.acc ?? 0;
      const n = norm!.epochs[0]?.acc ?? 0;
      const s = std!.epochs[0]?.acc ?? 0;
      const ok = n > r && s > r && finalAcc(raw!) > 0.5;
      return {
        asChapterSays: ok,
        text:
          `After epoch 1 the training accuracy was ${pct(n)} normalized, ${pct(s)} standardized and ${pct(r)} on raw pixels; ` +
          `after epoch ${raw!.epochs.length}: ${pct(finalAcc(norm!))}, ${pct(finalAcc(std!))} and ${pct(finalAcc(raw!))}. ` +
          said(ok, 'Raw pixels learn, only more slowly', 'Raw pixels were not slower here'),
      };
    },
  },
  {
    id: 'batches',
    title: 'Batches and epochs: stochastic, mini-batch and batch gradient descent',
    section: '1. Batches and epochs; 7. Batch size',
    watch:
      'Three runs see the same examples for the same two epochs, but update the weights after every example (batch 1), ' +
      'after every 32, or once per epoch (the whole training set as one batch). Watch how many steps each makes and how far ' +
      'each gets: one update per epoch barely moves.',
    setup: { ...noCheckpoints, trainingExamples: 2000, epochs: 2, validationSplit: 0.1, model: mlp(), optimizer: 'sgd', learningRate: 0.01 },
    steps: [
      { name: 'batch 1 (stochastic)', patch: { batchSize: 1 } },
      { name: 'batch 32 (mini-batch)', patch: { batchSize: 32 } },
      { name: 'batch 1800 (batch GD)', patch: { batchSize: 1800 } },
    ],
    judge([sgd, mini, full]) {
      const ok = finalAcc(sgd!) > finalAcc(full!) && finalAcc(mini!) > finalAcc(full!);
      return {
        asChapterSays: ok,
        text:
          `Per epoch, batch 1 made ${formatCount(sgd!.batchesPerEpoch)} updates, batch 32 made ${mini!.batchesPerEpoch}, ` +
          `and batch gradient descent ${full!.batchesPerEpoch}. After ${sgd!.epochs.length} epochs their training accuracy was ` +
          `${pct(finalAcc(sgd!))}, ${pct(finalAcc(mini!))} and ${pct(finalAcc(full!))}. ` +
          said(ok, 'More updates per epoch get further in the same epochs (at a cost in time per epoch and a noisier curve)', 'Batch gradient descent kept up here'),
      };
    },
  },
  {
    id: 'one-hot',
    title: 'The one-hot mistake: categorical vs sparse cross-entropy',
    section: '2. Splitting data, labels and one-hot encoding',
    watch:
      'Categorical cross-entropy needs one-hot targets ([0,0,0,1,0,…] for a 3); with integer labels it is the classic ' +
      'error, which the app explains instead of crashing (open the Training settings to see it). The lesson trains the ' +
      'two correct pairings: categorical with one-hot labels, and sparse with integer labels. Watch the two curves: they ' +
      'coincide, because the sparse loss does the one-hot step inside.',
    setup: { ...noCheckpoints, trainingExamples: 3000, epochs: 2, batchSize: 32, validationSplit: 0.1, model: mlp() },
    quick: { trainingExamples: 1500 },
    steps: [
      { name: 'categorical CE, one-hot labels', patch: { loss: 'categoricalCrossentropy', oneHotLabels: true } },
      { name: 'sparse CE, integer labels', patch: { loss: 'sparseCategoricalCrossentropy', oneHotLabels: false } },
    ],
    judge([cat, sparse]) {
      const diffs = cat!.epochs.map((e, i) => Math.abs(e.loss - (sparse!.epochs[i]?.loss ?? Infinity)));
      const maxDiff = Math.max(...diffs);
      const ok = maxDiff < 1e-3 && cat!.epochs.length === sparse!.epochs.length;
      return {
        asChapterSays: ok,
        text:
          `Final training loss ${last(cat!)?.loss.toFixed(4)} with categorical cross-entropy on one-hot labels and ` +
          `${last(sparse!)?.loss.toFixed(4)} with sparse cross-entropy on integer labels (largest difference per epoch ` +
          `${maxDiff.toExponential(1)}). ` +
          said(ok, 'The two losses are the same computation', 'The two runs differ'),
      };
    },
  },
  {
    id: 'overfitting',
    title: 'Overfitting, and Dropout as its cure',
    section: '4. Validation and overfitting',
    watch:
      'A wide network trains for many epochs on only 1,500 examples, with a quarter held out for validation (375 images: ' +
      'enough to see the effect through the noise). Training accuracy climbs towards 100% while validation stalls and ' +
      'validation loss turns up: the marker shows where overfitting begins. The second run adds Dropout(0.5) after each ' +
      'hidden layer: the gap between the curves stays smaller, and overfitting begins later.',
    setup: { ...noCheckpoints, trainingExamples: 2000, epochs: 15, batchSize: 32, validationSplit: 0.25 },
    quick: { epochs: 10 },
    steps: [
      { name: 'no Dropout', patch: { model: mlp() } },
      { name: '+ Dropout 0.5 after each hidden layer', patch: { model: withDropout() } },
    ],
    judge([plain, dropout]) {
      const gap = (r: StepResult) => finalAcc(r) - finalVal(r);
      const lossGap = (r: StepResult) => (last(r)?.val_loss ?? 0) - (last(r)?.loss ?? 0);
      const onset = plain!.events.find((e) => e.kind === 'overfitting');
      const dropOnset = dropout!.events.find((e) => e.kind === 'overfitting');
      const ok = lossGap(dropout!) < lossGap(plain!) && finalAcc(plain!) > finalVal(plain!);
      return {
        asChapterSays: ok,
        text:
          `Without Dropout, training accuracy ended at ${pct(finalAcc(plain!))} and validation at ${pct(finalVal(plain!))} ` +
          `(a gap of ${(gap(plain!) * 100).toFixed(1)} points${onset ? `; overfitting began around epoch ${onset.epoch}` : ''}); ` +
          `validation loss ended ${lossGap(plain!).toFixed(2)} above training loss. With Dropout(0.5) after each hidden layer: ${pct(finalAcc(dropout!))} ` +
          `against ${pct(finalVal(dropout!))}, validation loss ${lossGap(dropout!).toFixed(2)} above${dropOnset ? ` (overfitting from epoch ${dropOnset.epoch})` : ''}. ` +
          said(ok, 'Dropout narrowed the generalization gap', 'Dropout did not narrow the gap here'),
      };
    },
  },
  {
    id: 'deep-network',
    title: 'A deep network: vanishing gradients',
    section: '4. Going deep without stabilisers',
    watch:
      '40 hidden Dense(64) layers with Keras’ default initialization do not train at all: the loss sits at 2.30 = ln 10, ' +
      'the loss of guessing, because the gradients shrink layer by layer until the first layers barely change (a “not ' +
      'learning” marker explains it). The second run puts a BatchNormalization after every Dense layer; the third keeps ' +
      'the layers but only 10 of them. Watch which ones leave 2.30.',
    setup: { ...noCheckpoints, trainingExamples: 3000, epochs: 2, batchSize: 32, validationSplit: 0.1 },
    steps: [
      { name: '40 × Dense 64', patch: { model: presetSpec('deep-mlp', 10) } },
      { name: '+ BatchNorm after each Dense', patch: { model: { layers: addAfterEach(presetSpec('deep-mlp', 10).layers, 'batchNormalization').layers } } },
      { name: '10 × Dense 64', patch: { model: { layers: [...presetSpec('deep-mlp', 10).layers.slice(0, 11), presetSpec('deep-mlp', 10).layers.at(-1)!] } } },
    ],
    judge([plain, bn, shallow]) {
      const stuck = finalAcc(plain!) < 0.2 && plain!.events.some((e) => e.kind === 'notLearning');
      const ok = stuck && finalAcc(shallow!) > 0.6;
      const bnHelped = finalAcc(bn!) > finalAcc(plain!) + 0.1;
      return {
        asChapterSays: ok,
        text:
          `With 40 layers the loss ended at ${last(plain!)?.loss.toFixed(3)} (ln 10 = 2.303) and training accuracy at ` +
          `${pct(finalAcc(plain!))}: chance. With 10 layers: loss ${last(shallow!)?.loss.toFixed(3)}, accuracy ${pct(finalAcc(shallow!))}. ` +
          said(ok, 'Depth alone stops the gradients, the vanishing-gradient problem', 'The depth did not make the difference here') +
          ` With BatchNormalization after every Dense layer the 40 layers reached ${pct(finalAcc(bn!))}` +
          (bnHelped
            ? ': batch normalization let the deep stack learn.'
            : ': in a run this short it does not rescue them (PyTorch with Keras’ defaults measures the same, about 12% after ' +
              '750 steps); it needs far more steps or a larger learning rate, so the chapter’s cure does not show in a few minutes.'),
      };
    },
  },
  {
    id: 'learning-rate',
    title: 'The learning rate: too small, about right, too large, decayed',
    section: '7. Hyperparameters: learning rate and decay',
    watch:
      'Plain SGD trains the same network four times. At 0.00001 the steps are so small the loss barely moves; at 0.01 it ' +
      'falls steadily; at 1.0 each step overshoots: the loss jumps (a spike marker) and may diverge. The last run starts ' +
      'high at 0.1 and decays with a cosine schedule (see the Learning rate chart).',
    setup: { ...noCheckpoints, trainingExamples: 3000, epochs: 3, batchSize: 32, validationSplit: 0.1, model: mlp(), optimizer: 'sgd' },
    quick: { trainingExamples: 1500 },
    steps: [
      { name: 'lr 0.00001', patch: { learningRate: 1e-5 } },
      { name: 'lr 0.01', patch: { learningRate: 0.01 } },
      { name: 'lr 1', patch: { learningRate: 1 } },
      { name: 'lr 0.1, cosine decay', patch: { learningRate: 0.1, schedule: { id: 'cosine', stepPer: 'batch', params: {} } } },
    ],
    judge([tiny, good, huge, decayed]) {
      const hugeBad = huge!.outcome === 'diverged' || huge!.events.some((e) => e.kind === 'lossSpike' || e.kind === 'divergence' || e.kind === 'nan') || finalAcc(huge!) < finalAcc(good!);
      const ok = finalAcc(good!) > finalAcc(tiny!) + 0.2 && hugeBad && finalAcc(decayed!) > finalAcc(tiny!);
      return {
        asChapterSays: ok,
        text:
          `Training accuracy after the last epoch: ${pct(finalAcc(tiny!))} at lr 0.00001 (loss ${last(tiny!)?.loss.toFixed(2)}), ` +
          `${pct(finalAcc(good!))} at 0.01, ${huge!.outcome === 'diverged' ? 'diverged' : pct(finalAcc(huge!))} at 1` +
          `${huge!.events.some((e) => e.kind === 'lossSpike') ? ' (with a loss spike)' : ''}, and ${pct(finalAcc(decayed!))} ` +
          `at 0.1 with cosine decay. ` +
          said(ok, 'Too small barely moves and too large overshoots', 'The runs did not show the effect'),
      };
    },
  },
  {
    id: 'optimizers',
    title: 'Optimizers compared: SGD, Momentum, RMSprop, Adam',
    section: '7. Momentum and adaptive optimizers',
    watch:
      'Four optimizers train the same network from the same start for three epochs. Plain SGD moves each weight by ' +
      'learning rate × gradient; Momentum keeps a running velocity; RMSprop and Adam scale each weight’s step by its ' +
      'recent gradients. Watch the first epoch: the adaptive ones are ahead.',
    setup: { ...noCheckpoints, trainingExamples: 3000, epochs: 3, batchSize: 32, validationSplit: 0.1, model: mlp() },
    quick: { trainingExamples: 1500 },
    steps: [
      { name: 'sgd 0.01', patch: { optimizer: 'sgd', learningRate: 0.01, optimizerParams: {} } },
      { name: 'momentum 0.01', patch: { optimizer: 'momentum', learningRate: 0.01, optimizerParams: {} } },
      { name: 'rmsprop 0.001', patch: { optimizer: 'rmsprop', learningRate: 0.001, optimizerParams: {} } },
      { name: 'adam 0.001', patch: { optimizer: 'adam', learningRate: 0.001, optimizerParams: {} } },
    ],
    judge([sgd, momentum, rmsprop, adam]) {
      const first = (r: StepResult) => r.epochs[0]?.acc ?? 0;
      const ok = first(adam!) > first(sgd!) && first(rmsprop!) > first(sgd!) && first(momentum!) > first(sgd!);
      return {
        asChapterSays: ok,
        text:
          `Training accuracy after epoch 1: SGD ${pct(first(sgd!))}, Momentum ${pct(first(momentum!))}, RMSprop ${pct(first(rmsprop!))}, ` +
          `Adam ${pct(first(adam!))}; validation after epoch ${sgd!.epochs.length}: ${pct(finalVal(sgd!))}, ${pct(finalVal(momentum!))}, ` +
          `${pct(finalVal(rmsprop!))}, ${pct(finalVal(adam!))}. ` +
          said(ok, 'Momentum and the adaptive optimizers got further than plain SGD', 'Plain SGD kept up here'),
      };
    },
  },
  {
    id: 'early-stopping',
    title: 'Checkpoints and early stopping',
    section: '6. Checkpoints and early stopping',
    watch:
      'The overfitting run again, for up to 30 epochs, but with early stopping watching the validation loss (patience 3, ' +
      'restoring the best weights) and a checkpoint whenever the validation loss improves. Watch the markers: the best ' +
      'epoch, the stop a few epochs later, and the best weights put back. The Checkpoints panel lists what was saved.',
    setup: {
      trainingExamples: 2000,
      epochs: 30,
      batchSize: 32,
      validationSplit: 0.25,
      model: mlp(),
      earlyStopping: { ...defaultEarlyStopping(), enabled: true, monitor: 'val_loss', mode: 'min', patience: 3, restoreBestWeights: true },
    },
    steps: [{ name: 'early stopping on val_loss', patch: {} }],
    judge([run]) {
      const stop = run!.events.find((e) => e.kind === 'earlyStop');
      const best = run!.events.find((e) => e.kind === 'bestEpoch' || e.kind === 'restoredBest');
      const ok = stop !== undefined && run!.epochs.length < 30;
      return {
        asChapterSays: ok,
        text:
          (stop
            ? `Training stopped after epoch ${run!.epochs.length} of 30${best ? `, and the best epoch's weights were put back — ${best.message.replace(/\.$/, '')}` : ', at the patience limit'}; `
            : `Training ran all ${run!.epochs.length} epochs without stopping early; `) +
          `test accuracy ${pct(run!.test?.acc)}. ` +
          said(ok, 'Early stopping ended the run once validation loss stopped improving', 'It did not stop early'),
      };
    },
  },
  {
    id: 'invariance',
    title: 'Invariance by augmentation: shapes that move and turn',
    section: '8. Invariance through augmentation',
    watch:
      'A small CNN learns five shapes from images where every shape is centred and upright, then is tested on shapes ' +
      'placed anywhere, turned and resized. Validation (drawn from the centred training images) says it is nearly ' +
      'perfect; the test says it has not learned the shapes, only their centred look. The second run trains on the same ' +
      'images, three quarters of each batch randomly rotated, shifted and zoomed: watch the test accuracy, not the validation.',
    setup: { ...noCheckpoints, datasetId: 'shapes-moved-test', trainingExamples: 6000, epochs: 5, batchSize: 32, validationSplit: 0.1, model: presetSpec('small-cnn', 5) },
    quick: { trainingExamples: 3000 },
    steps: [
      { name: 'centred images only', patch: { augmentation: undefined } },
      {
        name: '+ rotation, shift and zoom',
        patch: { augmentation: { ...DEFAULT_AUGMENTATION, fraction: 0.75, rotateDeg: 180, shiftW: 0.25, shiftH: 0.25, zoom: 0.3 } },
      },
    ],
    judge([plain, augmented]) {
      const t = (r: StepResult) => r.test?.acc ?? 0;
      const ok = t(augmented!) > t(plain!) + 0.1 && finalVal(plain!) > t(plain!) + 0.2;
      return {
        asChapterSays: ok,
        text:
          `Trained on centred shapes only, validation accuracy ended at ${pct(finalVal(plain!))} but test accuracy on moved and ` +
          `turned shapes was ${pct(plain!.test?.acc)} (chance is 20%). Trained with rotation, shift and zoom: validation ` +
          `${pct(finalVal(augmented!))}, test ${pct(augmented!.test?.acc)}. ` +
          said(ok, 'Augmentation taught the network what does not change when a shape moves', 'Augmentation did not help on the test here'),
      };
    },
  },
  {
    id: 'data-on-disk',
    title: 'Data on disk: a folder of images per class',
    section: '9. Data on disk',
    watch:
      'The lesson imports a zip shipped with the app, laid out as datasets arrive on disk: train/ and test/ folders, each ' +
      'with one folder per class (circle, square, …) of 36×36 colour PNGs, plus a README and one damaged image. The import ' +
      'labels each image by its folder, converts it to the model’s 28×28 greyscale (area averaging when shrinking), ' +
      'lists what it skipped and why, and then a small CNN trains on it. Open the Data panel to see the import’s report.',
    sample: { path: 'samples/shapes-on-disk.zip', name: 'Shapes on disk (lesson sample)' },
    setup: { ...noCheckpoints, trainingExamples: 400, epochs: 12, batchSize: 16, validationSplit: 0.2, preprocessing: 'normalize', model: presetSpec('small-cnn', 5) },
    steps: [{ name: 'Small CNN on the imported folders', patch: {} }],
    judge([run], { imported }) {
      const classes = imported?.classes ?? 5;
      const chance = 1 / classes;
      const acc = run!.test?.acc ?? 0;
      const skippedOk = (imported?.skipped.length ?? 0) >= 2;
      const ok = imported !== undefined && skippedOk && acc > chance + 0.3;
      return {
        asChapterSays: ok,
        text:
          (imported
            ? `The import labelled ${imported.trainCount} training and ${imported.testCount} test images in ${classes} classes by their ` +
              `folders, resized to ${imported.shape.join('×')}, and skipped ${imported.skipped.length} entr${imported.skipped.length === 1 ? 'y' : 'ies'} ` +
              `(${imported.skipped.map((x) => x.replace(/:.*$/, '')).join('; ')}). `
            : 'The sample dataset was not imported. ') +
          `The CNN reached ${pct(acc)} on the test folder (chance is ${pct(chance)}). ` +
          said(ok, 'Folders became labels, unreadable files were reported and skipped, and the network learned from them', 'The import or the training fell short'),
      };
    },
  },
  {
    id: 'save-restore',
    title: 'Save and restore, and why a checkpoint is not a saved model',
    section: '10. Save and restore; 6. Checkpoints',
    watch:
      'The first run trains for 4 epochs, saving a checkpoint each epoch. Then the trained model is saved in this ' +
      'browser, loaded back and scored on the test set: the same accuracy, because architecture and weights came back. ' +
      'It trains 2 more epochs from there, but its optimizer starts afresh. The last run resumes the first run from its ' +
      'epoch-2 checkpoint, optimizer state and all: watch its epochs 3 and 4 retrace the first run’s.',
    setup: { trainingExamples: 3000, epochs: 4, batchSize: 32, validationSplit: 0.1, model: mlp(), optimizer: 'adam', learningRate: 0.001, optimizerParams: {} },
    quick: { trainingExamples: 1500 },
    steps: [
      { name: 'trained 4 epochs, a checkpoint each epoch', patch: {} },
      { name: 'saved model loaded back, 2 more epochs', patch: { ...noCheckpoints, epochs: 2 }, start: 'restoredModel' },
      { name: 'resumed from the epoch-2 checkpoint', patch: {}, start: 'resumedCheckpoint', resumeEpoch: 2 },
    ],
    judge([first, further, resumed], { restoredTest }) {
      const sameTest = restoredTest !== undefined && first!.test !== null && Math.abs(restoredTest.acc - first!.test.acc) < 1e-9;
      const startLoss = further!.epochs[0]?.loss ?? Infinity;
      const fromTrained = startLoss < (first!.epochs[0]?.loss ?? 0);
      const retrace = [3, 4].map((e) => ({
        e,
        orig: first!.epochs.find((x) => x.epoch === e)?.loss,
        again: resumed!.epochs.find((x) => x.epoch === e)?.loss,
      }));
      const retraced = retrace.every((r) => r.orig !== undefined && r.again !== undefined && Math.abs(r.again - r.orig) <= 0.02 * r.orig + 1e-4);
      const ok = sameTest && fromTrained && retraced;
      const fmt = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(4));
      return {
        asChapterSays: ok,
        text:
          `After 4 epochs the model scored ${pct(first!.test?.acc)} on the test set; saved and loaded back, ${pct(restoredTest?.acc)}. ` +
          `Trained further from there, its first epoch's loss was ${fmt(startLoss)} (the first run's first epoch: ${fmt(first!.epochs[0]?.loss)}): ` +
          `the weights came back, the optimizer's state did not. Resumed from the epoch-2 checkpoint, epochs 3 and 4 ended at loss ` +
          `${retrace.map((r) => fmt(r.again)).join(' and ')}, against ${retrace.map((r) => fmt(r.orig)).join(' and ')} in the first run. ` +
          said(ok, 'A saved model restores the network; a checkpoint resumes the training', 'The runs did not show it'),
      };
    },
  },
];

export function lessonById(id: string): Lesson | null {
  return LESSONS.find((l) => l.id === id) ?? null;
}

/** The config of step `k` of `lesson`, from the chapter's defaults `base` (its quick version when `quick`). */
export function stepConfig(lesson: Lesson, k: number, base: ExperimentConfig, quick = false): ExperimentConfig {
  return structuredClone({ ...base, ...lesson.setup, ...(quick ? lesson.quick : {}), ...lesson.steps[k]!.patch }) as ExperimentConfig;
}

/**
 * The step results of a lesson from its runs' records (one per step, in order), or null
 * while a step has no finished run yet.
 */
export function resultsOf(records: readonly (RunRecord | undefined)[]): StepResult[] | null {
  if (records.some((r) => r === undefined)) return null;
  return (records as RunRecord[]).map((r) => ({
    name: r.name,
    epochs: r.epochs,
    test: r.test,
    outcome: r.outcome,
    events: r.events,
    batchesPerEpoch: batchesAvailable(r.config),
  }));
}
