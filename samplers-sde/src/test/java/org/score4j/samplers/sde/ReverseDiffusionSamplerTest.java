package org.score4j.samplers.sde;

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

class ReverseDiffusionSamplerTest {
    private final Sampler sampler = new ReverseDiffusionSampler();

    @Test
    void recoversTheMixtureWeightsWithTheExactScore() {
        // Euler-Maruyama needs fine steps: 200 geometric levels from 100 to 0.01 (ratio 0.955), then 0; 200 evaluations.
        SamplingGrid grid = SamplingGrids.geometric(100, 0.01, 200, true);
        double[] shares = SamplerContract.assertRecoversWeights(sampler, GaussianMixture.ncsnReference(), grid, 1280,
                -8, 8, 7, 0.03);
        System.out.printf("reverse-diffusion, 1280 chains from N(0, 100²I), 200 geometric levels 100 → 0.01 then 0: "
                + "shares %.4f / %.4f%n", shares[0], shares[1]);
        assertThat(sampler.start()).isEqualTo(Sampler.Start.PRIOR);
    }

    @Test
    void followsTheSamplerContract() {
        SamplerContract.assertWellBehaved(sampler, SamplingGrids.geometric(100, 0.01, 10, true));
        SamplerContract.assertWellBehaved(sampler, SamplingGrids.geometric(100, 0.01, 10, false));
        SamplerContract.assertRefuses(sampler, SamplingGrid.of(3.0), "needs at least two values");
        assertThat(sampler.evaluations(SamplingGrids.geometric(100, 0.01, 10, true))).isEqualTo(10);
    }

    @Test
    void stepsAreEulerMaruyamaAndTheStepToZeroIsTweedie() {
        ScoreFunction score = GaussianMixture.ncsnReference().exactScore();
        ChainRandom rng = new ChainRandom(5, 0, 4);
        INDArray x0 = rng.uniform(-8, 8, 4, 2);
        ChainRandom replay = new ChainRandom(5, 0, 4);
        replay.uniform(-8, 8, 4, 2);
        INDArray x1 = sampler.sample(score, SamplingGrid.of(3, 2, 0), x0, rng, StepListener.NONE);
        // x ← x + (σ² − σ'²)·s(x, σ) + √(σ² − σ'²)·z from 3 to 2; then x + σ²·s(x, σ) from 2 to 0, with no noise.
        INDArray mid = x0.add(score.score(x0, 3).mul(5)).add(replay.normal(4, 2).mul(Math.sqrt(5)));
        INDArray expected = mid.add(score.score(mid, 2).mul(4));
        assertThat(Tensors.doubles(x1)).containsExactly(Tensors.doubles(expected), offset(1e-4));
    }
}
