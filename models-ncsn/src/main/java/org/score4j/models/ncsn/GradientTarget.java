package org.score4j.models.ncsn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a backward pass writes a flat parameter gradient: into the caller's array itself where it is dense float
 * {@code [P]} (the runner passes the same array every step, so nothing of size P is allocated or copied), else into a
 * work array of the model's that is copied into the caller's afterwards.
 */
final class GradientTarget {
    private final long size;
    private final String model;
    private INDArray work;

    GradientTarget(long size, String model) {
        this.size = size;
        this.model = model;
    }

    /**
     * The dense float [P] array to write the gradient of {@code given} into: {@code given} itself (a view) or a work
     * array; pass it to {@link #finish} once written.
     *
     * @throws IllegalArgumentException if {@code given} does not hold P values
     */
    INDArray open(INDArray given) {
        java.util.Objects.requireNonNull(given, "parameterGradient");
        if (given.length() != size) {
            throw new IllegalArgumentException(model + " has " + size + " parameters, got a parameter gradient of "
                    + given.length() + " values " + java.util.Arrays.toString(given.shape()));
        }
        if (ParameterVectors.isDense(given)) {
            return given.reshape(size);
        }
        if (work == null) {
            work = Nd4j.create(DataType.FLOAT, size);
        }
        return work;
    }

    /** Copies {@code written} into {@code given} unless it is {@code given}'s own memory. */
    void finish(INDArray given, INDArray written) {
        if (written == work) {
            given.assign(work.reshape(given.shape()));
        }
    }
}
