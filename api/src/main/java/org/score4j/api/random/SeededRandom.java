package org.score4j.api.random;

import java.util.SplittableRandom;

/** One seeded stream; every draw continues it in order. Not thread-safe. */
public final class SeededRandom extends FilledSource {
    private final SplittableRandom stream;

    public SeededRandom(long seed) {
        this.stream = new SplittableRandom(seed);
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

    @Override
    float[] values(Draws.Kind kind, double low, double high, long[] shape) {
        float[] values = new float[(int) Draws.count(shape)];
        Draws.fill(stream, values, 0, values.length, kind, low, high);
        return values;
    }
}
