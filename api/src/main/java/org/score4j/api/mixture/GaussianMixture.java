package org.score4j.api.mixture;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.ScoreFunction;
import org.score4j.api.tensors.Tensors;
import org.score4j.api.random.RandomSource;

/**
 * A mixture Σ_k w_k N(μ_k, Σ_k) in d dimensions, immutable.
 *
 * <p>Perturbing it with Gaussian noise of scale σ gives the mixture Σ_k w_k N(μ_k, Σ_k + σ²I), so
 * its score ∇ log q_σ(x) is known in closed form for every σ ≥ 0: {@link #exactScore()}.
 */
public final class GaussianMixture {
    private static final double WEIGHT_TOLERANCE = 1e-6;

    private final double[] weights;
    private final double[][] means;
    private final double[][][] covariances;
    private final Map<Double, Level> levels = new ConcurrentHashMap<>();

    /**
     * @param weights     K weights, each &gt; 0, summing to 1 (within 1e-6)
     * @param means       K means of dimension d
     * @param covariances K symmetric positive-definite d×d matrices
     * @throws IllegalArgumentException when the parameters do not define a mixture
     */
    public GaussianMixture(double[] weights, double[][] means, double[][][] covariances) {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(means, "means");
        Objects.requireNonNull(covariances, "covariances");
        int k = weights.length;
        if (k == 0 || means.length != k || covariances.length != k) {
            throw new IllegalArgumentException("need the same number (≥ 1) of weights, means and covariances, got "
                    + k + ", " + means.length + ", " + covariances.length);
        }
        int d = means[0].length;
        double sum = 0;
        for (int c = 0; c < k; c++) {
            if (!(weights[c] > 0)) {
                throw new IllegalArgumentException("weights must be > 0, got " + weights[c]);
            }
            sum += weights[c];
            if (means[c].length != d || d == 0) {
                throw new IllegalArgumentException("every mean must have the same dimension ≥ 1");
            }
            if (covariances[c].length != d) {
                throw new IllegalArgumentException("covariance " + c + " must be " + d + "×" + d);
            }
            for (int i = 0; i < d; i++) {
                if (covariances[c][i].length != d) {
                    throw new IllegalArgumentException("covariance " + c + " must be " + d + "×" + d);
                }
                for (int j = 0; j < d; j++) {
                    if (Math.abs(covariances[c][i][j] - covariances[c][j][i]) > 1e-9) {
                        throw new IllegalArgumentException("covariance " + c + " is not symmetric");
                    }
                }
            }
            new Cholesky(covariances[c]);
        }
        if (Math.abs(sum - 1) > WEIGHT_TOLERANCE) {
            throw new IllegalArgumentException("weights must sum to 1, got " + sum);
        }
        this.weights = weights.clone();
        this.means = deepCopy(means);
        this.covariances = new double[k][][];
        for (int c = 0; c < k; c++) {
            this.covariances[c] = deepCopy(covariances[c]);
        }
    }

    /** A mixture whose component k has covariance {@code variances[k]}·I. */
    public static GaussianMixture isotropic(double[] weights, double[][] means, double[] variances) {
        double[][][] cov = new double[variances.length][][];
        for (int c = 0; c < variances.length; c++) {
            cov[c] = scaledIdentity(means[c].length, variances[c]);
        }
        return new GaussianMixture(weights, means, cov);
    }

    /** The NCSN reference experiment: 1/5 N((−5,−5), I) + 4/5 N((5,5), I). */
    public static GaussianMixture ncsnReference() {
        return isotropic(new double[] {0.2, 0.8}, new double[][] {{-5, -5}, {5, 5}}, new double[] {1, 1});
    }

    public int size() {
        return weights.length;
    }

    public int dimension() {
        return means[0].length;
    }

    public double[] weights() {
        return weights.clone();
    }

    public double[] mean(int k) {
        return means[k].clone();
    }

