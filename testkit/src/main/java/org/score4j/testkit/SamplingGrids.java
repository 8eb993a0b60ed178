package org.score4j.testkit;

import java.util.Arrays;
import org.score4j.api.SamplingGrid;

/**
 * Sampling grids for sampler tests. PRIOR samplers start from N(0, σ₀²·I) rather than the exact q_σ₀ of the NCSN
 * mixture, whose mean is (3, 3) and variance 1 + σ₀²: started so, even the exact probability-flow map puts a share
 * Φ((3√2 − 0.8416·√(1 + σ₀²))/σ₀) of the chains in the small mode, 0.264 for σ₀ = 20 (NCSN's σ₁, too close to the
 * data for a prior start) but 0.212 for σ₀ = 100, which the tests use.
 */
public final class SamplingGrids {
    private SamplingGrids() {
    }

    /** L geometric levels from max to min, then 0 when {@code toZero}. */
    public static SamplingGrid geometric(double max, double min, int levels, boolean toZero) {
        double[] s = new double[levels + (toZero ? 1 : 0)];
        for (int i = 0; i < levels; i++) {
            s[i] = max * Math.pow(min / max, (double) i / (levels - 1));
        }
        return SamplingGrid.of(s);
    }

    /** L levels of Karras et al.'s ρ-schedule (ρ = 7) from max to min, then 0. */
    public static SamplingGrid karras(double max, double min, int levels) {
        double[] s = new double[levels + 1];
        double hi = Math.pow(max, 1 / 7.0);
        double lo = Math.pow(min, 1 / 7.0);
        for (int i = 0; i < levels; i++) {
            s[i] = Math.pow(hi + (double) i / (levels - 1) * (lo - hi), 7);
        }
        s[0] = max;
        s[levels - 1] = min;
        return SamplingGrid.of(s);
    }

    public static SamplingGrid withoutZero(SamplingGrid grid) {
        double[] s = grid.sigmas();
        return grid.endsAtZero() ? SamplingGrid.of(Arrays.copyOf(s, s.length - 1)) : grid;
    }
}
