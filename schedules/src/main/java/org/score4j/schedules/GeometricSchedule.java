package org.score4j.schedules;

/**
 * σ_i = σ_max·(σ_min/σ_max)^(i/(L−1)): a constant ratio between neighbouring levels (NCSN's choice).
 * With L = 1 the single level is σ_min.
 */
public final class GeometricSchedule extends TabulatedSchedule {

    /**
     * @throws IllegalArgumentException unless 1 ≤ levels ≤ 100 000 and 0 &lt; sigma-min &lt; sigma-max (≤ for one level)
     */
    public GeometricSchedule(double sigmaMax, double sigmaMin, int levels) {
        super("geometric", levels(sigmaMax, sigmaMin, levels));
    }

    private static double[] levels(double sigmaMax, double sigmaMin, int levels) {
        Bounds.check(sigmaMax, sigmaMin, levels);
        double[] s = new double[levels];
        for (int i = 0; i < levels; i++) {
            s[i] = levels == 1 ? sigmaMin : sigmaMax * Math.pow(sigmaMin / sigmaMax, (double) i / (levels - 1));
        }
        s[levels - 1] = sigmaMin;
        return s;
    }
}
