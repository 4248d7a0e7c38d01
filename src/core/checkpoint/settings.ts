/**
 * The checkpoint settings of an experiment (plain data in ExperimentConfig.checkpoints), their
 * defaults and the checks that explain a bad one. Pure: the UI imports it too.
 */
import { monitorProblem, type MonitorId, type MonitorMode } from '../callbacks/monitor';
import { templateProblem, TEMPLATE_FIELDS } from './template';

export type CheckpointPolicy = 'everyEpoch' | 'everyN' | 'bestOnly';

export interface CheckpointSettings {
  enabled: boolean;
  policy: CheckpointPolicy;
  /** For 'everyN': save after epochs N, 2N, 3N… (and always after the last epoch). */
  everyN: number;
  /** For 'bestOnly': the metric that must improve, and which way is better. */
  monitor: MonitorId;
  mode: MonitorMode;
  /** File name template, e.g. model-{epoch:02d}-{val_loss:.4f}. */
  nameTemplate: string;
  /** Keep only the newest N checkpoints of a run; 0 keeps all. */
  keepLast: number;
}

export const CHECKPOINT_POLICY_LABELS: Record<CheckpointPolicy, string> = {
  everyEpoch: 'Every epoch',
  everyN: 'Every N epochs',
  bestOnly: 'Best only (when the monitored metric improves)',
};

export function defaultCheckpointSettings(): CheckpointSettings {
  return {
    enabled: true,
    policy: 'everyEpoch',
    everyN: 2,
    monitor: 'val_loss',
    mode: 'auto',
    // {loss}, not {val_loss}: a run with validation split 0 must still be able to name its checkpoints.
    nameTemplate: 'model-{epoch:02d}-{loss:.4f}',
    keepLast: 3,
  };
}

/** The settings a config means: a config without the field saves no checkpoints. */
export function resolveCheckpointSettings(c: { checkpoints?: CheckpointSettings }): CheckpointSettings {
  return c.checkpoints ?? { ...defaultCheckpointSettings(), enabled: false };
}

/** Every problem with the checkpoint settings, each a sentence for the learner. */
export function checkpointProblems(s: CheckpointSettings, hasValidation: boolean): string[] {
  if (!s.enabled) return [];
  const problems: string[] = [];
  if (s.policy === 'everyN' && (!Number.isInteger(s.everyN) || s.everyN < 1 || s.everyN > 1000)) {
    problems.push('Checkpoint every N epochs needs a whole number N from 1 to 1000 (2 = after epochs 2, 4, 6…).');
  }
  if (!Number.isInteger(s.keepLast) || s.keepLast < 0) {
    problems.push('Keep last must be a whole number of checkpoints to keep per run; 0 keeps them all.');
  }
  const available = hasValidation ? TEMPLATE_FIELDS : TEMPLATE_FIELDS.filter((f) => !f.startsWith('val_'));
  const template = templateProblem(s.nameTemplate, available);
  if (template) problems.push(template);
  if (s.policy === 'bestOnly') {
    const monitor = monitorProblem(s.monitor, hasValidation);
    if (monitor) problems.push(`The best-only checkpoint cannot work: ${monitor}`);
  }
  return problems;
}

