package org.score4j.api;

import java.util.Arrays;
import org.score4j.api.random.RandomSource;

/**
 * The noise levels σ₁ &gt; σ₂ &gt; … &gt; σ_L &gt; 0 a model is trained on and sampled with.
 *
 * <p>Level 0 is the largest σ, level {@code size() - 1} the smallest. σ is in the units of the
 * data (a standard deviation, not a variance).
 */
public interface NoiseSchedule {

    /** Number of levels L ≥ 1. */
    int size();

    /** σ of level {@code level}, 0 ≤ level &lt; {@link #size()}; strictly decreasing in level. */
    double sigma(int level);

    /** All levels, largest first; a fresh array. */
    default double[] sigmas() {
        double[] s = new double[size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = sigma(i);
        }
        return s;
    }

    /**
     * One level per example, each uniform over the schedule, as objectives draw them.
     *
     * @return level indices, one per row, in [0, {@link #size()})
     */
    default int[] drawLevels(int n, RandomSource rng) {
        return rng.integers(n, size());
    }

    /** σ of each of the given levels, a fresh array. */
    default double[] sigmasOf(int[] levels) {
        double[] s = new double[levels.length];
        for (int i = 0; i < levels.length; i++) {
            s[i] = sigma(levels[i]);
        }
        return s;
    }

    /** σ₁, the largest level. */
    default double largest() {
        return sigma(0);
    }

    /** σ_L, the smallest level. */
    default double smallest() {
        return sigma(size() - 1);
    }

    /**
     * A schedule with the given levels.
     *
     * @throws IllegalArgumentException unless the levels are finite, positive and strictly decreasing
     */
    static NoiseSchedule of(double... sigmas) {
        double[] levels = sigmas.clone();
        if (levels.length == 0) {
            throw new IllegalArgumentException("a noise schedule needs at least one level");
        }
        for (int i = 0; i < levels.length; i++) {
            if (!(levels[i] > 0) || !Double.isFinite(levels[i])) {
                throw new IllegalArgumentException("noise levels must be finite and > 0, got " + levels[i]);
            }
            if (i > 0 && !(levels[i] < levels[i - 1])) {
                throw new IllegalArgumentException("noise levels must be strictly decreasing: " + Arrays.toString(levels));
            }
        }
        return new NoiseSchedule() {
            @Override
            public int size() {
                return levels.length;
            }

            @Override
            public double sigma(int level) {
                return levels[level];
            }

            @Override
            public String toString() {
                return "NoiseSchedule" + Arrays.toString(levels);
            }
        };
    }
}
