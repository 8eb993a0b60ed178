package org.score4j.nn.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.random.SeededRandom;

/** The weight gradient hᵀ·δ on oneDNN, in both of its orientations (the narrower side of the layer in rows). */
class MatrixProductsTest {
    @ParameterizedTest
    @CsvSource({"11, 128", "128, 2", "64, 64"})
    void weightGradientMatchesTheProductAndIsTheSameOnOneAndTwoThreads(int in, int out) {
        int n = 4096;
        INDArray h = new SeededRandom(1).normal(n, in);
        INDArray delta = new SeededRandom(2).normal(n, out);
        // A view of a larger flat vector in Fortran order, as a layer's weights sit in the parameter gradient.
        INDArray flat = Nd4j.zeros(DataType.FLOAT, 7 + (long) in * out + 5);
        INDArray gradient = flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(7, 7 + (long) in * out))
                .reshape('f', in, out);
        MatrixProducts twoThreads = MatrixProducts.best();
        twoThreads.weightGradient(h, delta, gradient);
        INDArray onTwo = gradient.dup('f');
        MatrixProducts oneThread = MatrixProducts.best();
        INDArray onOne = Nd4j.zeros(DataType.FLOAT, in, out).dup('f');
        OneDnn.onOneThread(() -> {
            oneThread.weightGradient(h, delta, onOne);
            return null;
        });

        INDArray expected = h.castTo(DataType.DOUBLE).transpose().mmul(delta.castTo(DataType.DOUBLE));
        double err = onTwo.castTo(DataType.DOUBLE).sub(expected).amaxNumber().doubleValue();
        assertThat(err).isLessThan(1e-5 * Math.sqrt(n) * expected.amaxNumber().doubleValue());
        assertThat(flat.getFloat(6)).isZero();
        assertThat(flat.getFloat(7 + (long) in * out)).isZero();
        if (in < out) {
            // The input side in rows splits no sum between threads, so the bits do not depend on the thread count.
            assertThat(onOne.data().asFloat()).containsExactly(onTwo.data().asFloat());
        }
    }
}
