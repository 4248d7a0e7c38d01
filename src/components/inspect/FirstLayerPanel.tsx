import { memo, useDeferredValue, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useApp } from '../storeContext';
import type { FirstLayerPictures } from '../../core/inspect/firstLayer';
import { gridLayout, gridRgba } from '../../core/inspect/pictures';
import './inspect.css';

/**
 * "What the first layer learned": each unit's weights (a Dense layer reading the image) or
 * each filter (the first convolution) as a small picture, refreshed at every epoch's end.
 */
export function FirstLayerPanel() {
  // Deferred: a new set of pictures (at each epoch's end) renders in the background, never in
  // the store's flush.
  const pictures = useDeferredValue(useApp((s) => s.firstLayer));
  // Weights as they are, or what training changed (the default for a Dense layer, whose raw
  // weights are mostly its random start until long into training).
  const [view, setView] = useState<'auto' | 'weights' | 'change'>('auto');
  const name = useId();
  const canChange = pictures?.change !== undefined;
  const showChange = canChange && (view === 'change' || (view === 'auto' && pictures!.kind === 'dense'));
  // Memoized: a new object each render would redraw the canvas in the urgent render too.
  const shown = useMemo(() => (pictures && showChange ? { ...pictures, values: pictures.change! } : pictures), [pictures, showChange]);
  return (
    <section className="panel first-layer-panel" aria-label="First layer">
      <h2>What the first layer learned</h2>
      {pictures && shown ? (
        <>
          <p className="hint">
            {describe(pictures)}
            {showChange ? ' Shown: the change since the start of the run, so what training added stands out from the random start.' : ''}
          </p>
          {canChange && (
            <div role="radiogroup" aria-label="Show" className="charts-options">
              <label>
                <input type="radio" name={name} checked={!showChange} onChange={() => setView('weights')} /> Weights
              </label>
              <label>
                <input type="radio" name={name} checked={showChange} onChange={() => setView('change')} /> Change since the start
              </label>
            </div>
          )}
          <PictureGrid pictures={shown} />
          <p className="hint first-layer-key">
            <span className="swatch swatch-pos" aria-hidden="true" /> {showChange ? 'weight grew' : 'positive weight'}{' '}
            <span className="swatch swatch-neg" aria-hidden="true" /> {showChange ? 'weight shrank' : 'negative weight'}{' '}
            <span className="swatch swatch-zero" aria-hidden="true" /> about zero; each picture has its own contrast.
          </p>
        </>
      ) : (
        <p className="hint">
          Train to see the weights of the first layer as pictures: the first convolution&apos;s filters, or a first Dense
          layer&apos;s weights laid out like the input image.
        </p>
      )}
    </section>
  );
}

function describe(p: FirstLayerPictures): string {
  const [h, w] = p.shape;
  const when = p.epoch === 0 ? 'before training (random start)' : `after epoch ${p.epoch}`;
  const some = p.count < p.units ? `the first ${p.count} of its ${p.units}` : `all ${p.units}`;
  return p.kind === 'conv2d'
    ? `${p.layer}: ${some} filters, each ${h}×${w}, ${when}. A filter responds to the pattern it looks like.`
    : `${p.layer}: the weights of ${some} units, each laid out as the ${h}×${w} input image, ${when}. ` +
        'A unit fires for images that look like its red parts and not like its blue parts.';
}

/** All the pictures on one canvas, drawn again only when a new set arrives. */
const PictureGrid = memo(function PictureGrid({ pictures }: { pictures: FirstLayerPictures }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [h, w] = pictures.shape;
  const grid = gridLayout(pictures.count, h, w);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const { rgba, width, height } = gridRgba(pictures.values, pictures.count, pictures.shape);
    ctx.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
  }, [pictures]);
  const what = pictures.kind === 'conv2d' ? 'filters' : 'units';
  const label = `${pictures.count} ${what} of ${pictures.layer} as pictures, ${grid.cols} per row`;
  // Small filters are drawn larger: about 40 CSS pixels per 3×3 filter, 56 per 28×28 image.
  const cell = pictures.kind === 'conv2d' ? 40 : Math.max(56, w * 2);
  return (
    <canvas
      ref={ref}
      width={grid.width}
      height={grid.height}
      className="first-layer-grid"
      role="img"
      aria-label={label}
      title={label}
      style={{ width: grid.cols * cell, maxWidth: '100%' }}
    />
  );
});
