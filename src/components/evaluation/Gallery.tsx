import { memo, useDeferredValue, useEffect } from 'react';
import { useApp } from '../storeContext';
import type { AppState } from '../../state/store';
import { PixelCanvas } from '../PixelCanvas';
import { topClasses } from '../../core/evaluation/predictions';
import { formatCount } from '../../core/format';

const pct = (x: number) => `${(x * 100).toFixed(x >= 0.995 || x < 0.01 ? 1 : 0)}%`;

/**
 * The test images behind one confusion-matrix cell, or the misclassified ones the model was
 * most sure of (the default), each with its true class and the model's top probabilities.
 */
export const Gallery = memo(function Gallery({ ev }: { ev: AppState['evaluation'] }) {
  // Deferred: the images arrive in a worker reply, and drawing 24 canvases in that message's
  // task took 45 ms of it; as a deferred update React draws them in slices.
  const gallery = useDeferredValue(useApp((s) => s.gallery));
  const showWrong = useApp((s) => s.showMostConfidentlyWrong);
  // A new evaluation starts with its most confidently wrong images.
  useEffect(() => {
    if (ev && !gallery) void showWrong();
  }, [ev, gallery, showWrong]);
  if (!ev) return null;
  const names = ev.classNames;
  const n = names.length;
  const [h, w, c] = ev.shape;
  const size = h * w * c;
  let title = 'Most confidently wrong';
  let summary = '';
  if (gallery?.kind === 'cell') {
    const t = names[gallery.trueClass!]!;
    const p = names[gallery.predictedClass!]!;
    title = gallery.trueClass === gallery.predictedClass ? `True ${t}, predicted ${p} (correct)` : `True ${t}, predicted ${p}`;
    summary =
      gallery.total === 0
        ? 'No test image is in this cell.'
        : `${formatCount(gallery.total)} test image${gallery.total === 1 ? '' : 's'}${gallery.total > gallery.indices.length ? `, the ${gallery.indices.length} the model was most sure of` : ''}.`;
  } else if (gallery) {
    summary =
      gallery.total === 0
        ? 'The model got every test image right.'
        : `The ${gallery.indices.length} of ${formatCount(gallery.total)} misclassified test images the model was most sure of.`;
  }
  return (
    <section className="gallery-region" role="region" aria-label="Misclassified examples">
      <div className="eval-heading">
        <h3 id="gallery-title">{title}</h3>
        {gallery?.kind === 'cell' && (
          <button type="button" onClick={() => void showWrong()}>
            Show the most confidently wrong
          </button>
        )}
      </div>
      <p className="hint">
        {summary}
        {gallery && gallery.total > 0 && ' Beside each image: its true class, then the three classes the model found most probable.'}
      </p>
      {gallery?.error && <p className="error" role="alert">Could not show the images: {gallery.error}</p>}
      {gallery?.loading && <p className="hint">Loading the images…</p>}
      {gallery?.pixels && (
        <ul className="gallery" aria-labelledby="gallery-title">
          {Array.from(gallery.indices, (index, k) => {
            const truth = names[ev.labels[index]!]!;
            const top = topClasses(ev.probs.subarray(index * n, (index + 1) * n), 3);
            const predicted = names[top[0]!.classIndex]!;
            const label = `Test image ${index + 1}: true ${truth}, predicted ${predicted} (${pct(top[0]!.probability)})`;
            return (
              <li key={index} className={truth === predicted ? 'right' : 'wrong'}>
                <PixelCanvas pixels={gallery.pixels!.subarray(k * size, (k + 1) * size)} shape={ev.shape} label={label} className="gallery-image" />
                <div className="gallery-caption">
                  <span className="truth">true {truth}</span>
                  <ul className="gallery-probs" aria-label={`Top probabilities for test image ${index + 1}`}>
                    {top.map((x) => (
                      <li key={x.classIndex}>
                        {names[x.classIndex]} {pct(x.probability)}
                      </li>
                    ))}
                  </ul>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
});
