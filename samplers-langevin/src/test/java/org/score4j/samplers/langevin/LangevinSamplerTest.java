package org.score4j.samplers.langevin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.LangevinStep;
import org.score4j.api.SamplingGrid;
import org.score4j.api.ScoreFunction;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.testkit.ComponentContract;
import org.score4j.testkit.PluginContract;
import org.score4j.testkit.SamplerContract;

class LangevinSamplerTest {

    @Test
    void otherCodesStepSizesConvertToThisConvention() {
        // Reference code: x + a·s + √(2a)·z. The same move here is x + (α/2)·s + √α·z with α = 2a.
        double a = 0.03;
        double alpha = LangevinStep.fromReferenceCodeStepLr(a);
        INDArray x = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{1, 2}});
        INDArray s = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{-0.5, 4}});
        INDArray z = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{0.3, -1.2}});
        INDArray there = x.add(s.mul(a)).add(z.mul(Math.sqrt(2 * a)));
        INDArray here = x.dup();
        LangevinStep.apply(here, s, alpha, z.dup());
        assertThat(here.toDoubleMatrix()[0]).containsExactly(there.toDoubleMatrix()[0], offset(1e-12));
        // score SDE's annealed-Langevin corrector steps a = 2(r·σ)² in that form.
        assertThat(LangevinStep.fromSnr(0.16, 3)).isCloseTo(2 * 2 * Math.pow(0.16 * 3, 2), offset(1e-15));
    }

    @Test
    void followsTheSamplerContract() {
        SamplerContract.assertWellBehaved(new LangevinSampler(0.1, 20), SamplingGrid.of(20, 5, 1, 0));
        SamplerContract.assertWellBehaved(new LangevinSampler(0.1, 20), SamplingGrid.of(1.0));
        assertThat(new LangevinSampler(0.1, 20).evaluations(SamplingGrid.of(20, 1, 0))).isEqualTo(21);
        assertThat(new LangevinSampler(0.1, 20).evaluations(SamplingGrid.of(20, 1))).isEqualTo(20);
    }

    @Test
    void refusesAStepThatCannotConvergeAtTheSmallestLevel() {
        // ε = 4σ_L² multiplies x − μ by −1 on a point mass: the chains never settle.
        SamplerContract.assertRefuses(new LangevinSampler(1, 10), SamplingGrid.of(20, 0.5, 0),
                "step-size 1.0 is at least 4σ² = 1.0 at the grid's smallest level σ = 0.5");
        assertThat(new LangevinSampler(0.999, 10).incompatibility(SamplingGrid.of(20, 0.5, 0))).isEmpty();
    }

    @Test
    void mixesSlowlyBetweenDistantModes() {
        // NCSN Figure 3: with the exact data score, ε = 0.1 and 1000 steps from uniform [-8, 8]², the chains
        // keep roughly the initial half/half split instead of the true 1/5 in the small mode.
        GaussianMixture mixture = GaussianMixture.ncsnReference();
        ScoreFunction dataScore = (x, sigma) -> mixture.exactScore().score(x, 0.0);
        INDArray end = SamplerContract.run(new LangevinSampler(0.1, 1000), dataScore, SamplingGrid.of(1.0),
                1280, 2, -8, 8, 3);
        assertThat(SamplerContract.fractions(mixture, end)[0]).isGreaterThan(0.35);
    }

    @Test
    void reachesASingleGaussian() {
        // Within one mode Langevin works: N((1, 2), 0.5² I) from far away, mean and variance recovered.
        GaussianMixture g = GaussianMixture.isotropic(new double[] {1}, new double[][] {{1, 2}}, new double[] {0.25});
        ScoreFunction dataScore = (x, sigma) -> g.exactScore().score(x, 0.0);
        INDArray end = SamplerContract.run(new LangevinSampler(0.01, 2000), dataScore, SamplingGrid.of(0.5),
                2000, 2, -3, 3, 5);
        assertThat(end.getColumn(0).meanNumber().doubleValue()).isCloseTo(1, offset(0.05));
        assertThat(end.getColumn(1).meanNumber().doubleValue()).isCloseTo(2, offset(0.05));
        assertThat(end.getColumn(0).varNumber().doubleValue()).isCloseTo(0.25, offset(0.03));
    }

    @Test
    void aGridEndingAtZeroFinishesWithTheTweedieStep() {
        // Data N(m, I) seen at σ_L = 1 is N(m, 2I); its Tweedie denoiser (x + m)/2 halves the spread around m: variance
        // 2/4 = 0.5, where the chains without the final 0 keep variance 2.
        GaussianMixture g = GaussianMixture.isotropic(new double[] {1}, new double[][] {{3, -1}}, new double[] {1});
        INDArray noisy = SamplerContract.run(new LangevinSampler(0.2, 300), g.exactScore(), SamplingGrid.of(1.0),
                2000, 2, -3, 3, 5);
        INDArray denoised = SamplerContract.run(new LangevinSampler(0.2, 300), g.exactScore(), SamplingGrid.of(1.0, 0),
                2000, 2, -3, 3, 5);
        assertThat(noisy.getColumn(0).varNumber().doubleValue()).isCloseTo(2, offset(0.2));
        assertThat(denoised.getColumn(0).varNumber().doubleValue()).isCloseTo(0.5, offset(0.05));
        assertThat(denoised.getColumn(1).meanNumber().doubleValue()).isCloseTo(-1, offset(0.05));
        // The same chains, denoised: (x + m)/2 exactly.
        assertThat(denoised.getDouble(7, 0)).isCloseTo((noisy.getDouble(7, 0) + 3) / 2, offset(1e-5));
    }

    @Test
    void pluginAndFactoryAreWellFormed() {
        PluginContract.assertWellFormed(new LangevinPlugin());
        ComponentContract.assertWellFormed(new LangevinPlugin().samplers().get(0));
    }
}
