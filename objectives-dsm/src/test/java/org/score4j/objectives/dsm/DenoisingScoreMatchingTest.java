package org.score4j.objectives.dsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.Loss;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.Objective;
import org.score4j.api.SigmaDistribution;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.random.SeededRandom;
import org.score4j.testkit.ComponentContract;
import org.score4j.testkit.ObjectiveContract;

class DenoisingScoreMatchingTest {
    private static final NoiseSchedule LEVELS = NoiseSchedule.of(4, 2, 1, 0.5);

    @Test
    void gradientMatchesFiniteDifferences() {
        INDArray data = new SeededRandom(1).normal(6, 3);
        ObjectiveContract.assertGradientMatchesFiniteDifferences(
                new DenoisingScoreMatching(DenoisingScoreMatching.Weighting.SIGMA_SQUARED, SigmaDistribution.LEVELS), LEVELS, data, 2);
        ObjectiveContract.assertGradientMatchesFiniteDifferences(
                new DenoisingScoreMatching(DenoisingScoreMatching.Weighting.UNIFORM, SigmaDistribution.LEVELS), LEVELS, data, 3);
    }

    @Test
    void perturbsWithTheChosenLevelAndTargetsTheKernelScore() {
        INDArray data = new SeededRandom(4).normal(500, 2).castTo(DataType.DOUBLE);
        Objective.Batch batch = new DenoisingScoreMatching(DenoisingScoreMatching.Weighting.SIGMA_SQUARED, SigmaDistribution.LEVELS)
                .prepare(data, LEVELS, new SeededRandom(5));
        INDArray noise = batch.inputs().sub(data);
        java.util.Set<Double> levels = java.util.Arrays.stream(LEVELS.sigmas()).boxed().collect(java.util.stream.Collectors.toSet());
        for (int i = 0; i < 500; i++) {
            assertThat(batch.sigmas().getDouble(i)).isEqualTo(batch.exampleSigmas()[i], offset(1e-12));
            assertThat(levels).contains(batch.exampleSigmas()[i]);
            assertThat(batch.rowExamples()[i]).isEqualTo(i);
        }
        // The kernel score −(x̃ − x)/σ² has zero loss.
        INDArray kernelScore = org.score4j.api.tensors.Tensors.divideRows(noise, batch.sigmas().mul(batch.sigmas())).negi();
        assertThat(batch.loss(kernelScore).mean()).isCloseTo(0, offset(1e-9));
        // A zero score costs ½ E‖z‖² = d/2 per example under λ = σ².
        Loss zero = batch.loss(kernelScore.mul(0));
        assertThat(zero.mean()).isCloseTo(1.0, offset(0.12));
    }

    @Test
    void theExactPerturbedScoreMinimisesTheExpectedLoss() {
        // E DSM = Fisher divergence to the perturbed score + constant: the exact score must beat a slightly wrong one.
        GaussianMixture g = GaussianMixture.ncsnReference();
        NoiseSchedule one = NoiseSchedule.of(2.0);
        INDArray data = g.sample(20000, new SeededRandom(8)).castTo(DataType.DOUBLE);
        Objective.Batch batch = new DenoisingScoreMatching(DenoisingScoreMatching.Weighting.SIGMA_SQUARED, SigmaDistribution.LEVELS)
                .prepare(data, one, new SeededRandom(9));
        INDArray exact = g.exactScore().score(batch.inputs(), batch.sigmas());
        double best = batch.loss(exact).mean();
        assertThat(batch.loss(exact.mul(1.1)).mean()).isGreaterThan(best);
        assertThat(batch.loss(exact.mul(0.9)).mean()).isGreaterThan(best);
        assertThat(batch.loss(exact.add(0.05)).mean()).isGreaterThan(best);
    }

    @Test
    void logUniformSigmasCoverTheScheduleRangeWithUniformLogs() {
        INDArray data = new SeededRandom(6).normal(20000, 1).castTo(DataType.DOUBLE);
        Objective.Batch batch = new DenoisingScoreMatching(DenoisingScoreMatching.Weighting.SIGMA_SQUARED,
                SigmaDistribution.LOG_UNIFORM).prepare(data, LEVELS, new SeededRandom(7));
        double[] sigmas = batch.exampleSigmas();
        double low = Math.log(0.5);
        double span = Math.log(4) - low;
        int[] quarters = new int[4];
        for (double s : sigmas) {
            assertThat(s).isBetween(0.5, 4.0);
            quarters[(int) Math.min(3, (Math.log(s) - low) / span * 4)]++;
        }
        // A quarter of the log-range each: 5000 ± 4·√(20000·¼·¾).
        for (int q : quarters) {
            assertThat(q).isBetween(5000 - 245, 5000 + 245);
        }
        assertThat(java.util.Arrays.stream(sigmas).distinct().count()).isGreaterThan(19000);
        ObjectiveContract.assertGradientMatchesFiniteDifferences(new DenoisingScoreMatching(
                DenoisingScoreMatching.Weighting.SIGMA_SQUARED, SigmaDistribution.LOG_UNIFORM), LEVELS,
                new SeededRandom(1).normal(6, 3), 4);
    }

    @Test
    void factoryIsWellFormed() {
        ComponentContract.assertWellFormed(new DsmPlugin().objectives().get(0));
    }
}
