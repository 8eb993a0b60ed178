package org.score4j.api.random;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/** One seeded stream; every draw continues it in order. Not thread-safe. */
public final class SeededRandom implements RandomSource {
    private final SplittableRandom stream;

    public SeededRandom(long seed) {
        this.stream = new SplittableRandom(seed);
    }

    @Override
    public INDArray normal(long... shape) {
        return draw(Draws.Kind.NORMAL, 0, 0, shape);
    }

    @Override
    public INDArray uniform(double low, double high, long... shape) {
        return draw(Draws.Kind.UNIFORM, low, high, shape);
    }

    @Override
    public float[] normalValues(long... shape) {
        return values(Draws.Kind.NORMAL, 0, 0, shape);
    }

    @Override
    public float[] uniformValues(double low, double high, long... shape) {
        return values(Draws.Kind.UNIFORM, low, high, shape);
    }

    @Override
    public INDArray rademacher(long... shape) {
        return draw(Draws.Kind.RADEMACHER, 0, 0, shape);
    }

    @Override
    public int[] integers(int n, int bound) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = stream.nextInt(bound);
        }
        return out;
    }

    /** A double uniform on [0, 1). */
    public double nextDouble() {
        return stream.nextDouble();
    }

    private INDArray draw(Draws.Kind kind, double low, double high, long[] shape) {
        return Draws.array(values(kind, low, high, shape), shape);
    }

    private float[] values(Draws.Kind kind, double low, double high, long[] shape) {
        float[] values = new float[(int) Draws.count(shape)];
        Draws.fill(stream, values, 0, values.length, kind, low, high);
        return values;
    }
}
