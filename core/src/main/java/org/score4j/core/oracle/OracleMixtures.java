package org.score4j.core.oracle;

import java.util.SplittableRandom;
import org.score4j.api.mixture.GaussianMixture;

/**
 * The Gaussian mixtures that likelihood tests and the sampler benchmark measure against: distributions whose perturbed
 * scores and log-densities are closed form at every σ, so errors are measured against the truth rather than a
 * reference implementation. Defined once here so that a table and a test speak of the same distribution.
 */
public final class OracleMixtures {
    /** Components of {@link #anisotropic16()}. */
    private static final double[] WEIGHTS_16 = {0.1, 0.2, 0.3, 0.4};
    private static final int DIMENSION_16 = 16;
    /** Norm of each mean of {@link #anisotropic16()}; the means are orthogonal, so pairwise distances are 6√2. */
    private static final double MEAN_NORM_16 = 6;
    /** Covariance eigenvalues of {@link #anisotropic16()} run geometrically from this to 8 times it. */
    private static final double SMALLEST_VARIANCE_16 = 0.25;
    private static final long SEED_16 = 16;

    private OracleMixtures() {
    }

    /** The NCSN reference experiment in 2-D: 1/5 N((−5,−5), I) + 4/5 N((5,5), I). */
    public static GaussianMixture ncsn2d() {
        return GaussianMixture.ncsnReference();
    }

    /**
     * A 16-dimensional mixture of four components with unequal weights 0.1, 0.2, 0.3 and 0.4 and anisotropic,
     * correlated covariances: component k has mean μ_k of norm 6 in a direction of its own, and covariance
     * Q_k·diag(λ)·Q_kᵀ with eigenvalues λ_j = 0.25·8^(j/15) (0.25 to 2, condition number 8) and its own rotation Q_k.
     * The four mean directions are orthonormal; they and the rotations are drawn once from a fixed
     * {@link SplittableRandom} seed (its algorithm is specified, so the mixture is the same on every JVM). The modes are
     * well separated: half the distance between two means, 3√2, is at least three standard deviations (at most √2)
     * along any line, so the nearest mean names a point's component with an error below 0.5%.
     */
    public static GaussianMixture anisotropic16() {
        int d = DIMENSION_16;
        int k = WEIGHTS_16.length;
        SplittableRandom r = new SplittableRandom(SEED_16);
        double[][] means = new double[k][];
        double[][][] covariances = new double[k][][];
        double[] eigen = new double[d];
        for (int j = 0; j < d; j++) {
            eigen[j] = SMALLEST_VARIANCE_16 * Math.pow(8, j / (double) (d - 1));
        }
        double[][] directions = rotation(r, d);
        for (int c = 0; c < k; c++) {
            double[] mean = directions[c].clone();
            scale(mean, MEAN_NORM_16);
            means[c] = mean;
            double[][] q = rotation(r, d);
            double[][] cov = new double[d][d];
            for (int a = 0; a < d; a++) {
                for (int b = 0; b <= a; b++) {
                    double s = 0;
                    for (int j = 0; j < d; j++) {
                        s += q[j][a] * eigen[j] * q[j][b];
                    }
                    cov[a][b] = s;
                    cov[b][a] = s;
                }
            }
            covariances[c] = cov;
        }
        return new GaussianMixture(WEIGHTS_16, means, covariances);
    }

    /** A random orthogonal matrix (rows orthonormal), by Gram–Schmidt on Gaussian rows. */
    private static double[][] rotation(SplittableRandom r, int d) {
        double[][] q = new double[d][];
        for (int i = 0; i < d; i++) {
            double[] v = gaussian(r, d);
            for (int j = 0; j < i; j++) {
                double dot = 0;
                for (int a = 0; a < d; a++) {
                    dot += v[a] * q[j][a];
                }
                for (int a = 0; a < d; a++) {
                    v[a] -= dot * q[j][a];
                }
            }
            scale(v, 1 / norm(v));
            q[i] = v;
        }
        return q;
    }

    private static double[] gaussian(SplittableRandom r, int d) {
        double[] v = new double[d];
        for (int a = 0; a < d; a++) {
            v[a] = r.nextGaussian();
        }
        return v;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    private static void scale(double[] v, double f) {
        for (int a = 0; a < v.length; a++) {
            v[a] *= f;
        }
    }
}
