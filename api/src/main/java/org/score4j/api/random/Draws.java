package org.score4j.api.random;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.tensors.Tensors;

/** Fills float buffers from a stream; the one place that turns a stream's values into arrays. */
final class Draws {
    private Draws() {
    }

    static long count(long[] shape) {
        long n = 1;
        for (long s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in shape");
            }
            n = Math.multiplyExact(n, s);
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("array too large: " + n + " values");
        }
        return n;
    }

    enum Kind { NORMAL, UNIFORM, RADEMACHER }

    static void fill(SplittableRandom r, float[] out, int from, int to, Kind kind, double low, double high) {
        switch (kind) {
            case NORMAL -> {
                for (int i = from; i < to; i++) {
                    out[i] = (float) r.nextGaussian();
                }
            }
            case UNIFORM -> {
                for (int i = from; i < to; i++) {
                    out[i] = (float) (low + (high - low) * r.nextDouble());
                }
            }
            case RADEMACHER -> {
                for (int i = from; i < to; i++) {
                    out[i] = r.nextBoolean() ? 1f : -1f;
                }
            }
        }
    }

    static INDArray array(float[] values, long[] shape) {
        return Tensors.array(values, DataType.FLOAT, shape);
    }
}
