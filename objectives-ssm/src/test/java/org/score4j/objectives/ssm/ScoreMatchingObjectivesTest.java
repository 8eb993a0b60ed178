package org.score4j.objectives.ssm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.Loss;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.Objective;
import org.score4j.api.tensors.Tensors;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.spi.ObjectiveFactory;
import org.score4j.api.spi.Settings;
import org.score4j.testkit.ComponentContract;
import org.score4j.testkit.ObjectiveContract;

class ScoreMatchingObjectivesTest {

    private static final double[] MEAN = {1.0, -2.0};
    private static final double[][] COVARIANCE = {{2.0, 0.6}, {0.6, 1.0}};
    private static final double[][] A = {{1.5, 0.4}, {0.4, 0.8}};

    record Case(String label, Objective objective, boolean clean) {
        @Override
        public String toString() {
            return label + (clean ? ", clean" : ", noise-conditional");
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("ssm rademacher", sliced(Projection.RADEMACHER, 1, false, Conditioning.NOISE_CONDITIONAL), false),
                new Case("ssm gaussian K=3", sliced(Projection.GAUSSIAN, 3, false, Conditioning.CLEAN), true),
                new Case("ssm-vr gaussian", sliced(Projection.GAUSSIAN, 1, true, Conditioning.NOISE_CONDITIONAL), false),
                new Case("ssm-vr sphere K=2", sliced(Projection.SPHERE, 2, true, Conditioning.CLEAN), true),
                new Case("exact-sm", new ExactScoreMatching(10, Conditioning.NOISE_CONDITIONAL, org.score4j.api.SigmaDistribution.LEVELS, 0.01), false),
                new Case("exact-sm", new ExactScoreMatching(10, Conditioning.CLEAN, org.score4j.api.SigmaDistribution.LEVELS, 0.01), true));
    }

