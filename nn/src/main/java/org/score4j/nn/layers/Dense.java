package org.score4j.nn.layers;

import java.util.List;
import java.util.Objects;
import org.score4j.nn.Gradients;
import org.score4j.nn.Layer;
import org.score4j.nn.ParameterLayout;
import org.score4j.nn.ParameterLayout.Init;
import org.score4j.nn.Planes;
import org.score4j.nn.Weights;

/**
 * A dense layer on rows, y = x·W + b, for inputs of a few rows (a network's σ embedding): x [N, in] and y [N, out] are
 * maps of 1×1 images ({@link Planes.Geometry#POINT}, NHWC). Parameters: W [in, out] (C order) and b [1, out].
 * Computed on the JVM; zero inputs (the label slots of a one-hot) are skipped. Every inner loop runs along contiguous
 * floats without a sum across its iterations, so that the JIT turns it into vector instructions. The activations keep
 * a reference to x. dx must not be x.
 */
public final class Dense implements Layer<Dense.Activations> {
    /** W [in, out] and b [1, out]. */
    public record Parts(ParameterLayout.Part weights, ParameterLayout.Part bias) {
    }

    private final Parts parts;
    private final int in;
    private final int out;

    /** Declares W (He-normal) and b (zero) in {@code layout}, named {@code name.w} and {@code name.b}. */
    public static Parts declare(ParameterLayout layout, String name, int in, int out) {
        return new Parts(layout.add(name + ".w", Init.HE_NORMAL, 1.0, in, out), layout.add(name + ".b", Init.ZERO, 0, 1,
                out));
    }

    public Dense(Parts parts, int in, int out) {
        this.parts = Objects.requireNonNull(parts, "parts");
        if (in < 1 || out < 1 || parts.weights().length() != (long) in * out || parts.bias().length() != out) {
            throw new IllegalArgumentException("parts " + parts + " do not fit a dense layer " + in + " → " + out);
        }
        this.in = in;
        this.out = out;
    }

    /** Multiply–adds per example, twice. */
    public long forwardFlops() {
        return 2L * in * out;
    }

    @Override
    public List<ParameterLayout.Part> parameters() {
        return List.of(parts.weights(), parts.bias());
    }

    @Override
    public Activations activations(int batch) {
        return new Activations(batch);
    }

    @Override
    public void forward(Weights weights, Planes x, Planes y, Activations saved) {
        int n = x.batch();
        float[] input = rows(x, in);
        float[] w = weights.get(parts.weights());
        float[] result = new float[n * out];
        for (int r = 0; r < n; r++) {
            weights.values().get(parts.bias().at(), result, r * out, out);
            for (int i = 0; i < in; i++) {
                float v = input[r * in + i];
                if (v == 0) {
                    continue;
                }
                for (int o = 0; o < out; o++) {
                    result[r * out + o] += v * w[i * out + o];
                }
            }
        }
        y.floats().put(0, result);
        saved.x = x;
    }

    @Override
    public void backward(Weights weights, Activations saved, Planes dy, Planes dx, Gradients gradients) {
        float[] input = rows(saved.x, in);
        float[] dOut = rows(dy, out);
        int n = dy.batch();
        if (gradients != null) {
            float[] db = new float[out];
            float[] dw = new float[in * out];
            for (int r = 0; r < n; r++) {
                int row = r * out;
                for (int o = 0; o < out; o++) {
                    db[o] += dOut[row + o];
                }
                for (int i = 0; i < in; i++) {
                    float v = input[r * in + i];
                    if (v == 0) {
                        continue;
                    }
                    int at = i * out;
                    for (int o = 0; o < out; o++) {
                        dw[at + o] += v * dOut[row + o];
                    }
                }
            }
            gradients.add(parts.bias().offset(), db);
            gradients.add(parts.weights().offset(), dw);
        }
        if (dx != null) {
            float[] w = weights.get(parts.weights());
            float[] transposed = new float[out * in];
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    transposed[o * in + i] = w[i * out + o];
                }
            }
            float[] back = new float[n * in];
            for (int r = 0; r < n; r++) {
                for (int o = 0; o < out; o++) {
                    float g = dOut[r * out + o];
                    int at = o * in;
                    int into = r * in;
                    for (int i = 0; i < in; i++) {
                        back[into + i] += g * transposed[at + i];
                    }
                }
            }
            dx.floats().put(0, back);
        }
    }

    @Override
    public double activationsPerExample() {
        return 0;
    }

    private static float[] rows(Planes p, int width) {
        if (!p.channelsLast() || p.geometry().plane() != 1 || p.channels() != width) {
            throw new IllegalArgumentException("a dense layer takes rows of " + width + ": NHWC maps of 1×1 images, got "
                    + p.channels() + " channels of " + p.geometry());
        }
        float[] values = new float[p.length()];
        p.floats().get(0, values);
        return values;
    }

    /** The last pass's x. */
    public static final class Activations extends InputActivations {
        private Activations(int batch) {
            super(batch);
        }
    }
}
