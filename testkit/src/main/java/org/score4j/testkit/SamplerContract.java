package org.score4j.testkit;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.SamplingGrid;
import org.score4j.api.StepListener;
import org.score4j.api.Sampler;
import org.score4j.api.ScoreFunction;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.random.ChainRandom;

/** Runs a sampler with the exact score of a Gaussian mixture and measures what it reached. */
public final class SamplerContract {
    private SamplerContract() {
    }

    /**
     * Runs {@code chains} chains started uniform on [low, high]^d with the exact score of
     * {@code mixture} and returns the fraction of final states nearest to each component.
     */
    public static double[] modeFractions(Sampler sampler, GaussianMixture mixture, SamplingGrid grid,
                                         int chains, double low, double high, long seed) {
        INDArray end = run(sampler, mixture.exactScore(), grid, chains, mixture.dimension(), low, high, seed);
        int[] assigned = mixture.nearestComponents(end);
        double[] fractions = new double[mixture.size()];
        for (int a : assigned) {
            fractions[a] += 1.0 / assigned.length;
        }
        return fractions;
    }

    /**
     * The sampler, given the exact score of {@code mixture}, puts each component's share of the chains within
     * {@code tolerance} of its weight: what a sampler that targets the data distribution must do.
     */
    public static void assertRecoversWeights(Sampler sampler, GaussianMixture mixture, SamplingGrid grid, int chains,
                                             double low, double high, long seed, double tolerance) {
        double[] fractions = modeFractions(sampler, mixture, grid, chains, low, high, seed);
        double[] weights = mixture.weights();
        for (int k = 0; k < weights.length; k++) {
            org.assertj.core.api.Assertions.assertThat(fractions[k])
                    .as("share of the chains in component %d (weight %s), all shares %s", k, weights[k],
                            java.util.Arrays.toString(fractions))
                    .isCloseTo(weights[k], org.assertj.core.data.Offset.offset(tolerance));
        }
    }

    /** Runs the chains with per-chain random streams; the start is each chain's first draw. */
    public static INDArray run(Sampler sampler, ScoreFunction score, SamplingGrid grid, int chains, int dimension,
                               double low, double high, long seed) {
        ChainRandom rng = new ChainRandom(seed, 0, chains);
        INDArray start = rng.uniform(low, high, chains, dimension);
        return sampler.sample(score, grid, start, rng, StepListener.NONE);
    }
}
