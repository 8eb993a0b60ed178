package org.score4j.models.ncsn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.random.SeededRandom;
import org.score4j.nn.cpu.FusedKernels;

/**
 * The direct U-Net against the SameDiff graph: the same parameters give the same outputs, parameter gradients and
 * input gradients.
 */
class DirectUnetTest {
    @BeforeAll
    static void needsTheVectorApi() {
        assumeTrue(DirectUnet.usable(), "the direct U-Net needs the CPU backend and jdk.incubator.vector");
    }

    @ParameterizedTest(name = "{0}×{1}×{2}, {3} channels, multipliers {4}, {5} blocks, conditioning {6}, {7} classes")
    @CsvSource({
            "1, 28, 28, 8, 1-2-2, 1, bias, 0",
            "3, 8, 12, 4, 1-2, 2, none, 0",
            "2, 12, 20, 4, 1-3-2, 1, bias, 0",
            "1, 5, 7, 4, 2, 1, bias, 0",
            "2, 16, 8, 3, 1-1-2-2, 2, bias, 0",
            "1, 12, 12, 16, 1-2, 1, bias, 0",
            "3, 8, 8, 16, 1-1, 2, none, 0",
            "1, 8, 8, 32, 1-2, 1, bias, 0",
            "2, 8, 8, 32, 1-2, 1, none, 0",
            "1, 8, 8, 4, 1-2, 1, bias, 3",
            "2, 8, 4, 16, 1-1, 1, bias, 10"})
    void computesTheSameNetworkAsTheGraph(int channels, int height, int width, int base, String multipliers,
                                         int blocks, String conditioning, int classes) {
        assertSameNetwork(new UnetArchitecture(base, levels(multipliers), blocks, conditioning,
                conditioning.equals("bias") ? 4 : 0, true, true), new long[] {channels, height, width}, classes);
    }

    /**
     * Group normalisation and attention, single- and multi-head, in both map layouts: widths of 16k channels keep the
     * maps in blocks of 16, others NHWC.
     */
    @ParameterizedTest(name = "{0}×{1}×{2}, {3} channels × {4}, norm {5} ({6} groups), attention {7} × {8} heads")
    @CsvSource({
            "1, 8, 8, 16, 1-2, group, 4, '', 1",
            "1, 8, 8, 6, 1-2, group, 3, '', 1",
            "1, 8, 8, 16, 1-2, none, 1, 4, 1",
            "1, 8, 8, 6, 1-2, none, 1, 4, 2",
            "2, 8, 8, 16, 1-2, group, 8, 8-4, 4",
            "1, 8, 12, 12, 1-1, group, 6, 8, 3",
            "3, 12, 8, 32, 1-2-1, group, 8, 6, 2",
            "1, 28, 28, 16, 1-2-2, group, 8, 7, 1"})
    void computesTheSameNetworkWithNormalisationAndAttention(int channels, int height, int width, int base,
                                                            String multipliers, String norm, int groups,
                                                            String attention, int heads) {
        UnetArchitecture arch = new UnetArchitecture(base, levels(multipliers), 1, "bias", 4, true, true, norm, groups,
                attention.isEmpty() ? java.util.List.of() : levels(attention), heads);
        assertSameNetwork(arch, new long[] {channels, height, width}, 0);
        assertSameNetwork(arch, new long[] {channels, height, width}, 3);
    }

    private static java.util.List<Integer> levels(String list) {
        return Arrays.stream(list.split("-")).map(Integer::valueOf).toList();
    }

