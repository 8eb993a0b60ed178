package org.score4j.models.ncsn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The flat parameter vector of a U-Net: its named parts in order, each a C-order block of its shape (convolution
 * weights [k, k, in, out], dense weights [in, out], biases [out] or [1, out]), how fresh parameters are drawn, and
 * the floating-point operations of the layers they belong to. Both {@link UnetNetwork} implementations register
 * their layers in the same order, so one vector fits both.
 */
final class UnetParameters {
    /** One named part: where it starts in the flat vector, its shape, and the scale of its He-normal draw. */
    record Part(String name, long offset, long[] shape, double scale) {
        long length() {
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            return n;
        }
    }

    private final List<Part> parts = new ArrayList<>();
    private long size;
    private long flops;

    /**
     * Registers a k×k convolution's weights [k, k, in, out] (He-normal times {@code scale}) and bias [out], and its
     * operations over {@code outputPixels} output pixels per example; returns the two parts' offsets.
     */
    long[] convolution(String name, int in, int out, int k, double scale, long outputPixels) {
        flops += 2L * k * k * in * out * outputPixels;
        return new long[] {add(name + ".w", scale, k, k, in, out), add(name + ".b", 0, out)};
    }

    /** Registers a dense layer's weights [in, out] and bias [1, out], and its operations; returns their offsets. */
    long[] dense(String name, int in, int out) {
        flops += 2L * in * out;
        return new long[] {add(name + ".w", 1.0, in, out), add(name + ".b", 0, 1, out)};
    }

    /** Floating-point operations of the registered layers per example, two per multiply–add. */
    long forwardFlops() {
        return flops;
    }

    private long add(String name, double scale, long... shape) {
        Part part = new Part(name, size, shape.clone(), scale);
        parts.add(part);
        size += part.length();
        return part.offset();
    }

    List<Part> parts() {
        return Collections.unmodifiableList(parts);
    }

    long size() {
        return size;
    }

    /**
     * Fresh parameters: He-normal weights times each part's scale (scaled down on the last convolution of each
     * residual branch and zero on the output convolution, so the first score is 0), and zero biases.
     */
    INDArray initial(long seed) {
        Random random = new Random(seed);
        float[] values = new float[Math.toIntExact(size)];
        int at = 0;
        for (Part part : parts) {
            long[] shape = part.shape();
            double fanIn = shape.length == 4 ? shape[0] * shape[1] * shape[2] : shape.length == 2 ? shape[0] : 0;
            double std = fanIn > 0 ? part.scale() * Math.sqrt(2 / fanIn) : 0;
            for (long k = 0; k < part.length(); k++) {
                values[at++] = (float) (std * random.nextGaussian());
            }
        }
        return Nd4j.createFromArray(values);
    }
}
