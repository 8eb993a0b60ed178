package org.score4j.objectives.ssm;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.tensors.Tensors;
import org.score4j.api.random.RandomSource;

/**
 * The distribution of the random directions v of sliced score matching. Each has E[vvᵀ] = I, which
 * is what makes E_v[vᵀJv] = tr J and E_v[(vᵀs)²] = ‖s‖².
 */
public enum Projection {
    /** Coordinates ±1 independently: the lowest-variance choice for the trace term. */
    RADEMACHER,
    /** Standard normal coordinates. */
    GAUSSIAN,
    /** Uniform on the sphere of radius √d. */
    SPHERE;

    /** {@code rows} directions in R^d, shape {@code [rows, d]}. */
    INDArray draw(RandomSource rng, long rows, long d) {
        return switch (this) {
            case RADEMACHER -> rng.rademacher(rows, d);
            case GAUSSIAN -> rng.normal(rows, d);
            case SPHERE -> {
                INDArray g = rng.normal(rows, d);
                INDArray norms = Nd4j.math().sqrt(Tensors.rowSquaredNorms(g)).divi(Math.sqrt(d));
                yield Tensors.divideRows(g, norms);
            }
        };
    }
}
