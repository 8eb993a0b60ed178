package org.score4j.core.evaluation;

/**
 * A noise schedule and annealed-sampler settings suggested for a data set by the techniques of "Improved
 * techniques for training score-based generative models" (Song and Ermon, 2020):
 * <ol>
 *   <li>σ_max: the largest Euclidean distance between data points, so the first level can move mass between any
 *       two of them;</li>
 *   <li>the ratio γ = σ_{i−1}/σ_i of a geometric schedule: consecutive levels overlap, solving
 *       Φ(√(2D)(γ−1) + 3γ) − Φ(√(2D)(γ−1) − 3γ) = ½ for data of D dimensions; L follows from σ_max, σ_min and γ;</li>
 *   <li>the step size for T steps per level: the annealed-Langevin chain at the last level should end with the
 *       variance it should have, (1 − a/σ_L²)^{2T}(γ² − 2a/(σ_L² − σ_L²(1 − a/σ_L²)²)) + 2a/(σ_L² − σ_L²(1 − a/σ_L²)²)
 *       ≈ 1, where a is the reference code's step (x + a·s + √(2a)·z), that is ε/2 in score4j's convention.</li>
 * </ol>
 *
 * @param stepSize ε in score4j's convention (annealed-langevin's {@code step-size})
 */
public record ScheduleAdvice(int dimension, double largestDistance, double ratio, double sigmaMax, double sigmaMin,
                             int levels, int stepsPerLevel, double stepSize) {
    private static final double MAX_RATIO = 100;
    private static final int LOW_DIMENSIONAL_LEVELS = 10;

    /** Whether the overlap criterion chose the ratio (false in a few dimensions, where it never binds). */
    public boolean overlapBinds() {
        return overlap(MAX_RATIO, dimension) <= 0.5;
    }

    /**
     * @param data     points of the data set, one per row (flattened)
     * @param sigmaMin the smallest level, which the data cannot tell (the noise left in the final samples)
     * @param steps    steps per level T
     */
    public static ScheduleAdvice suggest(double[][] data, double sigmaMin, int steps) {
        int d = data[0].length;
        double largest = 0;
        for (int i = 0; i < data.length; i++) {
            for (int j = i + 1; j < data.length; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double diff = data[i][k] - data[j][k];
                    s += diff * diff;
                }
                largest = Math.max(largest, s);
            }
        }
        largest = Math.sqrt(largest);
        double sigmaMax = Math.max(largest, sigmaMin);
        int levels;
        double gamma;
        if (overlap(MAX_RATIO, d) > 0.5) {
            // In a few dimensions the criterion never binds (it is derived for high-dimensional data): keep NCSN's
            // ten levels.
            levels = sigmaMax > sigmaMin ? LOW_DIMENSIONAL_LEVELS : 1;
            gamma = levels > 1 ? Math.pow(sigmaMax / sigmaMin, 1.0 / (levels - 1)) : 1;
        } else {
            gamma = overlapRatio(d);
            levels = sigmaMax > sigmaMin ? 1 + (int) Math.ceil(Math.log(sigmaMax / sigmaMin) / Math.log(gamma)) : 1;
        }
        return new ScheduleAdvice(d, largest, gamma, sigmaMax, sigmaMin, levels, steps,
                2 * referenceStep(gamma, sigmaMin, steps));
    }

    /** The γ > 1 at which consecutive geometric levels overlap for data of {@code dimension} dimensions. */
    static double overlapRatio(int dimension) {
        double lo = 1;
        double hi = MAX_RATIO;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (overlap(mid, dimension) > 0.5) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    static double overlap(double gamma, int dimension) {
        double c = Math.sqrt(2.0 * dimension) * (gamma - 1);
        return normalCdf(c + 3 * gamma) - normalCdf(c - 3 * gamma);
    }

    /**
     * The reference-code step a in (0, σ_L²) that brings the last level's final variance closest to σ_L² (the
     * equation has no exact root for most γ and T: the paper, too, takes the step that makes it ≈ 1).
     */
    static double referenceStep(double gamma, double sigmaMin, int steps) {
        double s2 = sigmaMin * sigmaMin;
        double best = s2;
        double gap = Double.POSITIVE_INFINITY;
        for (int k = 1; k <= 1200; k++) {
            double a = s2 * Math.pow(10, -k / 100.0);
            double g = Math.abs(finalVariance(a, gamma, s2, steps) - 1);
            if (g < gap) {
                gap = g;
                best = a;
            }
        }
        return best;
    }

    /** The last level's final variance over σ_L² after T steps of size a, starting from the previous level's. */
    static double finalVariance(double a, double gamma, double s2, int steps) {
        double q = 1 - a / s2;
        double fixed = 2 * a / (s2 - s2 * q * q);
        return Math.pow(q, 2.0 * steps) * (gamma * gamma - fixed) + fixed;
    }

    /** Φ by the Abramowitz–Stegun erf approximation (error below 1.5·10⁻⁷). */
    static double normalCdf(double x) {
        double z = Math.abs(x) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * z);
        double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                * t * Math.exp(-z * z);
        return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
