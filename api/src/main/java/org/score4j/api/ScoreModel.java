package org.score4j.api;

import java.io.IOException;
import java.io.OutputStream;
import java.util.OptionalLong;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trainable noise-conditional score network s_θ(x, σ).
 *
 * <p>{@link #score} evaluates in inference mode and may be called at any time. Training alternates
 * {@link #forwardForTraining} and {@link #applyGradient}; a model is not thread-safe.
 */
public interface ScoreModel extends ScoreFunction {

    /** Shape of one example, e.g. {@code [2]} or {@code [1, 28, 28]}. */
    long[] exampleShape();

    /** Number of trainable parameters. */
    long parameterCount();

    /**
     * Scores in training mode, remembering what {@link #applyGradient} needs.
     *
     * @param x     points, {@code [M, shape...]}
     * @param sigma noise levels, {@code [M]}
     * @return the scores, {@code [M, shape...]}
     */
    INDArray forwardForTraining(INDArray x, INDArray sigma);

    /**
     * Back-propagates the gradient of the summed loss with respect to the scores of the last
     * {@link #forwardForTraining} call and takes one optimizer step on the mean over examples.
     *
     * @param scoreGradient ∂(summed loss)/∂scores, the shape of the last scores
     * @param examples      the number of examples the summed loss covers (the divisor of the mean)
     * @return the parameter-gradient norm of the mean loss, before any clipping
     * @throws NonFiniteException if the parameter gradient is not finite; parameters are then unchanged
     */
    double applyGradient(INDArray scoreGradient, int examples);

    /**
     * Floating-point operations of one forward pass ({@link #score}) per example, counting matrix products and
     * convolutions at two per multiply–add, or empty if the model cannot tell. Benchmarks divide by it to report the
     * arithmetic rate achieved; a training step costs about three forward passes.
     *
     * @since API 1.3
     */
    default OptionalLong forwardFlops() {
        return OptionalLong.empty();
    }

    /** Number of optimizer steps applied so far. */
    long iterations();

    /**
     * Writes everything needed to restore this model, optimizer state included, so that
     * {@link org.score4j.api.spi.ModelFactory#load} gives a model with identical scores.
     * Does not close {@code out}.
     */
    void save(OutputStream out) throws IOException;
}
