package org.score4j.schedules;

/** σ_i = σ_max + (σ_min − σ_max)·i/(L−1): evenly spaced levels. With L = 1 the single level is σ_min. */
public final class LinearSchedule extends TabulatedSchedule {

    /**
     * @throws IllegalArgumentException unless 1 ≤ levels ≤ 100 000 and 0 &lt; sigma-min &lt; sigma-max (≤ for one level)
     */
    public LinearSchedule(double sigmaMax, double sigmaMin, int levels) {
        super("linear", levels(sigmaMax, sigmaMin, levels));
    }

    private static double[] levels(double sigmaMax, double sigmaMin, int levels) {
        Bounds.check(sigmaMax, sigmaMin, levels);
        double[] s = new double[levels];
        for (int i = 0; i < levels; i++) {
            s[i] = levels == 1 ? sigmaMin : sigmaMax + (sigmaMin - sigmaMax) * i / (levels - 1);
        }
        return s;
    }
}
