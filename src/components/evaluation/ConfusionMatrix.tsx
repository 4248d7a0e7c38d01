import { memo, useCallback, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useApp } from '../storeContext';
import type { EvaluationData } from '../../state/evaluationSlice';
import { rowNormalized } from '../../core/evaluation/confusion';
import { cellColours } from './cellColour';

/** Classes beyond which a matrix of buttons is too large to read (or to render cheaply). */
export const MAX_MATRIX_CLASSES = 30;

const images = (n: number) => `${n} image${n === 1 ? "" : "s"}`;
const pct = (x: number) => `${(x * 100).toFixed(x > 0 && x < 0.1 ? 1 : 0)}%`;

/**
 * The test set's confusion matrix: rows are true classes, columns predicted ones; each cell
 * is a button that opens its images in the gallery. Arrow keys move between cells (one cell
 * is in the tab order), Home and End go to a row's ends.
 */
export const ConfusionMatrix = memo(function ConfusionMatrix({ ev }: { ev: EvaluationData | null }) {
  const mode = useApp((s) => s.matrixMode);
  const setMode = useApp((s) => s.setMatrixMode);
  const gallery = useApp((s) => s.gallery);
  const showCell = useApp((s) => s.showCell);
  const [focus, setFocus] = useState<[number, number]>([0, 0]);
  const table = useRef<HTMLTableElement>(null);
  const n = ev?.classNames.length ?? 0;
  const shares = useMemo(() => (ev ? rowNormalized(ev.matrix, n) : null), [ev, n]);

  const move = useCallback(
    (e: KeyboardEvent<HTMLTableElement>) => {
      const [r, c] = focus;
      const next: Record<string, [number, number]> = {
        ArrowUp: [Math.max(0, r - 1), c],
        ArrowDown: [Math.min(n - 1, r + 1), c],
        ArrowLeft: [r, Math.max(0, c - 1)],
        ArrowRight: [r, Math.min(n - 1, c + 1)],
        Home: [r, 0],
        End: [r, n - 1],
      };
      const to = next[e.key];
      if (!to) return;
      e.preventDefault();
      setFocus(to);
      table.current?.querySelector<HTMLButtonElement>(`button[data-cell="${to[0]}-${to[1]}"]`)?.focus();
    },
    [focus, n],
  );

  if (!ev || !shares) return null;
  const names = ev.classNames;
  const longNames = names.some((x) => x.length > 3);
  const selected = gallery?.kind === 'cell' ? [gallery.trueClass, gallery.predictedClass] : null;
  return (
    <section className="confusion-region" role="region" aria-label="Confusion matrix">
      <div className="eval-heading">
        <h3>Confusion matrix</h3>
        <div role="radiogroup" aria-label="Cells show" className="matrix-mode">
          <label>
            <input type="radio" name="matrix-mode" checked={mode === 'counts'} onChange={() => setMode('counts')} /> Counts
          </label>
          <label>
            <input type="radio" name="matrix-mode" checked={mode === 'percent'} onChange={() => setMode('percent')} /> % of true class
          </label>
        </div>
      </div>
      {n > MAX_MATRIX_CLASSES ? (
        <p className="hint">
          With {n} classes the matrix has {n * n} cells, too many to read here: see the per-class table and the most
          confidently wrong examples.
        </p>
      ) : (
        <div className="matrix-scroll">
          <table ref={table} className={longNames ? 'confusion vertical-names' : 'confusion'} onKeyDown={move}>
            <caption>
              Rows: the true class. Columns: what the model predicted. The diagonal holds the correct answers; choose a cell to
              see its images.
            </caption>
            <thead>
              <tr>
                <td className="corner" aria-hidden="true">
                  true ↓ predicted →
                </td>
                {names.map((name, p) => (
                  <th key={p} scope="col" title={name}>
                    <span>{name}</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {names.map((tName, t) => (
                <tr key={t}>
                  <th scope="row" title={tName}>
                    {tName}
                  </th>
                  {names.map((pName, p) => {
                    const count = ev.matrix[t * n + p]!;
                    const share = shares[t * n + p]!;
                    const colours = cellColours(share, t === p);
                    const isSelected = selected !== null && selected[0] === t && selected[1] === p;
                    return (
                      <td key={p}>
                        <button
                          type="button"
                          data-cell={`${t}-${p}`}
                          tabIndex={focus[0] === t && focus[1] === p ? 0 : -1}
                          aria-label={`true ${tName}, predicted ${pName}: ${images(count)}`}
                          aria-pressed={isSelected}
                          title={`${pct(share)} of the true ${tName} images`}
                          className={isSelected ? 'cell selected' : 'cell'}
                          style={colours}
                          onFocus={() => setFocus([t, p])}
                          onClick={() => void showCell(t, p)}
                        >
                          {mode === 'counts' ? count : pct(share)}
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
});
