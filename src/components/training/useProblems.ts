import { useMemo } from 'react';
import { analyzeModel } from '../../core/model/analyze';
import { validateSettings, type SettingIssue } from '../../core/training/config';
import { useApp } from '../storeContext';

/** Problems with the training settings for the chosen dataset. */
export function useSettingIssues(): SettingIssue[] {
  const config = useApp((s) => s.config);
  const info = useApp((s) => s.datasets[s.config.datasetId]);
  return useMemo(
    () =>
      validateSettings(config, {
        name: info?.name ?? 'MNIST',
        trainCount: info?.trainCount ?? 60000,
        numClasses: info?.classNames.length ?? 10,
      }),
    [config, info],
  );
}

/** Why Train is disabled right now, or null when it can start. */
export function useTrainBlocker(): string | null {
  const layers = useApp((s) => s.config.model.layers);
  const info = useApp((s) => s.datasets[s.config.datasetId]);
  const issues = useSettingIssues();
  return useMemo(() => {
    if (!info) return 'The dataset is still loading.';
    const model = analyzeModel({ layers }, info.shape, info.classNames.length);
    if (!model.ok) return `The model cannot be trained yet: ${model.errors[0]}`;
    if (issues.length > 0) return `Fix the training settings first: ${issues[0]!.message}`;
    return null;
  }, [layers, info, issues]);
}
