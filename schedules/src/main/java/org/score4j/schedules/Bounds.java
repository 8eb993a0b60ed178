package org.score4j.schedules;

/** The validity rules shared by the parametric schedules. */
final class Bounds {
    /**
     * The most levels a schedule may have. Real schedules have tens to a few thousand levels (score SDE's
     * discretisations use 1000–2000); the cap stops a mistyped or hostile {@code levels} from allocating gigabytes.
     */
    static final int MAX_LEVELS = 100_000;

    private Bounds() {
    }

    static void check(double sigmaMax, double sigmaMin, int levels) {
        if (levels < 1 || levels > MAX_LEVELS) {
            throw new IllegalArgumentException("levels must be in [1, " + MAX_LEVELS + "], got " + levels);
        }
        if (!(sigmaMin > 0) || !Double.isFinite(sigmaMax)) {
            throw new IllegalArgumentException("need finite sigma-max and sigma-min > 0, got " + sigmaMax + ", "
                    + sigmaMin);
        }
        if (levels > 1 ? !(sigmaMax > sigmaMin) : !(sigmaMax >= sigmaMin)) {
            throw new IllegalArgumentException("sigma-max (" + sigmaMax + ") must be greater than sigma-min ("
                    + sigmaMin + ")");
        }
    }

    /**
     * Throws unless the computed levels strictly decrease: with very many levels between close ends, neighbours can
     * round to the same double.
     */
    static double[] decreasing(double[] levels) {
        for (int i = 1; i < levels.length; i++) {
            if (!(levels[i] < levels[i - 1])) {
                throw new IllegalArgumentException("levels " + (i - 1) + " and " + i + " round to the same σ ("
                        + levels[i] + "): use fewer levels or ends further apart");
            }
        }
        return levels;
    }
}
