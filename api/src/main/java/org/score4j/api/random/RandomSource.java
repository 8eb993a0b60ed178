package org.score4j.api.random;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.tensors.Tensors;

/**
 * Random arrays for objectives, samplers and data sets. Arrays are FLOAT.
 *
 * <p>Implementations document how draws map to streams: {@link SeededRandom} uses one stream;
 * {@link ChainRandom} draws row k of every array from stream k, so chain k of a sampler sees the
 * same noise whatever batch it runs in.
 */
public interface RandomSource {

    /** Standard normal values, shape {@code shape} (first dimension = rows). */
    INDArray normal(long... shape);

    /** Standard normal values with the shape and data type of {@code x} (row k of a chain source from chain k). */
    default INDArray normalLike(INDArray x) {
        return normal(x.shape()).castTo(x.dataType());
    }

    /** Uniform values on [low, high). */
    INDArray uniform(double low, double high, long... shape);

    /**
     * The values {@link #normal} would return for {@code shape}, in C order, as a JVM array, drawn from the streams in
     * the same order: for callers that compute on the JVM, without a native array made and copied back in between. A
     * fresh array the caller owns; a source's rules on shapes (a chain source's one row per chain) apply as they do to
     * {@link #normal}.
     */
    default float[] normalValues(long... shape) {
        return Tensors.floats(normal(shape));
    }

    /** The values {@link #uniform} would return, in C order, as a JVM array (as {@link #normalValues} is to normal). */
    default float[] uniformValues(double low, double high, long... shape) {
        return Tensors.floats(uniform(low, high, shape));
    }

    /** Values ±1 with probability ½ each. */
    INDArray rademacher(long... shape);

    /** {@code n} integers uniform on [0, bound): one per row. */
    int[] integers(int n, int bound);
}
