package org.score4j.api;

import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.random.RandomSource;

/**
 * Draws samples by following a score function along a {@link SamplingGrid}. Every sampler has this one signature, so
 * any sampler runs with any score: a trained network, a guided or conditioned score, or an exact oracle score.
 *
 * <p>Step sizes and noise follow the conventions of {@link LangevinStep}; samplers that work with the denoiser
 * D(x, σ) = x + σ²·s(x, σ) get it from {@link ScoreFunction#denoise}.
 */
public interface Sampler {

    /** Where chains start when the user does not say. */
    enum Start {
        /** Uniform in the box [sample.low, sample.high] in every coordinate (NCSN). */
        BOX,
        /** The prior of the variance-exploding SDE at the largest level: N(0, σ₀²·I) (score SDE, EDM). */
        PRIOR
    }

    /**
     * Runs the chains.
     *
     * @param score    the score function to follow
     * @param grid     the noise levels to visit
     * @param start    initial states, shape {@code [N, shape...]}, one chain per row; not modified
     * @param noise    the source of the injected Gaussian noise; row k of every draw belongs to chain k (with a
     *                 {@link org.score4j.api.random.ChainRandom} chain k is independent of the batch it runs in)
     * @param listener told of every step, with the live state (see {@link SamplerStep})
     * @return the final states, a new array with the shape of {@code start}
     * @throws NonFiniteException if a state becomes NaN or infinite
     */
    INDArray sample(ScoreFunction score, SamplingGrid grid, INDArray start, RandomSource noise, StepListener listener);

    /** Batched score evaluations {@link #sample} performs on this grid (at most, for adaptive samplers). */
    long evaluations(SamplingGrid grid);

    /**
     * Why this sampler cannot run on {@code grid} with its settings (e.g. a step size that diverges on it), or empty.
     * The runner asks before anything runs, so a refusal comes with the configuration's other problems and before
     * any training; {@link #sample} may then assume a grid it accepts.
     */
    default Optional<String> incompatibility(SamplingGrid grid) {
        return Optional.empty();
    }

    /** Where this sampler's chains start by default. */
    default Start start() {
        return Start.BOX;
    }
}
