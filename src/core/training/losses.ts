import * as tf from '@tensorflow/tfjs';

import type { LossId } from './losses-catalog';

export type { LossId } from './losses-catalog';

const EPSILON = 1e-7;

/**
 * Mean cross-entropy of predicted probabilities `yPred` [batch, classes] against targets:
 * integer labels [batch] for the sparse loss, one-hot rows [batch, classes] for the
 * categorical one. Probabilities are clipped to [1e-7, 1-1e-7] as Keras does, so a confident
 * wrong answer costs about 16, not infinity.
 */
export function crossEntropy(loss: LossId, yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const numClasses = yPred.shape[yPred.rank - 1]!;
    const target = loss === 'sparseCategoricalCrossentropy' ? tf.oneHot(tf.cast(yTrue, 'int32'), numClasses) : yTrue;
    const probs = tf.clipByValue(tf.div(yPred, tf.sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
    return tf.mean(tf.neg(tf.sum(tf.mul(target, tf.log(probs)), -1))) as tf.Scalar;
  });
}

/** Number of rows whose most probable class is the target class (float32 scalar). */
export function correctCount(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const truth = yTrue.rank === 2 ? tf.argMax(yTrue, -1) : tf.cast(yTrue, 'int32');
    return tf.sum(tf.cast(tf.equal(tf.argMax(yPred, -1), truth), 'float32')) as tf.Scalar;
  });
}
