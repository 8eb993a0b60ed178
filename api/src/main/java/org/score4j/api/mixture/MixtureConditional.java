package org.score4j.api.mixture;

import java.util.Arrays;

/**
 * The exact conditional of a Gaussian mixture given some of its coordinates: the distribution of the other
 * coordinates, again a mixture, with each component's posterior weight w_k·N(x_o; μ_k,o, Σ_k,oo) (normalised), mean
 * μ_k,u + Σ_k,uo·Σ_k,oo⁻¹·(x_o − μ_k,o) and covariance Σ_k,uu − Σ_k,uo·Σ_k,oo⁻¹·Σ_k,ou. The oracle that imputation is
 * checked against.
 */
public final class MixtureConditional {
    private MixtureConditional() {
    }

    /**
     * The mixture of the unobserved coordinates (in increasing order) given {@code values} at {@code observed}.
     *
     * @param observed the observed coordinates, distinct, in [0, d), fewer than d
     * @param values   their values, one per observed coordinate
     */
    public static GaussianMixture given(GaussianMixture mixture, int[] observed, double[] values) {
        int d = mixture.dimension();
        if (observed.length != values.length || observed.length == 0 || observed.length >= d) {
            throw new IllegalArgumentException("need between 1 and " + (d - 1) + " observed coordinates with one value "
                    + "each, got " + observed.length + " and " + values.length);
        }
        int[] unobserved = unobserved(d, observed);
        int k = mixture.size();
        double[] logs = new double[k];
        double[][] means = new double[k][];
        double[][][] covariances = new double[k][][];
        double[] weights = mixture.weights();
        for (int c = 0; c < k; c++) {
            double[] mu = mixture.mean(c);
            double[][] sigma = mixture.covariance(c);
            double[][] oo = block(sigma, observed, observed);
            double[][] uo = block(sigma, unobserved, observed);
            double[][] uu = block(sigma, unobserved, unobserved);
            Cholesky chol = new Cholesky(oo);
            double[][] inv = chol.inverse();
            double[] diff = new double[observed.length];
            for (int i = 0; i < observed.length; i++) {
                diff[i] = values[i] - mu[observed[i]];
            }
            double[] solved = times(inv, diff);
            double quadratic = 0;
            for (int i = 0; i < diff.length; i++) {
                quadratic += diff[i] * solved[i];
            }
            logs[c] = Math.log(weights[c]) - 0.5 * quadratic - 0.5 * chol.logDeterminant();
            means[c] = new double[unobserved.length];
            double[] shift = times(uo, solved);
            for (int i = 0; i < unobserved.length; i++) {
                means[c][i] = mu[unobserved[i]] + shift[i];
            }
            double[][] gain = times(uo, inv);
            covariances[c] = new double[unobserved.length][unobserved.length];
            for (int i = 0; i < unobserved.length; i++) {
                for (int j = 0; j < unobserved.length; j++) {
                    double s = 0;
                    for (int m = 0; m < observed.length; m++) {
                        s += gain[i][m] * uo[j][m];
                    }
                    covariances[c][i][j] = uu[i][j] - s;
                }
            }
            for (int i = 0; i < unobserved.length; i++) {
                for (int j = 0; j < i; j++) {
                    double avg = 0.5 * (covariances[c][i][j] + covariances[c][j][i]);
                    covariances[c][i][j] = avg;
                    covariances[c][j][i] = avg;
                }
            }
        }
        double max = Arrays.stream(logs).max().orElseThrow();
        double[] posterior = new double[k];
        double sum = 0;
        for (int c = 0; c < k; c++) {
            posterior[c] = Math.exp(logs[c] - max);
            sum += posterior[c];
        }
        for (int c = 0; c < k; c++) {
            // A component the observation rules out entirely keeps a negligible weight, so the mixture stays valid.
            posterior[c] = Math.max(posterior[c] / sum, 1e-300);
        }
        double total = Arrays.stream(posterior).sum();
        for (int c = 0; c < k; c++) {
            posterior[c] /= total;
        }
        return new GaussianMixture(posterior, means, covariances);
    }

    /** The coordinates of [0, d) not in {@code observed}, in increasing order. */
    public static int[] unobserved(int d, int[] observed) {
        boolean[] seen = new boolean[d];
        for (int o : observed) {
            if (o < 0 || o >= d || seen[o]) {
                throw new IllegalArgumentException("observed coordinates must be distinct and in [0, " + d + "), got "
                        + Arrays.toString(observed));
            }
            seen[o] = true;
        }
        int[] out = new int[d - observed.length];
        int at = 0;
        for (int i = 0; i < d; i++) {
            if (!seen[i]) {
                out[at++] = i;
            }
        }
        return out;
    }

    private static double[][] block(double[][] m, int[] rows, int[] cols) {
        double[][] out = new double[rows.length][cols.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < cols.length; j++) {
                out[i][j] = m[rows[i]][cols[j]];
            }
        }
        return out;
    }

    private static double[] times(double[][] m, double[] v) {
        double[] out = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < v.length; j++) {
                out[i] += m[i][j] * v[j];
            }
        }
        return out;
    }

    private static double[][] times(double[][] a, double[][] b) {
        double[][] out = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b[0].length; j++) {
                for (int m = 0; m < b.length; m++) {
                    out[i][j] += a[i][m] * b[m][j];
                }
            }
        }
        return out;
    }
}
