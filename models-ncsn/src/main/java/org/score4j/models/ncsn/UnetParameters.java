package org.score4j.models.ncsn;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.nn.ParameterLayout;
import org.score4j.nn.layers.Convolution;
import org.score4j.nn.layers.Dense;
import org.score4j.nn.layers.GroupNorm;
import org.score4j.nn.layers.SelfAttention;

/**
 * The flat parameter vector of a U-Net: its layers' parts in the order the network declares them (through the layers'
 * own {@code declare}), how fresh parameters are drawn, and the floating-point operations of the convolutions, dense
 * layers and attention they belong to. Both {@link UnetNetwork} implementations declare their layers in the same
 * order, so one vector fits both.
 */
final class UnetParameters {
    private final ParameterLayout layout = new ParameterLayout();
    private long flops;

    /**
     * Declares a k×k convolution's kernel (He-normal times {@code scale}) and bias, and its operations over
     * {@code outputPixels} output pixels per example.
     */
    Convolution.Parts convolution(String name, int in, int out, int k, double scale, long outputPixels) {
        flops += 2L * k * k * in * out * outputPixels;
        return Convolution.declare(layout, name, in, out, k, scale);
    }

    /** Declares a dense layer's weights [in, out] and bias [1, out], and its operations. */
    Dense.Parts dense(String name, int in, int out) {
        flops += 2L * in * out;
        return Dense.declare(layout, name, in, out);
    }

    /** Declares a group norm's scale and shift over {@code channels}. */
    GroupNorm.Parts groupNorm(String name, int channels) {
        return GroupNorm.declare(layout, name, channels);
    }

    /**
     * Declares self-attention over {@code channels} channels of {@code pixels} positions, its output projection
     * scaled down as a residual branch's last layer is, and its operations: 4·P·C² for the projections and 2·P²·C for
     * the attention products, twice.
     */
    SelfAttention.Parts attention(String name, int channels, long pixels) {
        flops += 2L * (4L * pixels * channels * channels + 2L * pixels * pixels * channels);
        return SelfAttention.declare(layout, name, channels, 0.1);
    }

    /** Floating-point operations of the declared layers per example, two per multiply–add. */
    long forwardFlops() {
        return flops;
    }

    List<ParameterLayout.Part> parts() {
        return layout.parts();
    }

    long size() {
        return layout.size();
    }

    /**
     * Fresh parameters: He-normal weights times each part's scale (scaled down on the last convolution of each
     * residual branch and zero on the output convolution, so the first score is 0), zero biases and shifts, and unit
     * normalisation scales.
     */
    INDArray initial(long seed) {
        return layout.initial(seed);
    }
}
