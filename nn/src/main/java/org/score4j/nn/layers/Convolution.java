package org.score4j.nn.layers;

import java.util.List;
import java.util.Objects;
import org.bytedeco.dnnl.stream;
import org.score4j.nn.Gradients;
import org.score4j.nn.Layer;
import org.score4j.nn.ParameterLayout;
import org.score4j.nn.ParameterLayout.Init;
import org.score4j.nn.Planes;
import org.score4j.nn.Weights;
import org.score4j.nn.cpu.OneDnn;
import org.score4j.nn.cpu.OneDnnConvolution;

/**
 * A k×k convolution with bias, stride 1 or 2, with the SAME padding of SameDiff's {@code conv2d}: y = W ⋆ x + b, on
 * oneDNN ({@link OneDnnConvolution}, built per batch size). Parameters: the kernel [k, k, in, out] (SameDiff's and
 * oneDNN's {@code hwio}) and the bias [out].
 *
 * <p>Each side's maps are in blocks of 16 channels or NHWC, as the constructor says. The activations keep a reference
 * to x (the weight gradient needs it) and the kernel reordered for the primitives, reordered again when the
 * {@link Weights#version()} changes. dx must not be dy.
 */
public final class Convolution implements Layer<Convolution.Activations> {
    /** The kernel [k, k, in, out] and the bias [out]. */
    public record Parts(ParameterLayout.Part kernel, ParameterLayout.Part bias) {
    }

    private final Parts parts;
    private final int in;
    private final int out;
    private final int k;
    private final int stride;
    private final Planes.Geometry input;
    private final Planes.Geometry output;
    private final boolean inBlocked;
    private final boolean outBlocked;

    /**
     * Declares a convolution's kernel (He-normal times {@code scale}) and bias (zero) in {@code layout}, named
     * {@code name.w} and {@code name.b}.
     */
    public static Parts declare(ParameterLayout layout, String name, int in, int out, int k, double scale) {
        return new Parts(layout.add(name + ".w", Init.HE_NORMAL, scale, k, k, in, out),
                layout.add(name + ".b", Init.ZERO, 0, out));
    }

    /**
     * @param input     the geometry of x; the output's is {@code input} for stride 1, and ⌈input / 2⌉ for stride 2
     * @param inBlocked whether x (and dx) are in blocks of 16 channels (in must then be a multiple of 16), else NHWC
     * @param outBlocked whether y (and dy) are
     */
    public Convolution(Parts parts, int in, int out, int k, int stride, Planes.Geometry input, boolean inBlocked,
                       boolean outBlocked) {
        this.parts = Objects.requireNonNull(parts, "parts");
        if (in < 1 || out < 1 || k < 1 || k % 2 == 0 || (stride != 1 && stride != 2)) {
            throw new IllegalArgumentException("need in, out >= 1, an odd k and stride 1 or 2, got in " + in + ", out "
                    + out + ", k " + k + ", stride " + stride);
        }
        if (parts.kernel().length() != (long) k * k * in * out || parts.bias().length() != out) {
            throw new IllegalArgumentException("parts " + parts + " do not fit a " + k + "×" + k + " convolution " + in
                    + " → " + out);
        }
        if ((inBlocked && in % Planes.BLOCK != 0) || (outBlocked && out % Planes.BLOCK != 0)) {
            throw new IllegalArgumentException("blocks of " + Planes.BLOCK + " channels need multiples of "
                    + Planes.BLOCK + ", got " + in + " → " + out);
        }
        this.in = in;
        this.out = out;
        this.k = k;
        this.stride = stride;
        this.input = Objects.requireNonNull(input, "input");
        this.output = stride == 1 ? input : new Planes.Geometry((input.height() + 1) / 2, (input.width() + 1) / 2);
        this.inBlocked = inBlocked;
        this.outBlocked = outBlocked;
    }

    /** The geometry of y. */
    public Planes.Geometry output() {
        return output;
    }

    /** Multiply–adds per example, twice: the floating-point operations of one forward pass. */
    public long forwardFlops() {
        return 2L * k * k * in * out * output.plane();
    }

    @Override
    public List<ParameterLayout.Part> parameters() {
        return List.of(parts.kernel(), parts.bias());
    }

    @Override
    public Activations activations(int batch) {
        stream s = new stream(OneDnn.engine());
        return new Activations(batch, new OneDnnConvolution(s, batch, in, inBlocked, out, outBlocked, k, stride,
                input, output));
    }

    /** {@inheritDoc} The kernel is reordered for oneDNN first where the weights changed since the last pass. */
    @Override
    public void forward(Weights weights, Planes x, Planes y, Activations saved) {
        if (saved.version != weights.version()) {
            saved.primitives.load(weights.at(parts.kernel().offset()));
            saved.version = weights.version();
        }
        saved.x = x;
        saved.primitives.forward(x, y, weights.at(parts.bias().offset()));
    }

    @Override
    public void backward(Weights weights, Activations saved, Planes dy, Planes dx, Gradients gradients) {
        if (gradients != null) {
            gradients.add(parts.kernel().offset(), saved.primitives.weightGradient(saved.x, dy),
                    Math.toIntExact(parts.kernel().length()));
            gradients.add(parts.bias().offset(), saved.primitives.biasGradient(), out);
        }
        if (dx != null) {
            saved.primitives.inputGradient(dy, dx);
        }
    }

    /** {@inheritDoc} None per example: the primitives' own buffers hold the kernel, not activations. */
    @Override
    public double activationsPerExample() {
        return 0;
    }

    /** Which oneDNN implementations the primitives of {@code saved} run (for tests). */
    public static String implementation(Activations saved) {
        return saved.primitives.implementation();
    }

    /** The primitives for one batch size, the kernel version they hold, and the last pass's x. */
    public static final class Activations extends InputActivations {
        private final OneDnnConvolution primitives;
        private long version = -1;

        private Activations(int batch, OneDnnConvolution primitives) {
            super(batch);
            this.primitives = primitives;
        }
    }
}