    public double[][] covariance(int k) {
        return deepCopy(covariances[k]);
    }

    /** The mixture of the data perturbed with noise of scale σ ≥ 0: covariances Σ_k + σ²I. */
    public GaussianMixture perturbed(double sigma) {
        double[][][] cov = new double[size()][][];
        for (int c = 0; c < size(); c++) {
            cov[c] = addDiagonal(covariances[c], sigma * sigma);
        }
        return new GaussianMixture(weights, means, cov);
    }

    /** Draws {@code n} points, {@code [n, d]} FLOAT. */
    public INDArray sample(int n, RandomSource rng) {
        int d = dimension();
        float[] u = rng.uniformValues(0, 1, n);
        float[] z = rng.normalValues(n, d);
        float[] out = new float[n * d];
        Level data = level(0);
        for (int i = 0; i < n; i++) {
            int c = componentAt(u[i]);
            double[][] l = data.factors[c];
            for (int a = 0; a < d; a++) {
                double v = means[c][a];
                for (int b = 0; b <= a; b++) {
                    v += l[a][b] * z[i * d + b];
                }
                out[i * d + a] = (float) v;
            }
        }
        return Tensors.array(out, DataType.FLOAT, n, d);
    }

    /** log q_σ(x). */
    public double logDensity(double[] x, double sigma) {
        Level lv = level(sigma);
        double[] logs = new double[size()];
        for (int c = 0; c < size(); c++) {
            logs[c] = lv.logWeight[c] - 0.5 * quadratic(lv.precision[c], x, means[c]);
        }
        return logSumExp(logs) - 0.5 * dimension() * Math.log(2 * Math.PI);
    }

    /**
     * log q_σ(x) at every row of {@code x}, in nats, computed in double precision: the exact log-density of the data
     * perturbed with noise of scale σ ≥ 0 (σ = 0 is the clean mixture), against which likelihoods are checked.
     *
     * @param x points {@code [N, d]}, any floating-point type
     * @return N values
     */
    public double[] logDensity(INDArray x, double sigma) {
        int d = dimension();
        if (x.rank() != 2 || x.size(1) != d) {
            throw new IllegalArgumentException("expected points of shape [N, " + d + "], got "
                    + Arrays.toString(x.shape()));
        }
        int n = (int) x.size(0);
        double[] xs = Tensors.doubles(x);
        double[] out = new double[n];
        double[] row = new double[d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(xs, i * d, row, 0, d);
            out[i] = logDensity(row, sigma);
        }
        return out;
    }

    /** ∇ log q_σ(x) at one point. */
    public double[] score(double[] x, double sigma) {
        Level lv = level(sigma);
        int k = size();
        int d = dimension();
        double[] logs = new double[k];
        double[][] pulls = new double[k][];
        for (int c = 0; c < k; c++) {
            double[] diff = new double[d];
            for (int a = 0; a < d; a++) {
                diff[a] = x[a] - means[c][a];
            }
            double[] pd = multiply(lv.precision[c], diff);
            double q = 0;
            for (int a = 0; a < d; a++) {
                q += diff[a] * pd[a];
            }
            logs[c] = lv.logWeight[c] - 0.5 * q;
            pulls[c] = pd;
        }
        double norm = logSumExp(logs);
        double[] s = new double[d];
        for (int c = 0; c < k; c++) {
            double r = Math.exp(logs[c] - norm);
            for (int a = 0; a < d; a++) {
                s[a] -= r * pulls[c][a];
            }
        }
        return s;
    }

