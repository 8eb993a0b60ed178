package org.score4j.api;

import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.random.RandomSource;

/**
 * A training objective for a score model, computed from the model's <em>outputs</em>.
 *
 * <p>Training one minibatch is: {@link #prepare} chooses the points and noise levels at which the model is evaluated
 * (perturbed data, or pairs x ± εv for finite differences); the model scores them; {@link Batch#loss} returns the loss
 * and its gradient with respect to those scores; the model back-propagates that gradient. No second-order derivative of
 * the network is ever needed, which is why finite-difference forms of score matching work on any backend.
 *
 * <p>Data types: during training the data is FLOAT; the test kit calls with DOUBLE to check gradients. A batch's
 * arrays have the type of the data it was prepared from.
 */
public interface Objective {

    /**
     * Prepares one minibatch. The noise level of each example may be any σ &gt; 0 (a level of the schedule, or one
     * drawn from a continuous distribution between its smallest and largest level).
     *
     * @param data     clean examples, shape {@code [N, shape...]}; not modified
     * @param schedule the noise levels to train on
     * @param rng      the random source for noise levels, noise and projections
     * @return the points to evaluate the model at and the means to compute the loss
     */
    Batch prepare(INDArray data, NoiseSchedule schedule, RandomSource rng);

    /**
     * Why this objective cannot train on examples of the given shape, or empty if it can. The runner asks before
     * training so that a refusal is reported with the configuration's other problems; {@link #prepare} throws
     * {@link IllegalArgumentException} with the same reason.
     *
     * @param exampleShape the shape of one example, e.g. {@code [2]}
     */
    default Optional<String> incompatibility(long[] exampleShape) {
        return Optional.empty();
    }

    /** One prepared minibatch of N examples, evaluated at M ≥ N rows. */
    interface Batch {

        /** Points at which the model must be evaluated, shape {@code [M, shape...]}. */
        INDArray inputs();

        /** Noise level of each row of {@link #inputs()}, shape {@code [M]}. */
        INDArray sigmas();

        /**
         * The example each row belongs to, {@code [M]} values in [0, N): the runner gives row r the class label of
         * example {@code rowExamples()[r]} when it trains a conditional model.
         */
        int[] rowExamples();

        /** The noise level σ &gt; 0 of each of the N examples, for the training log's per-σ losses. */
        double[] exampleSigmas();

        /**
         * The loss of this minibatch given the model's scores.
         *
         * @param scores the model's scores at {@link #inputs()}, shape {@code [M, shape...]}
         */
        Loss loss(INDArray scores);
    }
}
