package org.score4j.core.likelihood;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.InputGradient;
import org.score4j.api.ScoreFunction;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.tensors.Tensors;

/**
 * The exact score of a Gaussian mixture with its exact input vector–Jacobian product, in closed form: with
 * responsibilities r_c, component scores a_c = −P_c(x − μ_c) (P_c the precision of Σ_c + σ²I) and s = Σ r_c a_c, the
 * Jacobian is J = Σ_c r_c (a_c a_cᵀ − P_c) − s sᵀ (symmetric), so gᵀJ = Σ_c r_c ((g·a_c) a_c − P_c g) − (g·s) s.
 */
final class MixtureJacobian implements ScoreFunction, InputGradient {
    private final GaussianMixture mixture;

    MixtureJacobian(GaussianMixture mixture) {
        this.mixture = mixture;
    }

    @Override
    public INDArray score(INDArray x, INDArray sigma) {
        return mixture.exactScore().score(x, sigma);
    }

    @Override
    public INDArray inputGradient(INDArray x, INDArray sigma, int[] labels, INDArray g) {
        int n = (int) x.size(0);
        int d = mixture.dimension();
        int k = mixture.size();
        double[] xs = Tensors.doubles(x);
        double[] gs = Tensors.doubles(g);
        double[] ss = Tensors.doubles(sigma);
        double[] out = new double[n * d];
        double[] w = mixture.weights();
        double lastSigma = Double.NaN;
        double[][][] precision = new double[k][][];
        double[] logNorm = new double[k];
        for (int i = 0; i < n; i++) {
            if (ss[i] != lastSigma) {
                lastSigma = ss[i];
                GaussianMixture perturbed = mixture.perturbed(lastSigma);
                for (int c = 0; c < k; c++) {
                    double[][] cov = perturbed.covariance(c);
                    precision[c] = invert(cov);
                    logNorm[c] = Math.log(w[c]) - 0.5 * logDeterminant(cov);
                }
            }
            double[][] a = new double[k][d];
            double[] logs = new double[k];
            for (int c = 0; c < k; c++) {
                double[] mu = mixture.mean(c);
                double q = 0;
                for (int p = 0; p < d; p++) {
                    double v = 0;
                    for (int r = 0; r < d; r++) {
                        v -= precision[c][p][r] * (xs[i * d + r] - mu[r]);
                    }
                    a[c][p] = v;
                    q -= (xs[i * d + p] - mu[p]) * v;
                }
                logs[c] = logNorm[c] - 0.5 * q;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (double l : logs) {
                max = Math.max(max, l);
            }
            double total = 0;
            double[] resp = new double[k];
            for (int c = 0; c < k; c++) {
                resp[c] = Math.exp(logs[c] - max);
                total += resp[c];
            }
            double[] s = new double[d];
            for (int c = 0; c < k; c++) {
                resp[c] /= total;
                for (int p = 0; p < d; p++) {
                    s[p] += resp[c] * a[c][p];
                }
            }
            double gs0 = 0;
            for (int p = 0; p < d; p++) {
                gs0 += gs[i * d + p] * s[p];
            }
            for (int c = 0; c < k; c++) {
                double ga = 0;
                for (int p = 0; p < d; p++) {
                    ga += gs[i * d + p] * a[c][p];
                }
                for (int p = 0; p < d; p++) {
                    double pg = 0;
                    for (int r = 0; r < d; r++) {
                        pg += precision[c][p][r] * gs[i * d + r];
                    }
                    out[i * d + p] += resp[c] * (ga * a[c][p] - pg);
                }
            }
            for (int p = 0; p < d; p++) {
                out[i * d + p] -= gs0 * s[p];
            }
        }
        return Tensors.array(out, x.dataType(), x.shape());
    }

    /** Gauss–Jordan inverse of a small symmetric positive-definite matrix. */
    static double[][] invert(double[][] m) {
        int d = m.length;
        double[][] a = new double[d][2 * d];
        for (int i = 0; i < d; i++) {
            System.arraycopy(m[i], 0, a[i], 0, d);
            a[i][d + i] = 1;
        }
        for (int col = 0; col < d; col++) {
            double pivot = a[col][col];
            for (int j = 0; j < 2 * d; j++) {
                a[col][j] /= pivot;
            }
            for (int i = 0; i < d; i++) {
                if (i != col) {
                    double f = a[i][col];
                    for (int j = 0; j < 2 * d; j++) {
                        a[i][j] -= f * a[col][j];
                    }
                }
            }
        }
        double[][] inv = new double[d][d];
        for (int i = 0; i < d; i++) {
            System.arraycopy(a[i], d, inv[i], 0, d);
        }
        return inv;
    }

    private static double logDeterminant(double[][] m) {
        int d = m.length;
        double[][] l = new double[d][d];
        double sum = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double v = m[i][j];
                for (int q = 0; q < j; q++) {
                    v -= l[i][q] * l[j][q];
                }
                l[i][j] = i == j ? Math.sqrt(v) : v / l[j][j];
            }
            sum += Math.log(l[i][i]);
        }
        return 2 * sum;
    }
}
