import { PixelCanvas } from '../PixelCanvas';
import type { DatasetInfo } from '../../protocol/messages';

/** One small canvas per sample image, grouped by class with the class name under it. */
export function SampleGrid({ info }: { info: DatasetInfo }) {
  const byClass = info.classNames.map((name, label) => ({
    name,
    label,
    samples: info.samples.filter((s) => s.label === label),
  }));
  return (
    <figure className="samples" aria-label="Sample images">
      {byClass.map((c) => (
        <div key={c.label} className="sample-class">
          <div className="sample-images">
            {c.samples.map((s, i) => (
              <PixelCanvas key={i} pixels={s.pixels} shape={info.shape} label={`${c.name} (label ${c.label})`} className="sample" />
            ))}
          </div>
          <figcaption>{c.name}</figcaption>
        </div>
      ))}
    </figure>
  );
}
