package org.score4j.schedules;

/** The validity rules shared by the parametric schedules. */
final class Bounds {
    private Bounds() {
    }

    static void check(double sigmaMax, double sigmaMin, int levels) {
        if (levels < 1) {
            throw new IllegalArgumentException("levels must be >= 1, got " + levels);
        }
        if (!(sigmaMin > 0) || !Double.isFinite(sigmaMax)) {
            throw new IllegalArgumentException("need finite sigma-max and sigma-min > 0, got " + sigmaMax + ", " + sigmaMin);
        }
        if (levels > 1 ? !(sigmaMax > sigmaMin) : !(sigmaMax >= sigmaMin)) {
            throw new IllegalArgumentException("sigma-max (" + sigmaMax + ") must be greater than sigma-min ("
                    + sigmaMin + ")");
        }
    }
}
