package org.score4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The layout of a network's flat parameter vector: named parts in the order they were declared, each a C-order block
 * of its shape, and how fresh values are drawn. Layers declare their parts here (each layer class has a static
 * {@code declare}); a network built twice in the same order has the same layout, and a SameDiff graph that declares
 * the same parts shares its vectors.
 */
public final class ParameterLayout {
    /** How a part's fresh values are drawn. */
    public enum Init {
        /**
         * He-normal: N(0, (scale·√(2/fan-in))²) with the fan-in k·k·in of a [k, k, in, out] kernel or in of an
         * [in, out] matrix.
         */
        HE_NORMAL,
        /** All 0 (biases, shifts). */
        ZERO,
        /** All 1 (the scales of a normalisation). */
        ONE
    }

    /**
     * One named part: where it starts in the flat vector, its shape, and its initialisation.
     *
     * @param scale the He-normal draw's factor (0 gives zeros)
     */
    public record Part(String name, long offset, long[] shape, Init init, double scale) {
        public Part {
            Objects.requireNonNull(name, "name");
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** Values in the part. */
        public long length() {
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            return n;
        }

        /** Offset as an int: a flat vector holds at most 2^31 − 1 floats. */
        public int at() {
            return Math.toIntExact(offset);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Part p && name.equals(p.name) && offset == p.offset && Arrays.equals(shape, p.shape)
                    && init == p.init && Double.compare(scale, p.scale) == 0;
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, offset, Arrays.hashCode(shape), init, scale);
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape) + "@" + offset + " " + init + (init == Init.HE_NORMAL ? "×" + scale : "");
        }
    }

    private final List<Part> parts = new ArrayList<>();
    private long size;

    /**
     * Declares a part after the others.
     *
     * @throws IllegalArgumentException if a part of that name exists or a dimension is below 1
     */
    public Part add(String name, Init init, double scale, long... shape) {
        if (parts.stream().anyMatch(p -> p.name().equals(name))) {
            throw new IllegalArgumentException("a part named " + name + " exists already");
        }
        if (shape.length == 0 || Arrays.stream(shape).anyMatch(s -> s < 1)) {
            throw new IllegalArgumentException(name + ": need a shape of dimensions >= 1, got " + Arrays.toString(shape));
        }
        Part part = new Part(name, size, shape, init, scale);
        parts.add(part);
        size += part.length();
        return part;
    }

    /** The parts in order. */
    public List<Part> parts() {
        return Collections.unmodifiableList(parts);
    }

    /** Values in the vector. */
    public long size() {
        return size;
    }

    /**
     * Fresh parameters [size] for {@code seed}: one normal draw per value, in order, whatever the part's
     * initialisation (so that adding a part at the end leaves the others' values as they were).
     */
    public INDArray initial(long seed) {
        Random random = new Random(seed);
        float[] values = new float[Math.toIntExact(size)];
        int at = 0;
        for (Part part : parts) {
            long[] shape = part.shape();
            double fanIn = shape.length == 4 ? shape[0] * shape[1] * shape[2] : shape.length == 2 ? shape[0] : 0;
            double std = part.init() == Init.HE_NORMAL && fanIn > 0 ? part.scale() * Math.sqrt(2 / fanIn) : 0;
            double mean = part.init() == Init.ONE ? 1 : 0;
            for (long k = 0; k < part.length(); k++) {
                values[at++] = (float) (mean + std * random.nextGaussian());
            }
        }
        return Nd4j.createFromArray(values);
    }
}
