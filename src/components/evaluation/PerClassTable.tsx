import { memo } from 'react';
import type { EvaluationData } from '../../state/evaluationSlice';
import { formatCount } from '../../core/format';

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–');

/** Per class: test images, accuracy (= recall), precision, F1, and the class it is most often taken for. */
export const PerClassTable = memo(function PerClassTable({ ev }: { ev: EvaluationData | null }) {
  if (!ev) return null;
  const n = ev.classNames.length;
  let worst = 0;
  ev.perClass.forEach((c, i) => {
    if (c.accuracy < ev.perClass[worst]!.accuracy) worst = i;
  });
  return (
    <section className="per-class" role="region" aria-label="Per-class accuracy">
      <h3>Per-class accuracy</h3>
      <p className="hint">
        Accuracy of a class (its recall): the share of its test images the model got right. Precision: when the model says
        this class, how often it is right.
      </p>
      <div className="table-scroll">
        <table className="per-class-table">
          <thead>
            <tr>
              <th scope="col">Class</th>
              <th scope="col" className="num">Test images</th>
              <th scope="col" className="num">Accuracy (recall)</th>
              <th scope="col" className="num">Precision</th>
              <th scope="col" className="num">F1</th>
              <th scope="col">Most often taken for</th>
            </tr>
          </thead>
          <tbody>
            {ev.perClass.map((c, t) => {
              let other = -1;
              for (let p = 0; p < n; p++) if (p !== t && ev.matrix[t * n + p]! > (other < 0 ? 0 : ev.matrix[t * n + other]!)) other = p;
              return (
                <tr key={t} className={t === worst ? 'worst' : undefined}>
                  <th scope="row">
                    {ev.classNames[t]}
                    {t === worst && n > 1 && <span className="tag"> lowest</span>}
                  </th>
                  <td className="num">{formatCount(c.support)}</td>
                  <td className="num">
                    <span className="acc-bar" aria-hidden="true" style={{ width: `${Math.max(0, c.accuracy) * 2}rem` }} />
                    {pct(c.accuracy)}
                  </td>
                  <td className="num">{pct(c.precision)}</td>
                  <td className="num">{pct(c.f1)}</td>
                  <td>{other < 0 ? '–' : `${ev.classNames[other]} (${ev.matrix[t * n + other]})`}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
});
