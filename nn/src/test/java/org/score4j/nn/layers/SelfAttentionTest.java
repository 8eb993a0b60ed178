package org.score4j.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.score4j.nn.ParameterLayout;
import org.score4j.nn.Planes;
import org.score4j.nn.cpu.FusedKernels;
import org.score4j.nn.samediff.SameDiffLayers;

/**
 * Self-attention on the engine against its SameDiff expression and against finite differences, single- and
 * multi-head, in both map layouts.
 */
class SelfAttentionTest {
    @BeforeAll
    static void needsTheEngine() {
        assumeTrue(FusedKernels.available(), "the engine needs the CPU backend and jdk.incubator.vector");
    }

    @ParameterizedTest(name = "{0} channels, {1} heads, {2}×{3}, blocks of 16: {4}")
    @CsvSource({"32, 1, 7, 7, true", "32, 1, 7, 7, false", "32, 4, 7, 7, true", "64, 2, 4, 4, true",
            "16, 16, 3, 5, false", "24, 3, 5, 5, false", "8, 1, 1, 1, false", "48, 2, 6, 9, true"})
    void matchesItsSameDiffExpression(int channels, int heads, int height, int width, boolean blocked) {
        LayerHarness<SelfAttention.Activations> harness = harness(channels, heads, height, width, blocked);
        INDArray theta = harness.parameters(1);
        INDArray x = LayerHarness.normal(2, 3, channels, height, width);
        INDArray g = LayerHarness.normal(3, 3, channels, height, width);
        LayerHarness.Result direct = harness.direct(theta, x, g);
        LayerHarness.Result graph = harness.sameDiff((sd, xv, p) -> SameDiffLayers.selfAttention(sd, xv, p.get(0),
                p.get(1), p.get(2), p.get(3), channels, heads, height, width), theta, x, g);
        LayerHarness.assertClose("y", direct.y(), graph.y(), 2e-5);
        LayerHarness.assertClose("dx", direct.dx(), graph.dx(), 1e-4);
        LayerHarness.assertClose("dθ", direct.gradient(), graph.gradient(), 1e-4);
    }

    @ParameterizedTest(name = "{0} heads, blocks of 16: {1}")
    @CsvSource({"1, true", "1, false", "2, true", "4, false"})
    void gradientsMatchFiniteDifferences(int heads, boolean blocked) {
        LayerHarness<SelfAttention.Activations> harness = harness(16, heads, 3, 4, blocked);
        harness.assertFiniteDifferences(harness.parameters(4), LayerHarness.normal(5, 2, 16, 3, 4),
                LayerHarness.normal(6, 2, 16, 3, 4), 7);
    }

    @Test
    void imagesDoNotAttendToEachOther() {
        LayerHarness<SelfAttention.Activations> harness = harness(16, 2, 3, 3, true);
        INDArray theta = harness.parameters(1);
        INDArray x = LayerHarness.normal(2, 3, 16, 3, 3);
        INDArray g = LayerHarness.normal(3, 3, 16, 3, 3);
        INDArray y = harness.direct(theta, x, g).y();
        INDArray other = x.dup();
        other.get(NDArrayIndex.point(1)).muli(-3);
        INDArray changed = harness.direct(theta, other, g).y();
        for (int n : new int[] {0, 2}) {
            assertThat(changed.get(NDArrayIndex.point(n)).dup().data().asFloat())
                    .containsExactly(y.get(NDArrayIndex.point(n)).dup().data().asFloat());
        }
        assertThat(changed.get(NDArrayIndex.point(1)).sub(y.get(NDArrayIndex.point(1))).amaxNumber().doubleValue())
                .isGreaterThan(1e-3);
    }

    @Test
    void refusesHeadsThatDoNotDivideTheChannels() {
        ParameterLayout layout = new ParameterLayout();
        SelfAttention.Parts parts = SelfAttention.declare(layout, "a", 24, 1);
        Planes.Geometry g = new Planes.Geometry(4, 4);
        assertThatThrownBy(() -> new SelfAttention(parts, 24, 5, g, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attention needs heads dividing the channels, got 5 heads of 24 channels");
        assertThatThrownBy(() -> new SelfAttention(parts, 24, 2, g, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("need a multiple of 16, got 24");
    }

    private static LayerHarness<SelfAttention.Activations> harness(int channels, int heads, int height, int width,
                                                                  boolean blocked) {
        ParameterLayout layout = new ParameterLayout();
        Planes.Geometry geometry = new Planes.Geometry(height, width);
        SelfAttention layer = new SelfAttention(SelfAttention.declare(layout, "attention", channels, 1.0), channels,
                heads, geometry, blocked);
        return new LayerHarness<>(layout, layer, channels, geometry, blocked);
    }
}
