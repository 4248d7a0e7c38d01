import { formatBytes } from '../../core/format';
import type { StorageUsage } from '../../storage/checkpoints';
import { USAGE_LABELS } from '../../storage/usage';

/**
 * "Checkpoints use 24 MB (3 stored). This site stores 31 MB in this browser: checkpoints
 * 24 MB, saved models 2.7 MB, …; the browser counts 33 MB of the 10 GB it allows."
 */
export function storageText(use: StorageUsage, busy: boolean): string {
  let text = `Checkpoints use ${formatBytes(use.checkpointBytes)} (${use.checkpointCount} stored).`;
  if (use.site) {
    const parts = use.site.parts.map((p) => `${USAGE_LABELS[p.part]} ${formatBytes(p.bytes)}`);
    text +=
      ` This site stores ${formatBytes(use.site.totalBytes)} in this browser` +
      (parts.length > 0 ? `: ${parts.join(', ')}` : '') +
      (busy ? ' (measured before this run)' : '');
    text += use.estimate
      ? `; the browser counts ${formatBytes(use.estimate.usage)} for the site (with the app's own files), of the ${formatBytes(use.estimate.quota)} it allows.`
      : '.';
  } else if (use.estimate) {
    text += ` This site uses ${formatBytes(use.estimate.usage)} of the ${formatBytes(use.estimate.quota)} the browser allows.`;
  }
  return text;
}
