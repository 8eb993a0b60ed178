package org.score4j.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.nn.ParameterLayout;
import org.score4j.nn.Planes;
import org.score4j.nn.cpu.FusedKernels;
import org.score4j.nn.samediff.SameDiffLayers;

/** GroupNorm on the engine against its SameDiff expression and against finite differences, in both map layouts. */
class GroupNormTest {
    @BeforeAll
    static void needsTheEngine() {
        assumeTrue(FusedKernels.available(), "the engine needs the CPU backend and jdk.incubator.vector");
    }

    @ParameterizedTest(name = "{0} channels in {1} groups, {2}×{3}, blocks of 16: {4}")
    @CsvSource({"32, 8, 7, 7, true", "32, 8, 7, 7, false", "64, 4, 5, 3, true", "16, 16, 4, 4, true",
            "24, 6, 6, 5, false", "6, 1, 3, 3, false", "8, 8, 2, 2, false", "48, 3, 9, 9, true"})
    void matchesItsSameDiffExpression(int channels, int groups, int height, int width, boolean blocked) {
        LayerHarness<GroupNorm.Activations> harness = harness(channels, groups, height, width, blocked);
        INDArray theta = harness.parameters(1);
        // An offset mean, as feature maps have: the normalisation must not lose it to cancellation.
        INDArray x = LayerHarness.normal(2, 3, channels, height, width).muli(2).addi(3);
        INDArray g = LayerHarness.normal(3, 3, channels, height, width);
        LayerHarness.Result direct = harness.direct(theta, x, g);
        LayerHarness.Result graph = harness.sameDiff((sd, xv, p) -> SameDiffLayers.groupNorm(sd, xv, p.get(0), p.get(1),
                channels, groups, height, width), theta, x, g);
        LayerHarness.assertClose("y", direct.y(), graph.y(), 1e-5);
        LayerHarness.assertClose("dx", direct.dx(), graph.dx(), 1e-4);
        LayerHarness.assertClose("dθ", direct.gradient(), graph.gradient(), 1e-4);
    }

    @ParameterizedTest(name = "blocks of 16: {0}")
    @CsvSource({"true", "false"})
    void gradientsMatchFiniteDifferences(boolean blocked) {
        LayerHarness<GroupNorm.Activations> harness = harness(32, 4, 5, 4, blocked);
        harness.assertFiniteDifferences(harness.parameters(4), LayerHarness.normal(5, 2, 32, 5, 4).addi(1),
                LayerHarness.normal(6, 2, 32, 5, 4), 7);
    }

    @Test
    void normalisesEachImagesGroups() {
        LayerHarness<GroupNorm.Activations> harness = harness(16, 4, 3, 3, true);
        INDArray theta = new ParameterLayout().initial(0);
        ParameterLayout layout = new ParameterLayout();
        GroupNorm.declare(layout, "n", 16);
        theta = layout.initial(0);
        INDArray x = LayerHarness.normal(8, 2, 16, 3, 3).muli(5).addi(7);
        INDArray y = harness.direct(theta, x, x).y();
        // γ = 1, β = 0: each image's group of 4 channels × 9 positions has mean 0 and variance 1 (up to ε).
        for (int n = 0; n < 2; n++) {
            for (int g = 0; g < 4; g++) {
                INDArray group = y.get(org.nd4j.linalg.indexing.NDArrayIndex.point(n),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(4 * g, 4 * g + 4));
                assertThat(group.meanNumber().doubleValue()).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-5));
                assertThat(group.mul(group).meanNumber().doubleValue()).isCloseTo(1,
                        org.assertj.core.data.Offset.offset(1e-4));
            }
        }
    }

    @Test
    void refusesGroupsThatDoNotDivideTheChannels() {
        ParameterLayout layout = new ParameterLayout();
        GroupNorm.Parts parts = GroupNorm.declare(layout, "n", 24);
        assertThatThrownBy(() -> new GroupNorm(parts, 24, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("group norm needs groups dividing the channels, got 5 groups of 24 channels");
        assertThatThrownBy(() -> new GroupNorm(parts, 32, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("do not fit 32 channels");
    }

    private static LayerHarness<GroupNorm.Activations> harness(int channels, int groups, int height, int width,
                                                              boolean blocked) {
        ParameterLayout layout = new ParameterLayout();
        GroupNorm layer = new GroupNorm(GroupNorm.declare(layout, "norm", channels), channels, groups);
        return new LayerHarness<>(layout, layer, channels, new Planes.Geometry(height, width), blocked);
    }
}
