package org.score4j.core.likelihood;

import org.score4j.api.random.RandomSource;

/**
 * How the divergence of the score, tr ∂s(x, σ)/∂x, is obtained along the probability-flow path; the drift's divergence
 * is then ∇·f = −σ·tr ∂s/∂x. Two kinds: {@link ExactTrace} (central differences along every axis, for low dimensions)
 * and {@link Hutchinson} (random probes, for any dimension).
 *
 * <p>An estimator is fixed for one batch before its integration starts ({@link #forBatch}): Hutchinson's probes are
 * drawn once per example and kept along the whole path, so the ODE's right-hand side is a deterministic function of
 * (x, σ), as an adaptive integrator needs, and the estimate of the integral is unbiased.
 */
public abstract sealed class DivergenceEstimator permits ExactTrace, Hutchinson {

    DivergenceEstimator() {
    }

    /**
     * The estimator for one batch.
     *
     * @param score  the score, on flat rows
     * @param rows   examples in the batch, N
     * @param probes row k of every draw belongs to example k of the batch
     */
    abstract Batch forBatch(ScoreRows score, int rows, RandomSource probes);

    /**
     * Score rows one evaluation of the right-hand side costs per example (forward passes and input gradients counted
     * alike), for an example of {@code dimension} values and a score with or without an input gradient.
     */
    public abstract int rowsPerExample(int dimension, boolean inputGradient);

    /**
     * Why this estimator cannot serve examples of {@code dimension} values, or null.
     */
    String refusal(int dimension) {
        return null;
    }

    /** The estimator fixed for one batch. */
    interface Batch {
        /**
         * @param x     the batch's points, N·D values (row-major)
         * @param sigma the noise level
         * @return the score at x and the estimate of tr ∂s/∂x at each point
         */
        ScoreAndTrace at(double[] x, double sigma);
    }

    /** The score at N points (N·D values) and the estimated trace of its Jacobian at each. */
    record ScoreAndTrace(double[] score, double[] trace) {
    }
}
