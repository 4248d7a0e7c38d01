import * as tf from '@tensorflow/tfjs';

import type { LossId } from './losses-catalog';
import type { LossInput } from './forward';

export type { LossId } from './losses-catalog';

const EPSILON = 1e-7;

/** One-hot targets [batch, classes] from integer labels (sparse loss) or as given. */
function oneHotTargets(loss: LossId, yTrue: tf.Tensor, numClasses: number): tf.Tensor {
  return loss === 'sparseCategoricalCrossentropy' ? tf.oneHot(tf.cast(yTrue, 'int32'), numClasses) : yTrue;
}

/**
 * Mean cross-entropy of the model's output against targets, as Keras computes it: from the
 * logits when the model ends in a softmax (`-log_softmax(z)[y]`, exact, never clipped), else
 * from the clipped probabilities (`crossEntropy`).
 */
export function lossOf(loss: LossId, yTrue: tf.Tensor, out: LossInput): tf.Scalar {
  if (!out.logits) return crossEntropy(loss, yTrue, out.probs);
  const logits = out.logits;
  return tf.tidy(() => {
    const target = oneHotTargets(loss, yTrue, logits.shape[logits.rank - 1]!);
    return tf.mean(tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits)), -1))) as tf.Scalar;
  });
}

/**
 * Mean cross-entropy of predicted probabilities `yPred` [batch, classes] against targets:
 * integer labels [batch] for the sparse loss, one-hot rows [batch, classes] for the
 * categorical one. Probabilities are clipped to [1e-7, 1-1e-7] as Keras does, so a confident
 * wrong answer costs about 16, not infinity.
 */
export function crossEntropy(loss: LossId, yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const numClasses = yPred.shape[yPred.rank - 1]!;
    const target = oneHotTargets(loss, yTrue, numClasses);
    const probs = tf.clipByValue(tf.div(yPred, tf.sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
    return tf.mean(tf.neg(tf.sum(tf.mul(target, tf.log(probs)), -1))) as tf.Scalar;
  });
}

/**
 * Number of rows whose most probable class is the target class (float32 scalar). Logits or
 * probabilities: softmax keeps the order, so the arg max is the same.
 */
export function correctCount(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const truth = yTrue.rank === 2 ? tf.argMax(yTrue, -1) : tf.cast(yTrue, 'int32');
    return tf.sum(tf.cast(tf.equal(tf.argMax(yPred, -1), truth), 'float32')) as tf.Scalar;
  });
}
