package org.score4j.api;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The value of an objective on one minibatch and its gradient with respect to the scores the model
 * produced for that minibatch.
 *
 * @param mean          the mean loss over the minibatch's examples
 * @param perExample    each example's loss, shape {@code [N]} for N examples
 * @param scoreGradient ∂(Σ over examples of the loss)/∂scores — the gradient of the <em>summed</em>
 *                      loss, with the shape of the scores the model was asked for
 *                      ({@link Objective.Batch#inputs()}); the model divides by N when it averages
 */
public record Loss(double mean, INDArray perExample, INDArray scoreGradient) {
    public Loss {
        Objects.requireNonNull(perExample, "perExample");
        Objects.requireNonNull(scoreGradient, "scoreGradient");
    }
}
