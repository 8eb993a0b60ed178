package org.score4j.schedules;

import java.util.Arrays;
import org.score4j.api.NoiseSchedule;

/**
 * σ_i = σ_max·(σ_min/σ_max)^(i/(L−1)): a constant ratio between neighbouring levels (NCSN's choice).
 * With L = 1 the single level is σ_min.
 */
public final class GeometricSchedule implements NoiseSchedule {
    private final double[] levels;

    public GeometricSchedule(double sigmaMax, double sigmaMin, int levels) {
        Bounds.check(sigmaMax, sigmaMin, levels);
        this.levels = new double[levels];
        for (int i = 0; i < levels; i++) {
            this.levels[i] = levels == 1 ? sigmaMin
                    : sigmaMax * Math.pow(sigmaMin / sigmaMax, (double) i / (levels - 1));
        }
        this.levels[levels - 1] = sigmaMin;
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
        return "geometric" + Arrays.toString(levels);
    }
}
