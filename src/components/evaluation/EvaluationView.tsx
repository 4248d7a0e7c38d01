import { useDeferredValue } from 'react';
import { useApp } from '../storeContext';
import { ConfusionMatrix } from './ConfusionMatrix';
import { Gallery } from './Gallery';
import { PerClassTable } from './PerClassTable';
import './evaluation.css';
import { formatCount } from '../../core/format';

/**
 * What the model gets right and wrong on the test set: the confusion matrix, the images behind
 * a cell (or the most confidently wrong), and per-class accuracy. Filled after each test
 * evaluation (at the end of training, or "Evaluate on test set").
 */
export function EvaluationView() {
  // Everything here renders from the deferred value, at low priority, in slices React can
  // interrupt: results arrive (and a new run clears them) in the same frame as the run's
  // curves, and rendering or unmounting 100 matrix cells and a gallery in that frame's flush
  // cost up to 24 ms of it.
  const ev = useDeferredValue(useApp((s) => s.evaluation));
  const has = ev !== null;
  const name = ev?.datasetName;
  const count = ev?.count ?? 0;
  const accuracy = ev?.accuracy ?? 0;
  return (
    <section className={has ? 'panel evaluation presentable' : 'panel evaluation'} aria-labelledby="evaluation-title">
      <h2 id="evaluation-title">Mistakes on the test set</h2>
      {has ? (
        <>
          <p className="hint">
            {formatCount(count)} {name} test images, {(accuracy * 100).toFixed(1)}% right.
          </p>
          <ConfusionMatrix ev={ev} />
          <Gallery ev={ev} />
          <PerClassTable ev={ev} />
        </>
      ) : (
        <p className="hint">
          After training (or “Evaluate on test set”), this shows which classes the model confuses, with the images it got
          wrong.
        </p>
      )}
    </section>
  );
}
