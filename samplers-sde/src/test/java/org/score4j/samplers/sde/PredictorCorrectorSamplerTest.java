package org.score4j.samplers.sde;

import org.score4j.testkit.SamplingGrids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.LangevinStep;
import org.score4j.api.Sampler;
import org.score4j.api.SamplingGrid;
import org.score4j.api.ScoreFunction;
import org.score4j.api.StepListener;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.random.ChainRandom;
import org.score4j.api.spi.SamplerFactory;
import org.score4j.api.spi.Settings;
import org.score4j.api.tensors.Tensors;
import org.score4j.testkit.SamplerContract;

class PredictorCorrectorSamplerTest {
    private final Sampler sampler = new PredictorCorrectorSampler(0.16, 1);

    @Test
    void recoversTheMixtureWeightsWithTheExactScore() {
        // score SDE's VE settings (r = 0.16, M = 1) on 100 geometric levels from 100 to 0.01, then 0: 200 evaluations.
        SamplingGrid grid = SamplingGrids.geometric(100, 0.01, 100, true);
        double[] shares = SamplerContract.assertRecoversWeights(sampler, GaussianMixture.ncsnReference(), grid, 1280,
                -8, 8, 7, 0.03);
        System.out.printf("predictor-corrector (r = 0.16, M = 1), 1280 chains from N(0, 100²I), 100 geometric levels "
                + "100 → 0.01 then 0: shares %.4f / %.4f%n", shares[0], shares[1]);
        assertThat(sampler.evaluations(grid)).isEqualTo(200);
        assertThat(sampler.start()).isEqualTo(Sampler.Start.PRIOR);
    }

    @Test
    void followsTheSamplerContract() {
        SamplerContract.assertWellBehaved(new PredictorCorrectorSampler(0.16, 2), SamplingGrids.geometric(100, 0.01, 10, true));
        SamplerContract.assertWellBehaved(new PredictorCorrectorSampler(0.16, 2), SamplingGrids.geometric(100, 0.01, 10, false));
        SamplerContract.assertWellBehaved(new PredictorCorrectorSampler(0.16, 0), SamplingGrids.geometric(100, 0.01, 10, true));
        SamplerContract.assertRefuses(sampler, SamplingGrid.of(3.0), "needs at least two values");
    }

    @Test
    void correctsAtEachLevelThenPredicts() {
        // On [3, 2]: a corrector step at 3, the predictor from 3 to 2, and a corrector step at the last level 2.
        ScoreFunction score = GaussianMixture.ncsnReference().exactScore();
        ChainRandom rng = new ChainRandom(5, 0, 4);
        INDArray x0 = rng.uniform(-8, 8, 4, 2);
        ChainRandom replay = new ChainRandom(5, 0, 4);
        replay.uniform(-8, 8, 4, 2);
        INDArray end = sampler.sample(score, SamplingGrid.of(3, 2), x0, rng, StepListener.NONE);
        double a3 = 4 * Math.pow(0.16 * 3, 2);
        double a2 = 4 * Math.pow(0.16 * 2, 2);
        assertThat(LangevinStep.fromSnr(0.16, 3)).isCloseTo(a3, offset(1e-12));
        INDArray x = x0.add(score.score(x0, 3).mul(a3 / 2)).add(replay.normal(4, 2).mul(Math.sqrt(a3)));
        x = x.add(score.score(x, 3).mul(5)).add(replay.normal(4, 2).mul(Math.sqrt(5)));
        x = x.add(score.score(x, 2).mul(a2 / 2)).add(replay.normal(4, 2).mul(Math.sqrt(a2)));
        assertThat(Tensors.doubles(end)).containsExactly(Tensors.doubles(x), offset(1e-4));
        assertThat(sampler.evaluations(SamplingGrid.of(3, 2))).isEqualTo(3);
        assertThat(sampler.evaluations(SamplingGrid.of(3, 2, 0))).isEqualTo(4);
    }

    @Test
    void refusesASignalToNoiseRatioWhereLangevinDiverges() {
        SamplerFactory factory = new SdePlugin().samplers().get(1);
        assertThat(factory.name()).isEqualTo("predictor-corrector");
        assertThatThrownBy(() -> factory.create(Settings.of(factory, "snr = 1, corrector-steps = -1")))
                .hasMessageContaining("predictor-corrector.snr: must be below 1")
                .hasMessageContaining("predictor-corrector.corrector-steps: expected a whole number of at least 0");
    }
}
