package org.score4j.api.spi;

import java.util.Objects;

/**
 * What a model needs to know about the data to be built.
 *
 * @param exampleShape shape of one example, e.g. {@code [2]}
 * @param dataScale    the data's standard deviation (over all coordinates), used by models that normalise their input
 *                     by √(σ² + dataScale²); &gt; 0
 * @param seed         seed of the parameter initialisation
 * @param classes      number of class labels the model is conditioned on (0: unconditional)
 */
public record ModelSpec(long[] exampleShape, double dataScale, long seed, int classes) {

    public ModelSpec {
        exampleShape = Objects.requireNonNull(exampleShape, "exampleShape").clone();
        if (!(dataScale > 0) || !Double.isFinite(dataScale)) {
            throw new IllegalArgumentException("dataScale must be finite and > 0, got " + dataScale);
        }
        if (classes < 0) {
            throw new IllegalArgumentException("classes must be >= 0, got " + classes);
        }
    }

    /** An unconditional model. */
    public ModelSpec(long[] exampleShape, double dataScale, long seed) {
        this(exampleShape, dataScale, seed, 0);
    }

    @Override
    public long[] exampleShape() {
        return exampleShape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec m && java.util.Arrays.equals(exampleShape, m.exampleShape)
                && dataScale == m.dataScale && seed == m.seed && classes == m.classes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(java.util.Arrays.hashCode(exampleShape), dataScale, seed, classes);
    }

    @Override
    public String toString() {
        return "ModelSpec[exampleShape=" + java.util.Arrays.toString(exampleShape) + ", dataScale=" + dataScale
                + ", seed=" + seed + ", classes=" + classes + "]";
    }
}
