import { useCallback, useDeferredValue, useEffect, useRef, useState, type PointerEvent } from 'react';
import { useApp } from '../storeContext';
import { PixelCanvas } from '../PixelCanvas';
import { topClasses } from '../../core/evaluation/predictions';
import './evaluation.css';

/** Pixels of the pad's bitmap (its CSS size may differ). */
const PAD = 280;
/** At most one drawing is sent per this many ms while the pen moves. */
const THROTTLE_MS = 80;
/** Classes listed under Predictions at most. */
const SHOWN = 10;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * "Try it yourself": draw on the pad (mouse, touch or pen) or choose an image file; the worker
 * prepares it as the dataset's images were made and the list shows the model's probabilities,
 * updated while drawing.
 */
export function TryIt() {
  // Deferred: a new run clears both in its first store flush, the costliest of a run, and the
  // pad's (un)mounting belongs in a background render, not in that flush.
  const hasModel = useDeferredValue(useApp((s) => s.hasModel));
  const tryIt = useDeferredValue(useApp((s) => s.tryIt));
  const predictDrawing = useApp((s) => s.predictDrawing);
  const clearPrediction = useApp((s) => s.clearPrediction);
  const channels = useApp((s) => s.datasets[s.config.datasetId]?.shape[2] ?? 1);
  const [stroke, setStroke] = useState(18);
  const [fileError, setFileError] = useState<string | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef<{ x: number; y: number } | null>(null);
  const timer = useRef<number | null>(null);
  const dirty = useRef(false);

  const ctx = () => canvas.current?.getContext('2d', { willReadFrequently: true }) ?? null;
  const blank = useCallback(() => {
    const c = ctx();
    if (!c) return;
    c.fillStyle = '#fff';
    c.fillRect(0, 0, PAD, PAD);
  }, []);
  useEffect(blank, [blank]);
  useEffect(() => () => void (timer.current !== null && clearTimeout(timer.current)), []);

  const send = useCallback(() => {
    timer.current = null;
    if (!dirty.current) return;
    dirty.current = false;
    const c = ctx();
    if (!c) return;
    const img = c.getImageData(0, 0, PAD, PAD);
    predictDrawing({ width: img.width, height: img.height, data: img.data });
  }, [predictDrawing]);
  const schedule = useCallback(() => {
    dirty.current = true;
    if (timer.current === null) timer.current = window.setTimeout(send, THROTTLE_MS);
  }, [send]);

  const at = (e: PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * PAD) / r.width, y: ((e.clientY - r.top) * PAD) / r.height };
  };
  const line = (from: { x: number; y: number }, to: { x: number; y: number }) => {
    const c = ctx();
    if (!c) return;
    c.strokeStyle = '#000';
    c.fillStyle = '#000';
    c.lineWidth = stroke;
    c.lineCap = 'round';
    c.lineJoin = 'round';
    c.beginPath();
    c.moveTo(from.x, from.y);
    c.lineTo(to.x, to.y);
    c.stroke();
  };
  const down = (e: PointerEvent<HTMLCanvasElement>) => {
    if (e.button !== 0 && e.pointerType === 'mouse') return;
    e.currentTarget.setPointerCapture(e.pointerId);
    const p = at(e);
    drawing.current = p;
    line(p, p);
    schedule();
  };
  const moveTo = (e: PointerEvent<HTMLCanvasElement>) => {
    if (!drawing.current) return;
    const p = at(e);
    line(drawing.current, p);
    drawing.current = p;
    schedule();
  };
  const up = () => {
    if (!drawing.current) return;
    drawing.current = null;
    dirty.current = true;
    if (timer.current !== null) clearTimeout(timer.current);
    send(); // the finished stroke at once
  };
  const clear = () => {
    blank();
    dirty.current = false;
    clearPrediction();
  };
  const choose = async (file: File | undefined) => {
    if (!file) return;
    setFileError(null);
    try {
      const bitmap = await createImageBitmap(file);
      blank();
      const c = ctx()!;
      // Greyscale datasets: the whole picture (the ink is cropped later); colour: fill the pad.
      const scale = channels === 1 ? Math.min(PAD / bitmap.width, PAD / bitmap.height) : Math.max(PAD / bitmap.width, PAD / bitmap.height);
      const w = bitmap.width * scale;
      const h = bitmap.height * scale;
      c.imageSmoothingQuality = 'high';
      c.drawImage(bitmap, (PAD - w) / 2, (PAD - h) / 2, w, h);
      bitmap.close();
      dirty.current = true;
      send();
    } catch {
      setFileError(`“${file.name}” could not be read as an image: choose a PNG, JPEG, GIF or WebP file.`);
    }
  };

  const result = tryIt.result;
  const ranked = result ? topClasses(result.probs, Math.min(SHOWN, result.classNames.length)) : [];
  return (
    <section className={hasModel ? 'panel try-it presentable' : 'panel try-it'} role="region" aria-label="Try it">
      <h2>Try it yourself</h2>
      <p className="hint">
        {hasModel
          ? 'Draw with the mouse, a finger or a pen, or choose a picture: the model reads it the way its training images were made, and updates as you draw.'
          : 'Train a model (or load one) first; then draw here and watch what it thinks.'}
      </p>
      <div className="try-it-body">
        <div className="pad-column">
          <canvas
            ref={canvas}
            width={PAD}
            height={PAD}
            className="drawing-pad"
            role="img"
            aria-label="Drawing pad"
            onPointerDown={down}
            onPointerMove={moveTo}
            onPointerUp={up}
            onPointerCancel={up}
          />
          <div className="pad-controls">
            <button type="button" onClick={clear}>
              Clear
            </button>
            <label className="stroke">
              Stroke width
              <input type="range" min={4} max={40} step={1} value={stroke} onChange={(e) => setStroke(Number(e.target.value))} />
              <span aria-hidden="true">{stroke}px</span>
            </label>
          </div>
          <label className="file-choice">
            Choose an image
            <input
              type="file"
              accept="image/*"
              onChange={(e) => {
                void choose(e.target.files?.[0]);
                e.target.value = ''; // the same file again works too
              }}
            />
          </label>
          {fileError && (
            <p className="error" role="alert">
              {fileError}
            </p>
          )}
        </div>
        <div className="predictions-column">
          <h3>What the model thinks</h3>
          {tryIt.status === 'error' && (
            <p className="error" role="status">
              {tryIt.error}
            </p>
          )}
          {result?.empty && <p className="hint">The pad is empty: draw something.</p>}
          {result && !result.empty && (
            <>
              <ol className="predictions" aria-label="Predictions">
                {ranked.map((r, i) => (
                  <li key={r.classIndex} className={i === 0 ? 'top' : undefined}>
                    <span className="pred-name">{result.classNames[r.classIndex]}</span>{' '}
                    <span className="pred-bar" aria-hidden="true">
                      <span style={{ width: `${r.probability * 100}%` }} />
                    </span>
                    <span className="pred-value">{pct(r.probability)}</span>
                  </li>
                ))}
              </ol>
              <div className="model-sees">
                <PixelCanvas pixels={result.input} shape={result.shape} label="What the model sees" className="model-input" />
                <span>What the model sees ({result.shape[0]}×{result.shape[1]})</span>
              </div>
            </>
          )}
          {!result && tryIt.status !== 'error' && <p className="hint">{tryIt.status === 'waiting' ? 'Reading…' : 'Nothing drawn yet.'}</p>}
        </div>
      </div>
    </section>
  );
}
