package org.score4j.samplers.sde;

import org.score4j.testkit.SamplingGrids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.Sampler;
import org.score4j.api.SamplingGrid;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.testkit.SamplerContract;

class ConsistentAnnealedSamplerTest {

    @Test
    void recoversTheMixtureWeightsWithTheExactScore() {
        // 100 geometric levels from 100 to 0.01 (γ = 0.9112, so ε ∈ [0.89e-5, 1.91e-4]), ε = 1.2e-5 (η = 0.12), then 0.
        SamplingGrid grid = SamplingGrids.geometric(100, 0.01, 100, true);
        Sampler sampler = new ConsistentAnnealedSampler(1.2e-5);
        double[] shares = SamplerContract.assertRecoversWeights(sampler, GaussianMixture.ncsnReference(), grid, 1280,
                -8, 8, 7, 0.03);
        System.out.printf("consistent-annealed (ε = 1.2e-5), 1280 chains from N(0, 100²I), 100 geometric levels "
                + "100 → 0.01 then 0: shares %.4f / %.4f%n", shares[0], shares[1]);
        assertThat(sampler.start()).isEqualTo(Sampler.Start.PRIOR);
    }

    @Test
    void eachStepLandsAtTheNextLevel() {
        // The defining property: for data at one point, a chain at noise level σ_i is at exactly σ_{i+1} after the
        // step, whatever the admissible ε. Data N(0, 10⁻⁶·I), whose q_σ₀ is the prior itself; 10 levels 10 → 1.
        GaussianMixture point = GaussianMixture.isotropic(new double[] {1}, new double[][] {{0, 0}},
                new double[] {1e-6});
        SamplingGrid grid = SamplingGrids.geometric(10, 1, 10, false);
        for (double eps : new double[] {0.3, 1.0, 1.7}) {
            INDArray end = SamplerContract.run(new ConsistentAnnealedSampler(eps), point.exactScore(), grid, 4000, 2,
                    0, 0, 3);
            assertThat(end.stdNumber().doubleValue()).as("spread after the last step, ε = %s", eps)
                    .isCloseTo(1.0, offset(0.03));
        }
    }

    @Test
    void followsTheSamplerContract() {
        SamplerContract.assertWellBehaved(new ConsistentAnnealedSampler(0.5), SamplingGrids.geometric(20, 1, 10, true));
        SamplerContract.assertWellBehaved(new ConsistentAnnealedSampler(0.5), SamplingGrids.geometric(20, 1, 10, false));
        assertThat(new ConsistentAnnealedSampler(0.5).evaluations(SamplingGrids.geometric(20, 1, 10, true))).isEqualTo(10);
    }

    @Test
    void refusesGridsAndStepsWhereItCannotBeConsistent() {
        Sampler sampler = new ConsistentAnnealedSampler(0.5);
        // Default grid: γ = 0.7169, so ε must lie in [0.283, 1.717].
        SamplerContract.assertRefuses(new ConsistentAnnealedSampler(0.2), SamplingGrids.geometric(20, 1, 10, true),
                "makes β = √(1 − (1 − ε/σ_L²)²/γ²) the root of a negative number");
        SamplerContract.assertRefuses(new ConsistentAnnealedSampler(1.8), SamplingGrids.geometric(20, 1, 10, true),
                "it needs a step-size in [0.28");
        assertThat(new ConsistentAnnealedSampler(0.29).incompatibility(SamplingGrids.geometric(20, 1, 10, true))).isEmpty();
        assertThat(new ConsistentAnnealedSampler(1.71).incompatibility(SamplingGrids.geometric(20, 1, 10, true))).isEmpty();
        SamplerContract.assertRefuses(sampler, SamplingGrids.karras(20, 1, 10), "needs geometric levels");
        SamplerContract.assertRefuses(sampler, SamplingGrid.of(20, 2, 1, 0), "from level 1 to 2");
        SamplerContract.assertRefuses(sampler, SamplingGrid.of(1, 0), "at least two positive levels");
    }
}
