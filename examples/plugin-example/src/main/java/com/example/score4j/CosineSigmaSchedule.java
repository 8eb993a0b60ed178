package com.example.score4j;

import java.util.Arrays;
import org.score4j.api.NoiseSchedule;

/**
 * The cosine schedule of Nichol and Dhariwal 2021 ("Improved denoising diffusion probabilistic models", eq. 17, with
 * offset s = 0) as variance-exploding levels. Its signal level ᾱ(u) = cos²(π·u/2) for u ∈ [0, 1] corresponds to
 * σ(u) = √((1 − ᾱ)/ᾱ) = tan(π·u/2) (a variance-preserving x is a variance-exploding one scaled by √ᾱ); the L levels
 * are evenly spaced in u between σ_max and σ_min:
 * <pre>σ_i = tan(atan σ_max + i/(L−1)·(atan σ_min − atan σ_max))</pre>
 * Most levels fall below σ ≈ 1, where images keep their detail. One level is σ_min alone.
 */
public final class CosineSigmaSchedule implements NoiseSchedule {
    /** The most levels: far beyond any use, and small enough that a hostile value cannot exhaust memory. */
    static final int MAX_LEVELS = 100_000;
    private final double[] levels;

    /**
     * @throws IllegalArgumentException unless 1 ≤ levels ≤ 100 000, 0 &lt; σ_min &lt; σ_max (≤ for one level), both
     *                                  finite, and the levels come out strictly decreasing
     */
    public CosineSigmaSchedule(double sigmaMax, double sigmaMin, int levels) {
        if (levels < 1 || levels > MAX_LEVELS) {
            throw new IllegalArgumentException("levels must be in [1, " + MAX_LEVELS + "], got " + levels);
        }
        if (!(sigmaMin > 0) || !Double.isFinite(sigmaMax) || (levels > 1 ? !(sigmaMax > sigmaMin) : sigmaMax < sigmaMin)) {
            throw new IllegalArgumentException("need finite 0 < sigma-min < sigma-max, got " + sigmaMin + ", " + sigmaMax);
        }
        double[] s = new double[levels];
        double hi = Math.atan(sigmaMax);
        double lo = Math.atan(sigmaMin);
        for (int i = 0; i < levels; i++) {
            s[i] = levels == 1 ? sigmaMin : Math.tan(hi + (double) i / (levels - 1) * (lo - hi));
        }
        s[0] = levels == 1 ? sigmaMin : sigmaMax;
        s[levels - 1] = sigmaMin;
        for (int i = 1; i < levels; i++) {
            if (!(s[i] < s[i - 1])) {
                throw new IllegalArgumentException("levels " + (i - 1) + " and " + i + " round to the same σ: use "
                        + "fewer levels");
            }
        }
        this.levels = s;
    }

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
        return "cosine-sigma" + Arrays.toString(levels);
    }
}
