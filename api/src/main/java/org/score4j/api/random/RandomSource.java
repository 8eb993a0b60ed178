package org.score4j.api.random;

import org.nd4j.linalg.api.ndarray.INDArray;

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

    /** Values ±1 with probability ½ each. */
    INDArray rademacher(long... shape);

    /** {@code n} integers uniform on [0, bound): one per row. */
    int[] integers(int n, int bound);
}
