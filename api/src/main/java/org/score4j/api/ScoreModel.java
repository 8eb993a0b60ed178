package org.score4j.api;

import java.util.OptionalLong;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A score network s_θ(x, σ | y): scores, a flat view of its parameters θ, and the vector–Jacobian product that gives
 * the gradient of a loss with respect to θ. It owns no optimizer, moving average or training state: the runner trains
 * every model the same way, on the flat vectors.
 *
 * <p>Parameters are one flat FLOAT vector {@code [P]} in an order fixed by the architecture. {@link #parameters} and
 * {@link #setParameters} copy out and in, so a caller can keep several vectors (the live parameters, their moving
 * average) and score with any of them. A model built from the same blueprint and spec and given the same parameters
 * scores identically: that is how checkpoints restore it.
 *
 * <p>Not thread-safe. Inputs are FLOAT (a DOUBLE batch is accepted and computed in float); scores have the type of x.
 * Unconditional models ({@link #classes()} = 0) accept only null or all-{@link ConditionalScore#UNCONDITIONAL} labels.
 */
public interface ScoreModel extends ConditionalScore {

    /** Shape of one example, e.g. {@code [2]} or {@code [1, 28, 28]}. */
    long[] exampleShape();

    /** Number P of trainable parameters. */
    long parameterCount();

    /** A copy of the parameters, flat FLOAT {@code [P]}. */
    INDArray parameters();

    /**
     * Replaces the parameters with a copy of {@code flat} ({@code [P]} values in the order of {@link #parameters}).
     *
     * @throws IllegalArgumentException if {@code flat} does not hold P values
     */
    void setParameters(INDArray flat);

    /**
     * Scores in training mode, keeping what the backward pass needs. The pass is valid until the next call on this
     * model.
     *
     * @param x      points {@code [M, shape...]}
     * @param sigma  noise levels {@code [M]}
     * @param labels one label per row (see {@link ConditionalScore#score(INDArray, INDArray, int[])}), or null
     */
    TrainingPass forward(INDArray x, INDArray sigma, int[] labels);

    /**
     * Floating-point operations of one forward pass per example, counting matrix products and convolutions at two per
     * multiply–add, or empty if the model cannot tell. Benchmarks divide by it to report the arithmetic rate achieved.
     */
    default OptionalLong forwardFlops() {
        return OptionalLong.empty();
    }

    /** One training forward pass and its backward pass. */
    interface TrainingPass {

        /** The scores of the pass, {@code [M, shape...]}; the caller may keep or change the array. */
        INDArray scores();

        /**
         * The vector–Jacobian product with respect to the parameters: writes ∂(Σ g ⊙ scores)/∂θ into
         * {@code parameterGradient} (flat FLOAT {@code [P]}, overwritten). With g the gradient of a summed loss with
         * respect to the scores, that is the loss's parameter gradient. May be called once per pass.
         *
         * @param scoreGradient g, the shape of {@link #scores()}
         */
        void backward(INDArray scoreGradient, INDArray parameterGradient);
    }
}
