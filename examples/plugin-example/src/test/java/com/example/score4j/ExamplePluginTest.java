package com.example.score4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.ProgressListener;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.random.ChainRandom;
import org.score4j.api.spi.Settings;
import org.score4j.testkit.PluginContract;
import org.score4j.testkit.SamplerContract;
import org.score4j.testkit.ScheduleContract;

/** The example plugin against the score4j test kit's contracts. */
class ExamplePluginTest {
    private final ExamplePlugin plugin = new ExamplePlugin();

    @Test
    void thePluginIsWellFormed() {
        PluginContract.assertWellFormed(plugin);
    }

    @Test
    void theScheduleFollowsTheRhoFormulaAndTheContract() {
        var factory = plugin.schedules().get(0);
        NoiseSchedule s = factory.create(Settings.of(factory, "sigma-max = 80, sigma-min = 0.002, levels = 5, rho = 7"));
        ScheduleContract.assertWellFormed(s);
        double hi = Math.pow(80, 1 / 7.0);
        double lo = Math.pow(0.002, 1 / 7.0);
        assertThat(s.sigma(2)).isCloseTo(Math.pow((hi + lo) / 2, 7), offset(1e-12));
        assertThat(s.largest()).isEqualTo(80);
        assertThat(s.smallest()).isEqualTo(0.002);
        ScheduleContract.assertWellFormed(factory.create(Settings.of(factory, "levels = 1")));
        assertThatThrownBy(() -> factory.create(Settings.of(factory, "sigma-max = 0.5"))).hasMessageContaining(
                "karras.sigma-max: must be greater than sigma-min (1.0), got 0.5");
    }

    @Test
    void withTheExactScoreTheSamplerRecoversTheMixtureWeights() {
        // The NCSN mixture 1/5 N((-5,-5), I) + 4/5 N((5,5), I) from chains uniform on [-8, 8]².
        var factory = plugin.schedules().get(0);
        NoiseSchedule levels = factory.create(Settings.of(factory, "levels = 100"));
        for (var predictor : PredictorCorrectorSampler.Predictor.values()) {
            SamplerContract.assertRecoversWeights(new PredictorCorrectorSampler(predictor, 0.16, 1, true),
                    GaussianMixture.ncsnReference(), levels, 2000, -8, 8, 3, 0.03);
        }
    }

    @Test
    void theDenoisedEndOfOneGaussianHasItsMeanAndSpread() {
        GaussianMixture single = GaussianMixture.isotropic(new double[] {1}, new double[][] {{3, -1}}, new double[] {0.25});
        var factory = plugin.schedules().get(0);
        NoiseSchedule levels = factory.create(Settings.of(factory, "sigma-max = 10, sigma-min = 0.05, levels = 60"));
        INDArray end = SamplerContract.run(new PredictorCorrectorSampler(PredictorCorrectorSampler.Predictor.ANCESTRAL,
                0.16, 2, true), single.exactScore(), levels, 4000, 2, -8, 8, 5);
        assertThat(end.getColumn(0).meanNumber().doubleValue()).isCloseTo(3, offset(0.05));
        assertThat(end.getColumn(1).meanNumber().doubleValue()).isCloseTo(-1, offset(0.05));
        // The Tweedie end is the posterior mean at σ_L: spread v/√(v + σ_L²) = 0.4975 for v = 0.25.
        assertThat(end.getColumn(0).stdNumber().doubleValue()).isCloseTo(0.4975, offset(0.04));
    }

    @Test
    void aChainDoesNotDependOnItsBatch() {
        var sampler = new PredictorCorrectorSampler(PredictorCorrectorSampler.Predictor.ANCESTRAL, 0.16, 2, true);
        var score = GaussianMixture.ncsnReference().exactScore();
        NoiseSchedule levels = KarrasSchedule.of(20, 1, 8, 7);
        ChainRandom all = new ChainRandom(11, 0, 6);
        INDArray together = sampler.sample(score, levels, all.uniform(-8, 8, 6, 2), all, ProgressListener.NONE);
        ChainRandom tail = new ChainRandom(11, 4, 2);
        INDArray alone = sampler.sample(score, levels, tail.uniform(-8, 8, 2, 2), tail, ProgressListener.NONE);
        assertThat(alone.getRow(1).toDoubleVector()).containsExactly(together.getRow(5).toDoubleVector());
    }
}
