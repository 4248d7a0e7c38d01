import type { ExperimentConfig } from './config';
import { presetSpec } from '../model/presets';
import { defaultCheckpointSettings } from '../checkpoint/settings';
import { defaultSchedule } from '../schedules/schedules';
import { defaultEarlyStopping } from '../callbacks/settings';
import { DEFAULT_AUGMENTATION } from '../augment/settings';

/** The chapter's first run: MNIST, the Dense 512-512 MLP, Adam, x/255, 10% validation. */
export function defaultConfig(): ExperimentConfig {
  return {
    datasetId: 'mnist',
    trainingExamples: 60000,
    preprocessing: 'normalize',
    model: presetSpec('mlp', 10),
    optimizer: 'adam',
    learningRate: 0.001,
    loss: 'sparseCategoricalCrossentropy',
    oneHotLabels: false,
    epochs: 10,
    batchSize: 32,
    validationSplit: 0.1,
    seed: 42,
    backend: 'auto',
    optimizerParams: {},
    stepsPerEpoch: null,
    crossValidation: false,
    folds: 5,
    checkpoints: defaultCheckpointSettings(),
    schedule: defaultSchedule(),
    earlyStopping: defaultEarlyStopping(),
    augmentation: { ...DEFAULT_AUGMENTATION },
  };
}
