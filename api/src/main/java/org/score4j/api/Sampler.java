package org.score4j.api;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.random.RandomSource;

/**
 * Draws samples by following a score function. Every sampler has this one signature, so any
 * sampler runs with any score: a trained network or an exact oracle score.
 *
 * <p>Step sizes follow the paper convention of this package (see {@code package-info}):
 * x ← x + (α/2)·s(x, σ) + √α·z.
 */
public interface Sampler {

    /**
     * Runs the chains.
     *
     * @param score    the score function to follow
     * @param schedule the noise levels; a single-level sampler documents which level it uses
     * @param start    initial states, shape {@code [N, shape...]}, one chain per row; not modified
     * @param noise    the source of the injected Gaussian noise; row k of every draw belongs to chain k
     *                 (with a {@link org.score4j.api.random.ChainRandom} this makes chain k independent
     *                 of the batch it runs in)
     * @param progress told the number of score evaluations done (one per step of the whole batch)
     * @return the final states, a new array with the shape of {@code start}
     * @throws NonFiniteException if a state becomes NaN or infinite
     */
    INDArray sample(ScoreFunction score, NoiseSchedule schedule, INDArray start, RandomSource noise,
                    ProgressListener progress);

    /** Number of batched score evaluations {@link #sample} performs with this schedule. */
    long evaluations(NoiseSchedule schedule);
}