    /**
     * The exact score as a {@link ScoreFunction}: x {@code [N, d]}, σ {@code [N]} with σ ≥ 0
     * (0 is the clean mixture). Computed in double precision, returned in x's data type.
     */
    public ScoreFunction exactScore() {
        return (x, sigma) -> {
            int n = (int) x.size(0);
            int d = dimension();
            if (x.rank() != 2 || x.size(1) != d) {
                throw new IllegalArgumentException("expected points of shape [N, " + d + "], got "
                        + Arrays.toString(x.shape()));
            }
            double[] xs = x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            double[] ss = sigma.castTo(DataType.DOUBLE).data().asDouble();
            double[] out = new double[n * d];
            double[] row = new double[d];
            for (int i = 0; i < n; i++) {
                System.arraycopy(xs, i * d, row, 0, d);
                double[] s = score(row, ss[i]);
                System.arraycopy(s, 0, out, i * d, d);
            }
            return Tensors.array(out, x.dataType(), n, d);
        };
    }

    /** Index of the component whose mean is nearest (Euclidean) to each row of {@code points [N, d]}. */
    public int[] nearestComponents(INDArray points) {
        int n = (int) points.size(0);
        int d = dimension();
        double[] xs = points.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int c = 0; c < size(); c++) {
                double dist = 0;
                for (int a = 0; a < d; a++) {
                    double t = xs[i * d + a] - means[c][a];
                    dist += t * t;
                }
                if (dist < best) {
                    best = dist;
                    out[i] = c;
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("GaussianMixture[");
        for (int c = 0; c < size(); c++) {
            b.append(c == 0 ? "" : " + ").append(weights[c]).append("·N(").append(Arrays.toString(means[c]))
                    .append(", ").append(Arrays.deepToString(covariances[c])).append(')');
        }
        return b.append(']').toString();
    }

    private int componentAt(double u) {
        double acc = 0;
        for (int c = 0; c < size() - 1; c++) {
            acc += weights[c];
            if (u < acc) {
                return c;
            }
        }
        return size() - 1;
    }

    private Level level(double sigma) {
        if (!(sigma >= 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("σ must be finite and ≥ 0, got " + sigma);
        }
        return levels.computeIfAbsent(sigma, this::computeLevel);
    }

    private Level computeLevel(double sigma) {
        int k = size();
        double[][][] precision = new double[k][][];
        double[][][] factors = new double[k][][];
        double[] logWeight = new double[k];
        for (int c = 0; c < k; c++) {
            Cholesky ch = new Cholesky(addDiagonal(covariances[c], sigma * sigma));
            precision[c] = ch.inverse();
            factors[c] = ch.lower;
            logWeight[c] = Math.log(weights[c]) - 0.5 * ch.logDeterminant();
        }
        return new Level(precision, factors, logWeight);
    }

    private record Level(double[][][] precision, double[][][] factors, double[] logWeight) {
    }

    private static double quadratic(double[][] p, double[] x, double[] mu) {
        int d = x.length;
        double q = 0;
        for (int a = 0; a < d; a++) {
            double row = 0;
            for (int b = 0; b < d; b++) {
                row += p[a][b] * (x[b] - mu[b]);
            }
            q += (x[a] - mu[a]) * row;
        }
        return q;
    }

    private static double[] multiply(double[][] m, double[] v) {
        double[] out = new double[v.length];
        for (int a = 0; a < v.length; a++) {
            double s = 0;
            for (int b = 0; b < v.length; b++) {
                s += m[a][b] * v[b];
            }
            out[a] = s;
        }
        return out;
    }

    private static double logSumExp(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            max = Math.max(max, x);
        }
        double s = 0;
        for (double x : v) {
            s += Math.exp(x - max);
        }
        return max + Math.log(s);
    }

    private static double[][] scaledIdentity(int d, double v) {
        double[][] m = new double[d][d];
        for (int i = 0; i < d; i++) {
            m[i][i] = v;
        }
        return m;
    }

    private static double[][] addDiagonal(double[][] m, double v) {
        double[][] out = deepCopy(m);
        for (int i = 0; i < out.length; i++) {
            out[i][i] += v;
        }
        return out;
    }

    private static double[][] deepCopy(double[][] m) {
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i].clone();
        }
        return out;
    }
}