    private static Objective sliced(Projection p, int k, boolean vr, Conditioning c) {
        return new SlicedScoreMatching(p, k, vr, c, org.score4j.api.SigmaDistribution.LEVELS, 0.01);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void gradientMatchesFiniteDifferences(Case c) {
        INDArray data = new SeededRandom(1).normal(5, 3);
        ObjectiveContract.assertGradientMatchesFiniteDifferences(c.objective(), NoiseSchedule.of(3, 1, 0.3), data, 7);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void lossOfALinearScoreMatchesItsExpectation(Case c) {
        // For s(x) = −Ax every objective's expectation is λ(σ)·[−tr A + ½ E‖A x̃‖²], x̃ ~ N(μ, Σ + σ²I).
        NoiseSchedule schedule = NoiseSchedule.of(2.0, 0.5);
        INDArray data = gaussian(40_000, 11);
        Objective.Batch batch = c.objective().prepare(data, schedule, new SeededRandom(12));
        Loss loss = batch.loss(linearScore(batch.inputs()));

        boolean clean = c.clean();
        double expected = 0;
        for (double sigma : clean ? new double[] {0} : schedule.sigmas()) {
            double weight = clean ? 1 : sigma * sigma / schedule.size();
            expected += weight * (-trace(A) + 0.5 * expectedSquaredNorm(sigma));
        }
        double sd = loss.perExample().stdNumber().doubleValue();
        assertThat(loss.mean()).isCloseTo(expected, offset(4 * sd / Math.sqrt(40_000)));
    }

    @Test
    void exactScoreMatchingOfALinearScoreIsTheTraceAndHalfTheSquaredNormPerExample() {
        INDArray data = gaussian(50, 3);
        Objective.Batch batch = new ExactScoreMatching(10, Conditioning.CLEAN, org.score4j.api.SigmaDistribution.LEVELS, 0.01)
                .prepare(data, NoiseSchedule.of(1.0), new SeededRandom(4));
        assertThat(batch.inputs().size(0)).isEqualTo(50 * 2 * 2);
        INDArray perExample = batch.loss(linearScore(batch.inputs())).perExample();
        INDArray expected = Tensors.rowSquaredNorms(linearScore(data)).muli(0.5).subi(trace(A));
        for (int i = 0; i < 50; i++) {
            assertThat(perExample.getDouble(i)).isCloseTo(expected.getDouble(i), offset(1e-9));
        }
    }

    @Test
    void sphereDirectionsHaveRadiusRootD() {
        INDArray v = Projection.SPHERE.draw(new SeededRandom(3), 100, 9).castTo(DataType.DOUBLE);
        INDArray norms = Tensors.rowSquaredNorms(v);
        assertThat(norms.minNumber().doubleValue()).isCloseTo(9, offset(1e-4));
        assertThat(norms.maxNumber().doubleValue()).isCloseTo(9, offset(1e-4));
    }

    @Test
    void exactScoreMatchingRefusesHighDimensionalDataNamingTheDimensionAndTheLimit() {
        ExactScoreMatching esm = new ExactScoreMatching(10, Conditioning.CLEAN, org.score4j.api.SigmaDistribution.LEVELS, 0.01);
        assertThat(esm.incompatibility(new long[] {10})).isEmpty();
        assertThat(esm.incompatibility(new long[] {1, 28, 28})).hasValueSatisfying(reason -> assertThat(reason)
                .contains("d = 784", "max-dimension = 10", "ssm-vr"));
        assertThatThrownBy(() -> esm.prepare(Nd4j.zeros(DataType.FLOAT, 4, 11), NoiseSchedule.of(1.0),
                new SeededRandom(1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("d = 11");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void fittingALinearScoreRecoversTheGaussiansMeanAndCovariance(Case c) {
        // σ = 1 keeps the σ² weight at 1, so both conditionings train at the same rate.
        double sigma = 1.0;
        double extra = c.clean() ? 0 : sigma * sigma;
        double[][] fitted = fitGaussian(c.objective(), NoiseSchedule.of(sigma));
        double[][] cov = inverse(new double[][] {{fitted[0][0], fitted[0][1]}, {fitted[1][0], fitted[1][1]}});
        double[] mean = {cov[0][0] * fitted[2][0] + cov[0][1] * fitted[2][1],
                cov[1][0] * fitted[2][0] + cov[1][1] * fitted[2][1]};
        assertThat(mean[0]).isCloseTo(MEAN[0], offset(0.06));
        assertThat(mean[1]).isCloseTo(MEAN[1], offset(0.06));
        assertThat(cov[0][0]).isCloseTo(COVARIANCE[0][0] + extra, offset(0.1));
        assertThat(cov[1][1]).isCloseTo(COVARIANCE[1][1] + extra, offset(0.06));
        assertThat(cov[0][1]).isCloseTo(COVARIANCE[0][1], offset(0.06));
        assertThat(cov[1][0]).isCloseTo(COVARIANCE[1][0], offset(0.06));
    }

    @Test
    void factoriesAreWellFormedAndReadEveryKey() {
        List<ObjectiveFactory> factories = new SsmPlugin().objectives();
        assertThat(factories).extracting(ObjectiveFactory::name).containsExactly("ssm", "ssm-vr", "exact-sm");
        factories.forEach(ComponentContract::assertWellFormed);
        Settings bad = Settings.of(factories.get(0), "projection = sphre, fd-step = 2, conditionning = clean");
        assertThatThrownBy(() -> factories.get(0).create(bad)).hasMessageContaining("ssm.projection")
                .hasMessageContaining("did you mean 'sphere'").hasMessageContaining("ssm.fd-step");
        assertThat(bad.unreadProblems().toString()).contains("did you mean 'conditioning'");
    }

    /** SGD on s(x) = −Wx + b with the objective's score gradient; returns {W row 0, W row 1, b}, Polyak-averaged. */
    private static double[][] fitGaussian(Objective objective, NoiseSchedule schedule) {
        INDArray w = Nd4j.eye(2).castTo(DataType.DOUBLE);
        INDArray b = Nd4j.zeros(DataType.DOUBLE, 2);
        INDArray wSum = Nd4j.zeros(DataType.DOUBLE, 2, 2);
        INDArray bSum = Nd4j.zeros(DataType.DOUBLE, 2);
        SeededRandom rng = new SeededRandom(21);
        int steps = 1500;
        int batchSize = 256;
        for (int step = 0; step < steps; step++) {
            INDArray data = gaussian(batchSize, 1000 + step);
            Objective.Batch batch = objective.prepare(data, schedule, rng);
            INDArray x = batch.inputs();
            INDArray scores = x.mmul(w.transpose()).negi().addiRowVector(b);
            INDArray g = batch.loss(scores).scoreGradient();
            INDArray gradW = g.transpose().mmul(x).negi().divi(batchSize);
            INDArray gradB = g.sum(0).divi(batchSize);
            w.subi(gradW.muli(0.05));
            b.subi(gradB.muli(0.05));
            if (step >= steps / 2) {
                wSum.addi(w);
                bSum.addi(b);
            }
        }
        double[][] wm = wSum.divi(steps - steps / 2).toDoubleMatrix();
        double[] bm = bSum.divi(steps - steps / 2).toDoubleVector();
        return new double[][] {wm[0], wm[1], bm};
    }

    private static INDArray gaussian(int n, long seed) {
        INDArray z = new SeededRandom(seed).normal(n, 2).castTo(DataType.DOUBLE);
        double l00 = Math.sqrt(COVARIANCE[0][0]);
        double l10 = COVARIANCE[1][0] / l00;
        double l11 = Math.sqrt(COVARIANCE[1][1] - l10 * l10);
        INDArray lower = Nd4j.createFromArray(new double[][] {{l00, 0}, {l10, l11}});
        return z.mmul(lower.transpose()).addiRowVector(Nd4j.createFromArray(MEAN));
    }

    private static INDArray linearScore(INDArray x) {
        return x.mmul(Nd4j.createFromArray(A).transpose()).negi();
    }

    private static double trace(double[][] m) {
        return m[0][0] + m[1][1];
    }

    /** E‖A x̃‖² = tr(A²(Σ + σ²I)) + μᵀA²μ. */
    private static double expectedSquaredNorm(double sigma) {
        INDArray a = Nd4j.createFromArray(A);
        INDArray a2 = a.mmul(a);
        INDArray cov = Nd4j.createFromArray(COVARIANCE).add(Nd4j.eye(2).castTo(DataType.DOUBLE).muli(sigma * sigma));
        INDArray mu = Nd4j.createFromArray(MEAN).reshape(2, 1);
        INDArray product = a2.mmul(cov);
        return product.getDouble(0, 0) + product.getDouble(1, 1)
                + mu.transpose().mmul(a2).mmul(mu).getDouble(0);
    }

    private static double[][] inverse(double[][] m) {
        double det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
        return new double[][] {{m[1][1] / det, -m[0][1] / det}, {-m[1][0] / det, m[0][0] / det}};
    }
}