    private static void assertSameNetwork(UnetArchitecture arch, long[] shape, int classes) {
        int channels = (int) shape[0];
        int height = (int) shape[1];
        int width = (int) shape[2];
        int featureWidth = SigmaFeatures.width(arch.embedding(), classes);
        DirectUnet direct = new DirectUnet(arch, shape, featureWidth);
        UnetGraph graph = new UnetGraph(arch, shape, featureWidth);
        assertThat(direct.parameters().parts()).containsExactlyElementsOf(graph.parameters().parts());
        assertThat(direct.forwardFlops()).isEqualTo(graph.forwardFlops());

        // Fresh parameters plus noise, so that no part (the output convolution starts at zero) is trivial.
        INDArray theta = direct.parameters().initial(3).addi(new SeededRandom(4).normal(direct.parameters().size())
                .muli(0.05));
        direct.load(theta);
        graph.load(theta);
        // Attention on unnormalised maps sees large logits with these parameters, nearly one-hot probabilities whose
        // gradients amplify the last bits of float rounding: on 6 channels × 2 heads the parameter gradients differed
        // by 1.5·10⁻⁴ of their largest, by 2·10⁻⁷ with the parameters halved (a mistake would not shrink so).
        double tolerance = arch.attention().isEmpty() || arch.normalised() ? 2e-5 : 3e-4;
        for (int n : new int[] {3, 1, 3}) {
            INDArray x = new SeededRandom(5 + n).normal(n, channels, height, width);
            INDArray features = features(n, arch.embedding(), classes, 6 + n);
            INDArray g = new SeededRandom(7 + n).normal(n, channels, height, width);
            INDArray expected = graph.output(x, features);
            assertThat(expected.amaxNumber().doubleValue()).isGreaterThan(0.01);
            assertClose(direct.output(x, features), expected, tolerance);
            assertClose(gradient(direct, x, features, g), gradient(graph, x, features, g), tolerance);
            INDArray dx = graph.inputGradient(x, features, g);
            assertThat(dx.amaxNumber().doubleValue()).isGreaterThan(0.01);
            assertClose(direct.inputGradient(x, features, g), dx, tolerance);
        }
    }

