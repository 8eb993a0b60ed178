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

    /**
     * Whether this model can be trained data-parallel: replicas given the same {@link #parameters} compute
     * {@link #parameterGradient}s on shards of a minibatch, and one model applies their sum with
     * {@link #applyParameterGradient}; replicas can also exchange their whole {@link #trainingState} (API 1.5). When
     * false, these six methods throw {@link UnsupportedOperationException}.
     *
     * @since API 1.4
     */
    default boolean dataParallel() {
        return false;
    }

    /**
     * A copy of the trainable parameters as one flat float vector {@code [P]} (P = {@link #parameterCount}), in an
     * order fixed by the architecture. The moving average and the optimizer state are not included.
     *
     * @since API 1.4
     */
    default INDArray parameters() {
        throw notDataParallel();
    }

    /**
     * Replaces the trainable parameters with {@code flat} ({@code [P]}, the order of {@link #parameters}); the moving
     * average and the optimizer state stay as they are.
     *
     * @since API 1.4
     */
    default void setParameters(INDArray flat) {
        throw notDataParallel();
    }

    /**
     * Back-propagates like {@link #applyGradient} but takes no step: returns ∂(summed loss)/∂parameters of the last
     * {@link #forwardForTraining} call as a new flat float vector {@code [P]}.
     *
     * @param scoreGradient ∂(summed loss)/∂scores, the shape of the last scores
     * @since API 1.4
     */
    default INDArray parameterGradient(INDArray scoreGradient) {
        throw notDataParallel();
    }

    /**
     * Takes one optimizer step, as {@link #applyGradient} does, from a given gradient of the mean loss ({@code [P]}, e.g.
     * the shards' {@link #parameterGradient}s summed and divided by the examples they cover): clipping, the
     * optimizer and the moving average as there. For one shard this gives exactly what {@link #applyGradient} gives.
     *
     * @return the norm of {@code meanGradient}, before any clipping
     * @throws NonFiniteException if {@code meanGradient} is not finite; parameters are then unchanged
     * @since API 1.4
     */
    default double applyParameterGradient(INDArray meanGradient) {
        throw notDataParallel();
    }

    /**
     * A copy of everything training changes, as one flat float vector {@code [S]}: the trainable parameters first
     * (the first P entries equal {@link #parameters}), then the optimizer's state and the moving average, in an order
     * fixed by the architecture. Replicas that start from one state and take steps on different shards can be averaged
     * elementwise: that is periodic parameter averaging, with the optimizer state averaged too. Only for models whose
     * {@link #dataParallel} is true.
     *
     * @since API 1.5
     */
    default INDArray trainingState() {
        throw notDataParallel();
    }

    /**
     * Replaces everything training changes with {@code flat} ({@code [S]}, the layout of {@link #trainingState}) and
     * sets {@link #iterations} to {@code iterations}. A model given another's state scores and trains exactly as that
     * model would.
     *
     * @since API 1.5
     */
    default void setTrainingState(INDArray flat, long iterations) {
        throw notDataParallel();
    }

    private UnsupportedOperationException notDataParallel() {
        return new UnsupportedOperationException(getClass().getSimpleName() + " cannot be trained data-parallel");
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
