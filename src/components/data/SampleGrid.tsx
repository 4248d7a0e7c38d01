import { useEffect, useRef } from 'react';
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
              <ImageCanvas key={i} pixels={s.pixels} shape={info.shape} title={`${c.name} (label ${c.label})`} />
            ))}
          </div>
          <figcaption>{c.name}</figcaption>
        </div>
      ))}
    </figure>
  );
}

function ImageCanvas({ pixels, shape, title }: { pixels: Uint8Array; shape: [number, number, number]; title: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [h, w, c] = shape;
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(w, h);
    for (let i = 0; i < w * h; i++) {
      for (let k = 0; k < 3; k++) img.data[4 * i + k] = pixels[i * c + (c === 3 ? k : 0)]!;
      img.data[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [pixels, h, w, c]);
  return <canvas ref={ref} width={w} height={h} className="sample" role="img" aria-label={title} title={title} />;
}
