package org.score4j.samplers.annealed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.NonFiniteException;
import org.score4j.api.SamplingGrid;
import org.score4j.api.ScoreFunction;
import org.score4j.api.StepListener;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.random.ChainRandom;
import org.score4j.api.spi.Settings;
import org.score4j.testkit.ComponentContract;
import org.score4j.testkit.PluginContract;
import org.score4j.testkit.SamplerContract;

class AnnealedLangevinSamplerTest {
    /** NCSN's levels: 10 geometric from 20 to 1, then 0 for the denoising step. */
    private static final SamplingGrid NCSN_GRID = SamplingGrid.of(geometric(20, 1, 10, true));

    @Test
    void recoversTheMixtureWeightsWithTheExactScore() {
        // NCSN Figure 3: 1280 chains uniform on [-8, 8]², α_i = 0.1 σ_i², 100 steps per level (1001 evaluations).
        double[] shares = SamplerContract.assertRecoversWeights(new AnnealedLangevinSampler(0.1, 100),
                GaussianMixture.ncsnReference(), NCSN_GRID, 1280, -8, 8, 7, 0.03);
        System.out.printf("annealed-langevin, 1280 chains, 10 geometric levels 20 → 1 then 0, T = 100: "
                + "shares %.4f / %.4f%n", shares[0], shares[1]);
    }

    @Test
    void followsTheSamplerContract() {
        SamplerContract.assertWellBehaved(new AnnealedLangevinSampler(0.1, 5), NCSN_GRID);
        SamplerContract.assertWellBehaved(new AnnealedLangevinSampler(0.1, 5),
                SamplingGrid.of(geometric(20, 1, 10, false)));
        assertThat(new AnnealedLangevinSampler(0.1, 3).evaluations(NCSN_GRID)).isEqualTo(31);
    }

    @Test
    void theFinalZeroOfTheGridAddsTheTweedieStep() {
        // For one Gaussian N(m, I), the chains at σ_L = 1 follow N(m, 2I); the Tweedie step maps x to (x + m)/2,
        // which is exactly what the same chains on the grid ending at 0 end with.
        GaussianMixture single = GaussianMixture.isotropic(new double[] {1}, new double[][] {{3, -1}}, new double[] {1});
        AnnealedLangevinSampler sampler = new AnnealedLangevinSampler(0.5, 50);
        INDArray noisy = SamplerContract.run(sampler, single.exactScore(), SamplingGrid.of(4, 2, 1), 2000, 2, -5, 5, 1);
        INDArray denoised = SamplerContract.run(sampler, single.exactScore(), SamplingGrid.of(4, 2, 1, 0), 2000, 2, -5, 5,
                1);
        for (int i = 0; i < 5; i++) {
            assertThat(denoised.getDouble(i, 0)).isCloseTo((noisy.getDouble(i, 0) + 3) / 2, offset(1e-5));
            assertThat(denoised.getDouble(i, 1)).isCloseTo((noisy.getDouble(i, 1) - 1) / 2, offset(1e-5));
        }
        assertThat(noisy.getColumn(0).varNumber().doubleValue()).isCloseTo(2, offset(0.2));
        assertThat(denoised.getColumn(0).varNumber().doubleValue()).isCloseTo(0.5, offset(0.05));
    }

    @Test
    void refusesAStepThatCannotConvergeAtAnyLevel() {
        SamplerContract.assertRefuses(new AnnealedLangevinSampler(1, 10), SamplingGrid.of(20, 2, 0.5, 0),
                "step-size 1.0 is at least 4σ_L² = 1.0 (σ_L = 0.5");
        assertThat(new AnnealedLangevinSampler(0.99, 10).incompatibility(SamplingGrid.of(20, 2, 0.5, 0))).isEmpty();
    }

    @Test
    void divergenceStopsWithTheStepAndLevel() {
        ScoreFunction exploding = (x, s) -> x.mul(1e30);
        ChainRandom rng = new ChainRandom(1, 0, 2);
        assertThatThrownBy(() -> new AnnealedLangevinSampler(0.1, 50)
                .sample(exploding, NCSN_GRID, rng.uniform(1, 2, 2, 2), rng, StepListener.NONE))
                .isInstanceOf(NonFiniteException.class)
                .hasMessageContaining("annealed-langevin diverged at step").hasMessageContaining("σ = 20");
    }

    @Test
    void factoryIsWellFormedAndValidates() {
        AnnealedPlugin plugin = new AnnealedPlugin();
        PluginContract.assertWellFormed(plugin);
        var factory = plugin.samplers().get(0);
        Settings bad = Settings.of(factory, "step-size = -1, steps-per-level = 0");
        assertThatThrownBy(() -> factory.create(bad))
                .hasMessageContaining("annealed-langevin.step-size: expected a number greater than 0, got -1")
                .hasMessageContaining("annealed-langevin.steps-per-level: expected a whole number of at least 1, got 0");
        // The old denoise key is gone: the grid's final 0 says it now, and a configuration still setting it hears so.
        Settings old = Settings.of(factory, "denoise = true");
        factory.create(old);
        assertThat(old.unreadProblems()).extracting(p -> p.key()).containsExactly("annealed-langevin.denoise");
    }

    static double[] geometric(double max, double min, int levels, boolean toZero) {
        double[] s = new double[levels + (toZero ? 1 : 0)];
        for (int i = 0; i < levels; i++) {
            s[i] = max * Math.pow(min / max, (double) i / (levels - 1));
        }
        return s;
    }
}
