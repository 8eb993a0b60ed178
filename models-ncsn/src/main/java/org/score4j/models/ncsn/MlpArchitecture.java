package org.score4j.models.ncsn;

import java.util.Arrays;
import org.score4j.api.spi.ModelFootprint;

/**
 * The shape of a noise-conditional MLP.
 *
 * <p>Its layers, for examples of d values (images are flattened) and C classes: an input of x_in (d values), the σ
 * features (1 + embedding) and, for C &gt; 0, a one-hot label of C + 1 slots; {@code layers} hidden layers of
 * {@code hidden} units; an output of d values.
 *
 * @param hidden        units per hidden layer
 * @param layers        number of hidden layers
 * @param activation    hidden activation: relu, swish, softplus, tanh, elu
 * @param embedding     number of Fourier features of log σ fed to the network besides log σ itself (even)
 * @param inputScaling  feed x/√(σ² + s²) (s = data scale) instead of x, so inputs have unit scale at every level
 * @param outputScaling the network predicts σ·s(x, σ) and the score is its output divided by σ (NCSNv2)
 */
public record MlpArchitecture(int hidden, int layers, String activation, int embedding, boolean inputScaling,
                              boolean outputScaling) {
    static final java.util.List<String> ACTIVATIONS = java.util.List.of("swish", "relu", "softplus", "tanh", "elu");

    public MlpArchitecture {
        if (hidden < 1 || layers < 1 || embedding < 0 || embedding % 2 != 0) {
            throw new IllegalArgumentException("need hidden >= 1, layers >= 1 and an even embedding >= 0, got hidden "
                    + hidden + ", layers " + layers + ", embedding " + embedding);
        }
        if (!ACTIVATIONS.contains(activation)) {
            throw new IllegalArgumentException("activation must be one of " + ACTIVATIONS + ", got " + activation);
        }
    }

    /** Values per example, d, counted in double: the product of the example's shape. */
    static double dimension(long[] exampleShape) {
        return Arrays.stream(exampleShape).asDoubleStream().reduce(1, (a, b) -> a * b);
    }

    /** Width of the first layer's input: d + 1 + embedding, plus C + 1 label slots for C &gt; 0 classes. */
    double inputWidth(long[] exampleShape, int classes) {
        return dimension(exampleShape) + SigmaFeatures.width(embedding) + (double) ClassLabels.slots(classes);
    }

    /**
     * The size of the network for {@code exampleShape} and {@code classes}, without allocating.
     *
     * <p>Parameters: Σ over layers of in·out + out, with widths w₀ = d + 1 + embedding (+ C + 1), then hidden ×
     * layers, then d. Activations kept per example by a training pass: the input (w₀), per hidden layer its output,
     * the activation's state (sigmoid or pre-activation) and the backward pass's work array (3·hidden), and the output,
     * scores and their gradient (3d).
     */
    ModelFootprint footprint(long[] exampleShape, int classes) {
        double d = dimension(exampleShape);
        double in = inputWidth(exampleShape, classes);
        double h = hidden;
        double parameters = in * h + h + (layers - 1) * (h * h + h) + h * d + d;
        return new ModelFootprint(parameters, in + 3 * h * layers + 3 * d);
    }
}
