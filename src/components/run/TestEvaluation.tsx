import { useApp } from '../storeContext';
import { isBusy } from '../../state/selectors';
import { formatCount } from '../../core/format';

/** Test loss and accuracy of the trained model, evaluated after training or on demand. */
export function TestEvaluation() {
  const result = useApp((s) => s.testResult);
  const hasModel = useApp((s) => s.hasModel);
  const status = useApp((s) => s.status);
  const evaluate = useApp((s) => s.evaluate);
  return (
    <section className="panel" role="region" aria-label="Test evaluation">
      <h2>Test evaluation</h2>
      {result ? (
        <p className="test-result">
          Test accuracy: <strong>{(result.acc * 100).toFixed(1)}%</strong> · test loss {result.loss.toFixed(4)} on{' '}
          {formatCount(result.count)} held-out test images
        </p>
      ) : (
        <p className="hint">
          {status === 'evaluating' ? 'Evaluating…' : 'After training, the model is scored once on the test images it never saw.'}
        </p>
      )}
      <button type="button" disabled={!hasModel || isBusy(status)} onClick={evaluate}>
        Evaluate on test set
      </button>
    </section>
  );
}
