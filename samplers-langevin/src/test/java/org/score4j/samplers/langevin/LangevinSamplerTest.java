package org.score4j.samplers.langevin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.ScoreFunction;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.testkit.ComponentContract;
import org.score4j.testkit.SamplerContract;

class LangevinSamplerTest {

    @Test
    void mixesSlowlyBetweenDistantModes() {
        // NCSN Figure 3: with the exact data score, ε = 0.1 and 1000 steps from uniform [-8, 8]², the chains
        // keep roughly the initial half/half split instead of the true 1/5 in the small mode.
        GaussianMixture mixture = GaussianMixture.ncsnReference();
        ScoreFunction dataScore = (x, sigma) -> mixture.exactScore().score(x, 0.0);
        INDArray end = SamplerContract.run(new LangevinSampler(0.1, 1000), dataScore, NoiseSchedule.of(1.0),
                1280, 2, -8, 8, 3);
        int[] modes = mixture.nearestComponents(end);
        double small = java.util.Arrays.stream(modes).filter(m -> m == 0).count() / 1280.0;
        assertThat(small).isGreaterThan(0.35);
    }

    @Test
    void reachesASingleGaussian() {
        // Within one mode Langevin works: N((1, 2), 0.5² I) from far away, mean and variance recovered.
        GaussianMixture g = GaussianMixture.isotropic(new double[] {1}, new double[][] {{1, 2}}, new double[] {0.25});
        INDArray end = SamplerContract.run(new LangevinSampler(0.01, 2000), g.exactScore(), NoiseSchedule.of(1e-9),
                2000, 2, -3, 3, 5);
        assertThat(end.getColumn(0).meanNumber().doubleValue()).isCloseTo(1, offset(0.05));
        assertThat(end.getColumn(1).meanNumber().doubleValue()).isCloseTo(2, offset(0.05));
        assertThat(end.getColumn(0).varNumber().doubleValue()).isCloseTo(0.25, offset(0.03));
    }

    @Test
    void factoryIsWellFormed() {
        ComponentContract.assertWellFormed(new LangevinPlugin().samplers().get(0));
    }
}