    @Test
    void givesTheSameResultsWhateverRanBefore() {
        UnetArchitecture arch = new UnetArchitecture(4, java.util.List.of(1, 2), 1, "bias", 4, true, true);
        long[] shape = {1, 8, 8};
        DirectUnet direct = new DirectUnet(arch, shape, 5);
        direct.load(direct.parameters().initial(1).addi(0.01));
        INDArray x = new SeededRandom(1).normal(4, 1, 8, 8);
        INDArray features = new SeededRandom(2).normal(4, 5);
        INDArray g = new SeededRandom(3).normal(4, 1, 8, 8);
        INDArray out = direct.output(x, features);
        INDArray gradient = gradient(direct, x, features, g);
        INDArray dx = direct.inputGradient(x, features, g);
        gradient(direct, new SeededRandom(9).normal(4, 1, 8, 8).muli(100), features, g.mul(-7));
        direct.inputGradient(x.mul(3), features, g);
        direct.output(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)), features.get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)));
        assertThat(direct.output(x, features).data().asFloat()).containsExactly(out.data().asFloat());
        assertThat(gradient(direct, x, features, g).data().asFloat()).containsExactly(gradient.data().asFloat());
        assertThat(direct.inputGradient(x, features, g).data().asFloat()).containsExactly(dx.data().asFloat());
        // An input gradient between a pass and its parameter gradient leaves the parameter gradient as it was.
        direct.output(x, features);
        direct.inputGradient(x, features, g.mul(2));
        assertThat(gradient(direct, x, features, g).data().asFloat()).containsExactly(gradient.data().asFloat());
    }

    /**
     * score4j's own passes split over its threads give the same results on one thread as on two. (oneDNN's threads
     * are OMP_NUM_THREADS, fixed for the JVM; see {@link org.score4j.nn.cpu.OneDnnConvolution} for what does not depend on them.)
     */
    @Test
    void givesTheSameResultsOnOneOfItsThreadsAsOnTwo() {
        UnetArchitecture arch = new UnetArchitecture(8, java.util.List.of(1, 2), 1, "bias", 4, true, true);
        long[] shape = {1, 28, 28};
        INDArray x = new SeededRandom(1).normal(16, 1, 28, 28);
        INDArray features = new SeededRandom(2).normal(16, 5);
        INDArray g = new SeededRandom(3).normal(16, 1, 28, 28);
        INDArray[] outputs = new INDArray[2];
        INDArray[] gradients = new INDArray[2];
        INDArray[] inputGradients = new INDArray[2];
        try {
            for (int threads = 1; threads <= 2; threads++) {
                FusedKernels.limitThreads(threads);
                DirectUnet direct = new DirectUnet(arch, shape, 5);
                direct.load(direct.parameters().initial(1).addi(0.01));
                outputs[threads - 1] = direct.output(x, features);
                gradients[threads - 1] = gradient(direct, x, features, g);
                inputGradients[threads - 1] = direct.inputGradient(x, features, g);
            }
        } finally {
            FusedKernels.limitThreads(Integer.MAX_VALUE);
        }
        assertThat(outputs[1].data().asFloat()).containsExactly(outputs[0].data().asFloat());
        assertThat(gradients[1].data().asFloat()).containsExactly(gradients[0].data().asFloat());
        assertThat(inputGradients[1].data().asFloat()).containsExactly(inputGradients[0].data().asFloat());
    }

    /**
     * The footprint's activations count what the direct network allocates for a forward, backward and input pass: its
     * maps, the σ rows and every layer's activations.
     */
    @ParameterizedTest(name = "{0}×{1}×{2}, {3} channels, multipliers {4}, {5} blocks, norm {6}, attention {7}")
    @CsvSource({"1, 28, 28, 8, 1-2-2, 1, none, '', 0", "3, 8, 12, 4, 1-2, 2, none, '', 3",
            "2, 12, 20, 16, 1-3-2, 1, none, '', 0", "2, 16, 8, 16, 1-1-2-2, 2, none, '', 10",
            "1, 28, 28, 16, 1-2-2, 1, group, 7, 0", "2, 16, 8, 8, 1-1-2-2, 2, group, 8-2, 4",
            "3, 8, 12, 12, 1-2, 1, none, 4, 0"})
    void theFootprintCountsWhatItAllocates(int channels, int height, int width, int base, String multipliers,
                                           int blocks, String norm, String attention, int classes) {
        UnetArchitecture arch = new UnetArchitecture(base, levels(multipliers), blocks, "bias", 4, true, true, norm,
                4, attention.isEmpty() ? java.util.List.of() : levels(attention), 2);
        long[] shape = {channels, height, width};
        int features = SigmaFeatures.width(4, classes);
        DirectUnet direct = new DirectUnet(arch, shape, features);
        direct.load(direct.parameters().initial(1));
        INDArray x = new SeededRandom(1).normal(3, channels, height, width);
        INDArray f = new SeededRandom(2).normal(3, features);
        gradient(direct, x, f, x);
        direct.inputGradient(x, f, x);
        assertThat(direct.workFloats()).isEqualTo((long) (3 * arch.activationsPerExample(shape, classes)));
        assertThat(arch.footprint(shape, classes).parameters()).isEqualTo((double) direct.parameters().size());
        assertThat(arch.footprint(shape, classes).activationsPerExample())
                .isEqualTo(arch.activationsPerExample(shape, classes));
    }

    private static INDArray gradient(UnetNetwork network, INDArray x, INDArray features, INDArray g) {
        INDArray into = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, network.parameters().size());
        network.gradient(x, features, g, into);
        return into;
    }

    /** Random σ features and, for a conditional network, one-hot labels (some unconditional). */
    private static INDArray features(int n, int embedding, int classes, long seed) {
        INDArray sigma = new SeededRandom(seed).normal(n, 1 + embedding);
        if (classes == 0) {
            return sigma;
        }
        int[] labels = new SeededRandom(seed + 1).integers(n, classes + 1);
        INDArray slots = Nd4j.zeros(n, classes + 1);
        for (int i = 0; i < n; i++) {
            slots.putScalar(i, labels[i], 1.0);
        }
        return Nd4j.concat(1, sigma, slots.castTo(sigma.dataType()));
    }

    /** max |actual − expected| within {@code tolerance} of max |expected|. */
    private static void assertClose(INDArray actual, INDArray expected, double tolerance) {
        assertThat(actual.shape()).containsExactly(expected.shape());
        double scale = expected.amaxNumber().doubleValue();
        double error = actual.castTo(expected.dataType()).sub(expected).amaxNumber().doubleValue();
        assertThat(error).as("max error %s against max %s", error, scale).isLessThanOrEqualTo(tolerance * scale);
    }
}
