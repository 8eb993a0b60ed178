package org.score4j.nn.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.score4j.api.random.SeededRandom;

/** The fused passes against the ND4J and DL4J operations they stand in for. */
class FusedKernelsTest {
    /** Not a multiple of any vector length: the masked end is exercised. */
    private static final int N = 1003;

    @BeforeAll
    static void theTestsRunWithTheVectorApi() {
        assertThat(FusedKernels.available()).as("surefire passes --add-modules jdk.incubator.vector").isTrue();
    }

    @Test
    void adamStepsAsDl4jsAdamDoesOnItsOwnState() {
        Adam config = new Adam(3e-3, 0.9, 0.999, 1e-8);
        AdamUpdater reference = new AdamUpdater(config);
        reference.setStateViewArray(Nd4j.zeros(DataType.FLOAT, 1, 2L * N), new long[] {1, N}, 'c', true);
        INDArray expected = new SeededRandom(1).normal(N);
        // The fused step works on a range of a longer flat vector, as on one updater block of a network.
        INDArray flat = Nd4j.zeros(DataType.FLOAT, N + 10);
        INDArray theta = flat.get(NDArrayIndex.interval(5, 5 + N));
        theta.assign(expected);
        INDArray gradientFlat = Nd4j.zeros(DataType.FLOAT, N + 10);
        INDArray m = Nd4j.zeros(DataType.FLOAT, N);
        INDArray v = Nd4j.zeros(DataType.FLOAT, N);
        for (int iteration = 0; iteration < 6; iteration++) {
            INDArray g = new SeededRandom(10 + iteration).normal(N).muli(iteration + 1);
            double scale = iteration == 3 ? 0.25 : 1;
            INDArray update = g.mul(scale);
            reference.applyUpdater(update, iteration, 0);
            expected.subi(update);
            gradientFlat.get(NDArrayIndex.interval(5, 5 + N)).assign(g);
            double alpha = 3e-3 * Math.sqrt(1 - Math.pow(0.999, iteration + 1)) / (1 - Math.pow(0.9, iteration + 1));
            FusedKernels.adam(flat, gradientFlat, m, v, 5, 5 + N, scale, alpha, 0.9, 0.999, 1e-8, 1);
            assertThat(theta.sub(expected).amaxNumber().doubleValue()).as("iteration " + iteration).isLessThan(1e-6);
            assertThat(m.sub(reference.getM()).amaxNumber().doubleValue()).isLessThan(1e-6 * (iteration + 1));
            assertThat(v.sub(reference.getV()).amaxNumber().doubleValue()).isLessThan(1e-5 * (iteration + 1));
        }
        assertThat(flat.getDouble(4)).isZero();
        assertThat(flat.getDouble(5 + N)).isZero();
    }

