package org.score4j.samplers.ode;

import org.score4j.testkit.SamplingGrids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.Sampler;
import org.score4j.api.SamplingGrid;
import org.score4j.api.ScoreFunction;
import org.score4j.api.StepListener;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.random.ChainRandom;
import org.score4j.api.tensors.Tensors;
import org.score4j.testkit.SamplerContract;

class DpmSolverPlusPlus2MSamplerTest {
    private final Sampler sampler = new DpmSolverPlusPlus2MSampler();

    @Test
    void recoversTheMixture() {
        // 10 Karras levels from 100 to 0.01, then 0: 10 evaluations.
        GaussianMixture mixture = GaussianMixture.ncsnReference();
        SamplingGrid grid = SamplingGrids.karras(100, 0.01, 10);
        double[] shares = SamplerContract.assertRecoversWeights(sampler, mixture, grid, 1280, -8, 8, 7, 0.03);
        var sw2 = SamplerContract.assertNearMixture(SamplerContract.run(sampler, mixture.exactScore(), grid, 1280, 2,
                -8, 8, 7), mixture, 2, 11);
        System.out.printf("dpm-solver-pp-2m, 1280 chains from N(0, 100²I), 10 Karras levels 100 → 0.01 then 0: "
                + "shares %.4f / %.4f, sliced W2 %.3f (floor %.3f, ratio %.2f)%n", shares[0], shares[1], sw2.distance(),
                sw2.floor(), sw2.ratio());
        assertThat(sampler.evaluations(grid)).isEqualTo(10);
    }

    @Test
    void convergesAtSecondOrderOnAGaussian() {
        double at40 = GaussianFlow.error(sampler, SamplingGrids.karras(10, 0.01, 40));
        double at80 = GaussianFlow.error(sampler, SamplingGrids.karras(10, 0.01, 80));
        assertThat(at40 / at80).as("error ratio between 40 and 80 levels").isGreaterThan(3.5);
        assertThat(at80).isLessThan(2e-3);
    }

    @Test
    void theFirstStepIsFirstOrderAndTheSecondUsesThePreviousDenoiser() {
        ScoreFunction score = GaussianMixture.ncsnReference().exactScore();
        ChainRandom rng = new ChainRandom(2, 0, 3);
        INDArray x0 = rng.normal(3, 2).muli(8);
        INDArray end = sampler.sample(score, SamplingGrid.of(8, 4, 1), x0, rng, StepListener.NONE);
        // Step 1 (DDIM): x1 = (4/8)·x0 + (1 − 4/8)·D(x0, 8).
        INDArray d0 = score.denoise(x0, 8);
        INDArray x1 = x0.mul(0.5).add(d0.mul(0.5));
        // Step 2: h = log 4, h_prev = log 2, r = 1/2: D̃ = 2·D(x1, 4) − D(x0, 8); x2 = (1/4)·x1 + (3/4)·D̃.
        INDArray d1 = score.denoise(x1, 4);
        INDArray x2 = x1.mul(0.25).add(d1.mul(2).sub(d0).mul(0.75));
        assertThat(Tensors.doubles(end)).containsExactly(Tensors.doubles(x2), offset(1e-4));
        // The step to 0 is the denoiser itself.
        INDArray toZero = sampler.sample(score, SamplingGrid.of(8, 0), x0, rng, StepListener.NONE);
        assertThat(Tensors.doubles(toZero)).containsExactly(Tensors.doubles(d0), offset(1e-5));
    }

    @Test
    void followsTheSamplerContract() {
        SamplerContract.assertWellBehaved(sampler, SamplingGrids.karras(100, 0.01, 10));
        SamplerContract.assertWellBehaved(sampler, SamplingGrids.withoutZero(SamplingGrids.karras(100, 0.01, 10)));
        SamplerContract.assertRefuses(sampler, SamplingGrid.of(3.0), "needs at least two values");
    }
}
