package org.score4j.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.nn.ParameterLayout;
import org.score4j.nn.Planes;
import org.score4j.nn.Weights;
import org.score4j.nn.samediff.SameDiffLayers;

/** The dense layer against its SameDiff expression and central differences, on rows with exact zeros in them. */
class DenseTest {
    private static final int IN = 9;
    private static final int OUT = 20;

    @Test
    void computesWhatSameDiffComputesWithItsGradients() {
        ParameterLayout layout = new ParameterLayout();
        Dense layer = new Dense(Dense.declare(layout, "d", IN, OUT), IN, OUT);
        LayerHarness<Dense.Activations> harness = new LayerHarness<>(layout, layer, OUT, Planes.Geometry.POINT, false);
        INDArray theta = harness.parameters(1);
        INDArray x = LayerHarness.normal(2, 5, IN, 1, 1);
        x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(3)).assign(0); // a row of zeros, as a one-hot's slots are
        INDArray g = LayerHarness.normal(3, 5, OUT, 1, 1);
        LayerHarness.Result direct = harness.direct(theta, x, g);
        LayerHarness.Result graph = harness.sameDiff((sd, xv, p) -> SameDiffLayers.dense(xv.reshape(-1, IN), p.get(0),
                p.get(1)).reshape(-1, OUT, 1, 1), theta, x, g);
        LayerHarness.assertClose("y", direct.y(), graph.y(), 1e-5);
        LayerHarness.assertClose("dx", direct.dx(), graph.dx(), 1e-5);
        LayerHarness.assertClose("dθ", direct.gradient(), graph.gradient(), 1e-5);
        harness.assertFiniteDifferences(theta, x, g, 4);
    }

    @Test
    void refusesMapsThatAreNotRowsOfItsWidth() {
        ParameterLayout layout = new ParameterLayout();
        Dense layer = new Dense(Dense.declare(layout, "d", IN, OUT), IN, OUT);
        Dense.Activations saved = layer.activations(2);
        Planes wide = Planes.allocate(IN + 1, false, 2, Planes.Geometry.POINT);
        Planes y = Planes.allocate(OUT, false, 2, Planes.Geometry.POINT);
        try {
            assertThatThrownBy(() -> layer.forward(Weights.of(layout.initial(0)), wide, y, saved))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rows of 9");
        } finally {
            saved.release();
            wide.release();
            y.release();
        }
    }
}
