package org.score4j.api;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A (possibly learned) score ∇ₓ log q_σ(x) of data perturbed at noise level σ.
 *
 * <p>Samplers need only this, so they run equally with a trained network or with an exact
 * "oracle" score such as {@link org.score4j.api.mixture.GaussianMixture#exactScore()}.
 */
@FunctionalInterface
public interface ScoreFunction {

    /**
     * Evaluates the score.
     *
     * @param x     points, shape {@code [N, shape...]}; not modified
     * @param sigma noise level of each row, shape {@code [N]}, every entry &gt; 0 (an oracle may
     *              also accept 0, meaning the clean data)
     * @return the score at each point, a new array with the shape of {@code x}
     */
    INDArray score(INDArray x, INDArray sigma);

    /** Evaluates the score with the same noise level for every row. */
    default INDArray score(INDArray x, double sigma) {
        return score(x, Nd4j.valueArrayOf(new long[] {x.size(0)}, sigma, x.dataType()));
    }

    /**
     * The denoiser view (Tweedie's formula): D(x, σ) = x + σ²·s(x, σ), the posterior mean E[x₀ | x] of the clean data
     * given a point at noise level σ. D(x, 0) = x without evaluating the score.
     *
     * @return a new array with the shape of {@code x}
     */
    default INDArray denoise(INDArray x, double sigma) {
        if (sigma == 0) {
            return x.dup();
        }
        return x.add(score(x, sigma).muli(sigma * sigma));
    }
}
