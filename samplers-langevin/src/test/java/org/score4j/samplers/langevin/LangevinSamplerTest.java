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
    void otherCodesStepSizesConvertToThisConvention() {
        // Reference code: x + a·s + √(2a)·z. The same move here is x + (α/2)·s + √α·z with α = 2a.
        double a = 0.03;
        double alpha = org.score4j.api.LangevinStep.fromReferenceCodeStepLr(a);
        INDArray x = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{1, 2}});
        INDArray s = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{-0.5, 4}});
        INDArray z = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{0.3, -1.2}});
        INDArray there = x.add(s.mul(a)).add(z.mul(Math.sqrt(2 * a)));
        INDArray here = x.dup();
        org.score4j.api.LangevinStep.apply(here, s, alpha, z.dup());
        assertThat(here.toDoubleMatrix()[0]).containsExactly(there.toDoubleMatrix()[0], offset(1e-12));
        // score SDE's annealed-Langevin corrector steps a = 2(r·σ)² in that form.
        assertThat(org.score4j.api.LangevinStep.fromSnr(0.16, 3)).isCloseTo(2 * 2 * Math.pow(0.16 * 3, 2), offset(1e-15));
    }

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
