package org.score4j.nn.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.random.SeededRandom;

/** The dense stack's paths (oneDNN, OpenBLAS, ND4J; fused passes or ND4J's elementwise operations) agree. */
class DenseStackTest {
    @ParameterizedTest
    @ValueSource(ints = {3, 8, 21})
    void oneDnnSgemmFusedKernelsAndNd4jGiveTheSameForwardAndBackwardPasses(int hidden) {
        // Widths that are not a multiple of the vector length exercise the masked ends of the fused passes.
        int[] widths = {5, hidden, hidden, 3};
        INDArray flat = new SeededRandom(7).normal(new DenseStack("swish", widths).size()).muli(2);
        INDArray input = new SeededRandom(8).normal(6, 5);
        INDArray g = new SeededRandom(9).normal(6, 3);
        java.util.List<DenseStack> stacks = new java.util.ArrayList<>(java.util.List.of(
                new DenseStack(MatrixProducts.viaNd4j(), false, "swish", widths),
                new DenseStack(MatrixProducts.viaOpenBlas(), false, "swish", widths),
                new DenseStack(MatrixProducts.best(), false, "swish", widths)));
        assertThat(FusedKernels.available()).as("the tests run with the vector API, as the launcher does").isTrue();
        assertThat(MatrixProducts.best().fusesActivation()).as("the tests run with oneDNN, as the launcher does").isTrue();
        stacks.add(new DenseStack(MatrixProducts.viaOpenBlas(), true, "swish", widths));
        stacks.add(new DenseStack(MatrixProducts.best(), true, "swish", widths));
        INDArray expectedOut = null;
        INDArray expectedGradient = null;
        INDArray expectedInput = null;
        for (DenseStack stack : stacks) {
            DenseStack.Trace trace = new DenseStack.Trace();
            INDArray out = stack.forward(stack.views(flat), input.dup(), trace).dup();
            INDArray inference = stack.forward(stack.views(flat), input.dup(), null).dup();
            INDArray gradient = Nd4j.zeros(flat.shape());
            stack.backward(stack.views(flat), trace, g.dup(), stack.views(gradient));
            DenseStack.Trace again = new DenseStack.Trace();
            stack.forward(stack.views(flat), input.dup(), again);
            INDArray inputGradient = stack.inputGradient(stack.views(flat), again, g.dup()).dup();
            double scale = 1 + out.amaxNumber().doubleValue();
            assertThat(inference.sub(out).amaxNumber().doubleValue()).isLessThan(1e-6 * scale);
            if (expectedOut == null) {
                expectedOut = out;
                expectedGradient = gradient;
                expectedInput = inputGradient;
                assertThat(gradient.amaxNumber().doubleValue()).isPositive();
                assertThat(inputGradient.shape()).containsExactly(6, 5);
                assertThat(inputGradient.amaxNumber().doubleValue()).isPositive();
            }
            assertThat(out.sub(expectedOut).amaxNumber().doubleValue()).isLessThan(1e-6 * scale);
            assertThat(gradient.sub(expectedGradient).amaxNumber().doubleValue())
                    .isLessThan(1e-6 * (1 + expectedGradient.amaxNumber().doubleValue()));
            assertThat(inputGradient.sub(expectedInput).amaxNumber().doubleValue())
                    .isLessThan(1e-6 * (1 + expectedInput.amaxNumber().doubleValue()));
        }
    }

}
