package org.score4j.api.random;

import java.util.SplittableRandom;

/**
 * One stream per chain: row k of every draw comes from the stream of chain {@code first + k},
 * seeded by {@link Seeds#derive(long, long)}. Running chains 0..999 in one batch or in ten batches
 * of 100 (each with its own {@code first}) gives every chain the same draws.
 *
 * <p>Every draw must have exactly {@link #chains()} rows. Not thread-safe.
 */
public final class ChainRandom extends FilledSource {
    private final SplittableRandom[] streams;
    private final long first;

    /**
     * @param seed   the run's sampling seed
     * @param first  global index of the first chain of this batch
     * @param chains number of chains in this batch
     */
    public ChainRandom(long seed, long first, int chains) {
        if (chains < 1 || first < 0) {
            throw new IllegalArgumentException("need chains >= 1 and first >= 0, got " + chains + ", " + first);
        }
        this.first = first;
        this.streams = new SplittableRandom[chains];
        for (int k = 0; k < chains; k++) {
            streams[k] = new SplittableRandom(Seeds.derive(seed, first + k));
        }
    }

    /** Number of chains (rows of every draw). */
    public int chains() {
        return streams.length;
    }

    /** Global index of the first chain. */
    public long first() {
        return first;
    }

    @Override
    public int[] integers(int n, int bound) {
        checkRows(n);
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            out[k] = streams[k].nextInt(bound);
        }
        return out;
    }

    @Override
    float[] values(Draws.Kind kind, double low, double high, long[] shape) {
        int total = (int) Draws.count(shape);
        checkRows(shape.length == 0 ? 1 : shape[0]);
        float[] values = new float[total];
        int perRow = total / streams.length;
        for (int k = 0; k < streams.length; k++) {
            Draws.fill(streams[k], values, k * perRow, (k + 1) * perRow, kind, low, high);
        }
        return values;
    }

    private void checkRows(long rows) {
        if (rows != streams.length) {
            throw new IllegalArgumentException("a draw from " + streams.length + " chain streams must have "
                    + streams.length + " rows, got " + rows);
        }
    }
}
