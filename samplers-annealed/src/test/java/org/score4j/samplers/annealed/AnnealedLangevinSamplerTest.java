package org.score4j.samplers.annealed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.NonFiniteException;
import org.score4j.api.ProgressListener;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.random.ChainRandom;
import org.score4j.api.spi.Settings;
import org.score4j.testkit.ComponentContract;
import org.score4j.testkit.SamplerContract;

class AnnealedLangevinSamplerTest {
    private static final NoiseSchedule NCSN_LEVELS = geometric(20, 1, 10);

    @Test
    void recoversTheMixtureWeightsWithTheExactScore() {
        // NCSN Figure 3: 1280 chains uniform on [-8, 8]², α_i = 0.1 σ_i², 100 steps per level.
        double[] fractions = SamplerContract.modeFractions(new AnnealedLangevinSampler(0.1, 100, false),
                GaussianMixture.ncsnReference(), NCSN_LEVELS, 1280, -8, 8, 7);
        assertThat(fractions[0]).isCloseTo(0.2, offset(0.03));
    }

    @Test
    void denoisingStepMovesChainsToThePosteriorMean() {
        // For a single Gaussian N(m, I) the Tweedie step of x at level σ gives (x + σ² m)/(1 + σ²).
        GaussianMixture single = GaussianMixture.isotropic(new double[] {1}, new double[][] {{3, -1}}, new double[] {1});
        NoiseSchedule one = NoiseSchedule.of(2.0);
        INDArray start = new ChainRandom(1, 0, 4).uniform(-5, 5, 4, 2);
        INDArray denoised = start.dup();
        org.score4j.api.LangevinStep.denoise(denoised, single.exactScore().score(start, 2.0), 2.0);
        for (int i = 0; i < 4; i++) {
            assertThat(denoised.getDouble(i, 0)).isCloseTo((start.getDouble(i, 0) + 4 * 3) / 5, offset(1e-4));
            assertThat(denoised.getDouble(i, 1)).isCloseTo((start.getDouble(i, 1) - 4) / 5, offset(1e-4));
        }
        assertThat(new AnnealedLangevinSampler(0.1, 3, true).evaluations(one)).isEqualTo(4);
    }

    @Test
    void chainsDoNotDependOnTheBatchTheyRunIn() {
        AnnealedLangevinSampler sampler = new AnnealedLangevinSampler(0.1, 5, true);
        var score = GaussianMixture.ncsnReference().exactScore();
        ChainRandom all = new ChainRandom(11, 0, 6);
        INDArray together = sampler.sample(score, NCSN_LEVELS, all.uniform(-8, 8, 6, 2), all, ProgressListener.NONE);
        ChainRandom tail = new ChainRandom(11, 4, 2);
        INDArray alone = sampler.sample(score, NCSN_LEVELS, tail.uniform(-8, 8, 2, 2), tail, ProgressListener.NONE);
        assertThat(alone.getRow(1).toDoubleVector()).containsExactly(together.getRow(5).toDoubleVector());
    }

    @Test
    void divergenceStopsWithTheStepAndLevel() {
        var exploding = (org.score4j.api.ScoreFunction) (x, s) -> x.mul(1e30);
        ChainRandom rng = new ChainRandom(1, 0, 2);
        assertThatThrownBy(() -> new AnnealedLangevinSampler(0.1, 50, false)
                .sample(exploding, NCSN_LEVELS, rng.uniform(1, 2, 2, 2), rng, ProgressListener.NONE))
                .isInstanceOf(NonFiniteException.class)
                .hasMessageContaining("annealed-langevin diverged at step").hasMessageContaining("σ = 20");
    }

    @Test
    void factoryIsWellFormedAndValidates() {
        AnnealedPlugin plugin = new AnnealedPlugin();
        ComponentContract.assertWellFormed(plugin.samplers().get(0));
        Settings bad = Settings.of(plugin.samplers().get(0), "step-size = -1, steps-per-level = 0");
        assertThatThrownBy(() -> plugin.samplers().get(0).create(bad))
                .hasMessageContaining("annealed-langevin.step-size: expected a number greater than 0, got -1")
                .hasMessageContaining("annealed-langevin.steps-per-level: expected a whole number of at least 1, got 0");
    }

    static NoiseSchedule geometric(double max, double min, int levels) {
        double[] s = new double[levels];
        for (int i = 0; i < levels; i++) {
            s[i] = max * Math.pow(min / max, (double) i / (levels - 1));
        }
        return NoiseSchedule.of(s);
    }
}
