package org.score4j.samplers.sde;

import org.score4j.testkit.SamplingGrids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.Sampler;
import org.score4j.api.SamplingGrid;
import org.score4j.api.StepListener;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.random.ChainRandom;
import org.score4j.api.spi.SamplerFactory;
import org.score4j.api.spi.Settings;
import org.score4j.api.tensors.Tensors;
import org.score4j.testkit.SamplerContract;

class EdmSamplerTest {
    private final Sampler heun = new EdmSampler(0, 0, 1e30, 1);

    @Test
    void deterministicHeunRecoversTheMixture() {
        // 10 Karras levels from 100 to 0.01, then 0: 19 evaluations.
        SamplingGrid grid = SamplingGrids.karras(100, 0.01, 10);
        GaussianMixture mixture = GaussianMixture.ncsnReference();
        double[] shares = SamplerContract.assertRecoversWeights(heun, mixture, grid, 1280, -8, 8, 7, 0.03);
        var sw2 = SamplerContract.assertNearMixture(SamplerContract.run(heun, mixture.exactScore(), grid, 1280, 2, -8, 8,
                7), mixture, 2, 11);
        System.out.printf("edm (s-churn = 0), 1280 chains from N(0, 100²I), 10 Karras levels 100 → 0.01 then 0: "
                + "shares %.4f / %.4f, sliced W2 %.3f (floor %.3f, ratio %.2f)%n", shares[0], shares[1], sw2.distance(),
                sw2.floor(), sw2.ratio());
        assertThat(heun.evaluations(grid)).isEqualTo(19);
    }

    @Test
    void stochasticHeunRecoversTheMixture() {
        SamplingGrid grid = SamplingGrids.karras(100, 0.01, 20);
        Sampler churned = new EdmSampler(10, 0.05, 50, 1.003);
        double[] shares = SamplerContract.assertRecoversWeights(churned, GaussianMixture.ncsnReference(), grid, 1280,
                -8, 8, 7, 0.03);
        System.out.printf("edm (s-churn = 10 on [0.05, 50], s-noise = 1.003), 1280 chains from N(0, 100²I), 20 Karras "
                + "levels 100 → 0.01 then 0: shares %.4f / %.4f%n", shares[0], shares[1]);
    }

    @Test
    void followsTheProbabilityFlowOfAGaussianToSecondOrder() {
        // Data N(m, v·I): the probability-flow ODE maps x at σ₀ to m + (x − m)·√(v/(v + σ₀²)) at σ = 0. Heun's error
        // falls four-fold when the steps halve (Euler's only two-fold).
        double error40 = gaussianFlowError(heun, 40);
        double error80 = gaussianFlowError(heun, 80);
        assertThat(error80).isLessThan(2e-3);
        assertThat(error40 / error80).as("error ratio between 40 and 80 levels").isGreaterThan(3.5);
    }

    /** The largest error at σ = 0 over 50 chains from N(0, 10²·I), data N((3, −1), 0.25·I), L Karras levels 10 → 0.01. */
    static double gaussianFlowError(Sampler sampler, int levels) {
        double v = 0.25;
        GaussianMixture g = GaussianMixture.isotropic(new double[] {1}, new double[][] {{3, -1}}, new double[] {v});
        ChainRandom rng = new ChainRandom(3, 0, 50);
        INDArray x0 = rng.normal(50, 2).muli(10);
        INDArray end = sampler.sample(g.exactScore(), SamplingGrids.karras(10, 0.01, levels), x0, rng, StepListener.NONE);
        double shrink = Math.sqrt(v / (v + 100));
        double[] start = Tensors.doubles(x0);
        double[] got = Tensors.doubles(end);
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            double m = i % 2 == 0 ? 3 : -1;
            worst = Math.max(worst, Math.abs(got[i] - (m + (start[i] - m) * shrink)));
        }
        return worst;
    }

    @Test
    void followsTheSamplerContract() {
        SamplerContract.assertWellBehaved(heun, SamplingGrids.karras(100, 0.01, 10));
        SamplerContract.assertWellBehaved(new EdmSampler(10, 0.05, 50, 1.003), SamplingGrids.karras(100, 0.01, 10));
        SamplerContract.assertWellBehaved(new EdmSampler(10, 0, 1e30, 1), SamplingGrids.withoutZero(SamplingGrids.karras(100, 0.01, 10)));
        SamplerContract.assertRefuses(heun, SamplingGrid.of(3.0), "needs at least two values");
        assertThat(heun.evaluations(SamplingGrids.withoutZero(SamplingGrids.karras(100, 0.01, 10)))).isEqualTo(18);
    }

    @Test
    void factoryValidatesTheChurnWindow() {
        SamplerFactory factory = new SdePlugin().samplers().get(3);
        assertThat(factory.name()).isEqualTo("edm");
        assertThatThrownBy(() -> factory.create(Settings.of(factory, "s-tmin = 2, s-tmax = 1, s-churn = -1")))
                .hasMessageContaining("edm.s-tmax: must be at least s-tmin (2.0), got 1")
                .hasMessageContaining("edm.s-churn: expected a number of at least 0.0, got -1");
    }
}
