package org.score4j.api;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A capability of a score: the vector–Jacobian product with respect to its input, gᵀ·∂s(x, σ)/∂x, by back-propagation.
 * Likelihoods (the divergence of the probability-flow drift, by Hutchinson's estimator) and guidance use it where a
 * score has it, and finite differences of {@link ScoreFunction#score} where it does not.
 */
public interface InputGradient {

    /**
     * ∂(Σ g ⊙ s(x, σ | y))/∂x: row i is g_iᵀ J_i with J_i the Jacobian of row i's score with respect to row i's point.
     *
     * @param x      points {@code [N, shape...]}
     * @param sigma  noise levels {@code [N]}
     * @param labels one label per row, or null (see {@link ConditionalScore})
     * @param g      the vectors, the shape of x
     * @return a new array with the shape of x
     */
    INDArray inputGradient(INDArray x, INDArray sigma, int[] labels, INDArray g);
}