    @Test
    void movingAverageAndNormAreTheNd4jOnes() {
        INDArray average = new SeededRandom(2).normal(N);
        INDArray parameters = new SeededRandom(3).normal(N);
        INDArray expected = average.mul(0.5).addi(parameters.mul(0.5));
        FusedKernels.movingAverage(average, parameters, 0.5);
        assertThat(average.sub(expected).amaxNumber().doubleValue()).isLessThan(1e-7);
        assertThat(FusedKernels.norm(parameters)).isCloseTo(parameters.norm2Number().doubleValue(),
                org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void adamWithWeightDecayAndSgdWithMomentumMatchTheirNd4jForms() {
        INDArray theta = new SeededRandom(4).normal(N);
        INDArray reference = theta.dup();
        INDArray m = Nd4j.zeros(DataType.FLOAT, N);
        INDArray v = Nd4j.zeros(DataType.FLOAT, N);
        INDArray mr = m.dup();
        INDArray vr = v.dup();
        INDArray buffer = Nd4j.zeros(DataType.FLOAT, N);
        INDArray bufferReference = buffer.dup();
        for (int step = 1; step <= 4; step++) {
            INDArray g = new SeededRandom(20 + step).normal(N);
            FusedKernels.adam(theta, g, m, v, 0, N, 0.5, 1e-2, 0.9, 0.999, 1e-8, 0.999);
            FusedKernels.adamWithNd4j(reference, g, mr, vr, 0, N, 0.5, 1e-2, 0.9, 0.999, 1e-8, 0.999);
            assertThat(theta.sub(reference).amaxNumber().doubleValue()).as("AdamW step %d", step).isLessThan(1e-6);
        }
        for (boolean nesterov : new boolean[] {false, true}) {
            INDArray t = new SeededRandom(5).normal(N);
            INDArray expected = t.dup();
            buffer.assign(0);
            bufferReference.assign(0);
            for (int step = 1; step <= 3; step++) {
                INDArray g = new SeededRandom(40 + step).normal(N);
                FusedKernels.sgd(t, g, buffer, 0.5, 0.1, 0.9, nesterov, 0.99);
                INDArray gs = g.mul(0.5);
                bufferReference.muli(0.9).addi(gs);
                INDArray update = nesterov ? gs.add(bufferReference.mul(0.9)) : bufferReference;
                expected.muli(0.99).subi(update.mul(0.1));
                assertThat(t.sub(expected).amaxNumber().doubleValue()).as("SGD step %d, nesterov %s", step, nesterov)
                        .isLessThan(1e-6);
            }
        }
    }

    @Test
    void sigmoidIsAccurateAndTheSameBeforeAndAfterTheJitCompilesIt() {
        // The first calls run interpreted, later ones compiled: a run's results must not depend on which.
        int rows = 4000;
        float[] values = new float[rows * 16];
        for (int i = 0; i < values.length; i++) {
            values[i] = -100f + 200f * i / values.length;
        }
        INDArray zero = Nd4j.zeros(DataType.FLOAT, 16);
        INDArray cold = Nd4j.create(DataType.FLOAT, rows, 16);
        FusedKernels.biasSwish(Nd4j.create(values, new long[] {rows, 16}, 'c'), zero, cold);
        INDArray scratch = Nd4j.create(DataType.FLOAT, 4, 16);
        for (int i = 0; i < 50_000; i++) {
            FusedKernels.biasSwish(scratch.assign(0.5), zero, null);
        }
        INDArray warm = Nd4j.create(DataType.FLOAT, rows, 16);
        FusedKernels.biasSwish(Nd4j.create(values, new long[] {rows, 16}, 'c'), zero, warm);
        assertThat(warm.data().asFloat()).containsExactly(cold.data().asFloat());
        float[] s = warm.data().asFloat();
        double worst = 0;
        for (int i = 0; i < values.length; i++) {
            double exact = 1 / (1 + Math.exp(-values[i]));
            if (exact > 1e-37) {
                worst = Math.max(worst, Math.abs(s[i] - exact) / exact);
            }
        }
        assertThat(worst).as("largest relative error of the sigmoid").isLessThan(5e-7);
    }

    @Test
    void swishStaysFiniteAndNormalForLargeInputs() {
        INDArray z = Nd4j.createFromArray(new float[][] {{-200f, -80f, 0f, 80f, 200f}});
        INDArray s = Nd4j.create(DataType.FLOAT, 1, 5);
        FusedKernels.biasSwish(z, Nd4j.zeros(DataType.FLOAT, 5), s);
        float[] a = z.data().asFloat();
        float[] sig = s.data().asFloat();
        // Far below zero the sigmoid stops at e^−87 ≈ 1.6e-38, the smallest normal floats' range, rather than 0; the
        // activation there (~1e-33) is below 2^-100 and becomes 0, as does everything it would pass back.
        assertThat(sig[0]).isPositive().isLessThan(1.7e-38f).isGreaterThanOrEqualTo(Float.MIN_NORMAL);
        assertThat(a[0]).isZero();
        assertThat((double) sig[1]).isCloseTo(1 / (1 + Math.exp(80)), org.assertj.core.data.Percentage.withPercentage(1e-4));
        assertThat(a[1]).isZero();
        assertThat(new float[] {a[2], a[3], a[4], sig[2], sig[3], sig[4]}).containsExactly(0f, 80f, 200f, 0.5f, 1f, 1f);
        INDArray g = Nd4j.ones(DataType.FLOAT, 1, 5);
        FusedKernels.swishBackward(g, s, z);
        float[] slope = g.data().asFloat();
        assertThat(new float[] {slope[2], slope[3], slope[4]}).containsExactly(0.5f, 1f, 1f);
        assertThat(new float[] {slope[0], slope[1]}).containsExactly(0f, 0f);
    }

    @Test
    void swishGradientsBelowTwoToTheMinus100BecomeZero() {
        // 37 elements: two whole vectors of 16 and a scalar tail. A saturated unit (s = 1.6e-38, a = -1.4e-36) would
        // pass 1e-3·s ≈ 1.6e-41, a subnormal; an active one (s = 0.7, a = 0.5) passes g·(0.7 + 0.5·0.3) exactly.
        float[] g = new float[37];
        float[] s = new float[37];
        float[] a = new float[37];
        for (int i = 0; i < g.length; i++) {
            boolean saturated = i % 2 == 0;
            g[i] = 1e-3f;
            s[i] = saturated ? 1.6e-38f : 0.7f;
            a[i] = saturated ? -1.4e-36f : 0.5f;
        }
        INDArray gradient = Nd4j.createFromArray(g).reshape(1, 37);
        FusedKernels.swishBackward(gradient, Nd4j.createFromArray(s).reshape(1, 37), Nd4j.createFromArray(a).reshape(1, 37));
        for (int i = 0; i < g.length; i++) {
            float expected = i % 2 == 0 ? 0f : 1e-3f * (0.7f + 0.5f * (1f - 0.7f));
            assertThat(gradient.getFloat(0, i)).as("element %d", i).isEqualTo(expected);
        }
    }
}
