package org.score4j.core.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.ScoreFunction;
import org.score4j.api.tensors.Tensors;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.random.SeededRandom;

/** Distances between sample sets and scores, in double precision. */
public final class SampleMetrics {
    private static final int MMD_POINTS = 2000;

    private SampleMetrics() {
    }

    /** Rows of a batch as double vectors. */
    public static double[][] points(INDArray batch) {
        INDArray flat = Tensors.rows(batch).castTo(DataType.DOUBLE);
        return flat.toDoubleMatrix();
    }

    /**
     * Sliced Wasserstein-2 distance: the root mean over random unit directions of the squared W2
     * distance between the projected sets (quantile matching).
     */
    public static double slicedWasserstein(double[][] a, double[][] b, int projections, long seed) {
        int d = a[0].length;
        SplittableRandom r = new SplittableRandom(seed);
        int n = Math.min(a.length, b.length);
        double total = 0;
        for (int p = 0; p < projections; p++) {
            double[] v = new double[d];
            double norm = 0;
            for (int i = 0; i < d; i++) {
                v[i] = r.nextGaussian();
                norm += v[i] * v[i];
            }
            norm = Math.sqrt(norm);
            double[] pa = quantiles(project(a, v, norm), n);
            double[] pb = quantiles(project(b, v, norm), n);
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += (pa[i] - pb[i]) * (pa[i] - pb[i]);
            }
            total += s / n;
        }
        return Math.sqrt(total / projections);
    }

    /** Squared maximum mean discrepancy (unbiased) with an RBF kernel of the given bandwidth. */
    public static double mmd(double[][] a, double[][] b, double bandwidth) {
        double[][] x = head(a);
        double[][] y = head(b);
        double g = 1 / (2 * bandwidth * bandwidth);
        return mean(x, x, g, true) + mean(y, y, g, true) - 2 * mean(x, y, g, false);
    }

    /** The median distance between points of {@code a}: the usual RBF bandwidth. */
    public static double medianDistance(double[][] a) {
        double[][] x = head(a);
        int m = Math.min(x.length, 500);
        List<Double> dist = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                dist.add(Math.sqrt(squared(x[i], x[j])));
            }
        }
        if (dist.isEmpty()) {
            return 1;
        }
        dist.sort(null);
        double med = dist.get(dist.size() / 2);
        return med > 0 ? med : 1;
    }

    /** Fraction of the points nearest to each component's mean. */
    public static double[] modeWeights(GaussianMixture mixture, INDArray samples) {
        int[] nearest = mixture.nearestComponents(Tensors.rows(samples));
        double[] w = new double[mixture.size()];
        for (int c : nearest) {
            w[c] += 1.0 / nearest.length;
        }
        return w;
    }

    /**
     * Fisher divergence per level: E over x̃ ~ q_σ of ‖s(x̃, σ) − ∇log q_σ(x̃)‖², and the same divided
     * by E‖∇log q_σ‖² (relative).
     */
    public static List<FisherAtLevel> fisher(ScoreFunction score, GaussianMixture mixture, NoiseSchedule schedule,
                                             int n, long seed) {
        List<FisherAtLevel> out = new ArrayList<>();
        SeededRandom rng = new SeededRandom(seed);
        for (int i = 0; i < schedule.size(); i++) {
            double sigma = schedule.sigma(i);
            INDArray x = mixture.perturbed(sigma).sample(n, rng);
            INDArray learned = score.score(x, sigma).castTo(DataType.DOUBLE);
            INDArray exact = mixture.exactScore().score(x, sigma).castTo(DataType.DOUBLE);
            double err = Tensors.rowSquaredNorms(learned.sub(exact)).meanNumber().doubleValue();
            double ref = Tensors.rowSquaredNorms(exact).meanNumber().doubleValue();
            out.add(new FisherAtLevel(sigma, err, err / ref));
        }
        return out;
    }

    /**
     * Mean Euclidean distance from each point of {@code a} to its nearest point of {@code b}: with {@code b}
     * a dense draw of the data, how far samples lie from the data (its curve, for data on a manifold).
     */
    public static double nearestDistance(double[][] a, double[][] b) {
        double total = 0;
        for (double[] p : a) {
            double best = Double.POSITIVE_INFINITY;
            for (double[] q : b) {
                best = Math.min(best, squared(p, q));
            }
            total += Math.sqrt(best);
        }
        return total / a.length;
    }

    /**
     * The learned score's relative error against the exact score at every level, binned by the clean data
     * density: {@code high} where the density is at least the median of the data's own densities, {@code medium}
     * down to their 1% quantile, {@code low} below it (where fewer than 1% of data points lie). The points are
     * {@code n} uniform in the box [low, high]^d together with {@code n} data points, so every bin is populated.
     */
    public static List<DensityBinnedError> scoreErrorByDensity(ScoreFunction score, GaussianMixture mixture,
                                                               NoiseSchedule schedule, double low, double high,
                                                               int n, long seed) {
        SeededRandom rng = new SeededRandom(seed);
        int d = mixture.dimension();
        double[] dataDensity = new double[n];
        double[][] data = points(mixture.sample(n, rng));
        for (int i = 0; i < n; i++) {
            dataDensity[i] = mixture.logDensity(data[i], 0);
        }
        double[] q = dataDensity.clone();
        java.util.Arrays.sort(q);
        double median = q[n / 2];
        double rare = q[n / 100];
        double[][] uniform = points(rng.uniform(low, high, n, d));
        double[][] x = new double[2 * n][];
        for (int i = 0; i < n; i++) {
            x[i] = uniform[i];
            x[n + i] = data[i];
        }
        int[] bin = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            double logp = i < n ? mixture.logDensity(x[i], 0) : dataDensity[i - n];
            bin[i] = logp >= median ? 0 : logp >= rare ? 1 : 2;
        }
        INDArray points = org.nd4j.linalg.factory.Nd4j.createFromArray(x).castTo(DataType.FLOAT);
        List<DensityBinnedError> out = new ArrayList<>();
        for (int l = 0; l < schedule.size(); l++) {
            double sigma = schedule.sigma(l);
            double[][] learned = points(score.score(points, sigma).castTo(DataType.DOUBLE));
            double[][] exact = points(mixture.exactScore().score(points, sigma).castTo(DataType.DOUBLE));
            double[] err = new double[3];
            double[] ref = new double[3];
            int[] count = new int[3];
            for (int i = 0; i < x.length; i++) {
                err[bin[i]] += squared(learned[i], exact[i]);
                ref[bin[i]] += squared(exact[i], new double[d]);
                count[bin[i]]++;
            }
            out.add(new DensityBinnedError(sigma, err[0] / ref[0], err[1] / ref[1], err[2] / ref[2], count));
        }
        return out;
    }

    /**
     * The relative squared score error Σ‖s − s*‖² / Σ‖s*‖² at one level in each density bin.
     *
     * @param count the points in the high, medium and low bins
     */
    public record DensityBinnedError(double sigma, double high, double medium, double low, int[] count) {
    }

    /** The Fisher divergence at one level. */
    public record FisherAtLevel(double sigma, double fisher, double relative) {
    }

    private static double[] project(double[][] a, double[] v, double norm) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double s = 0;
            for (int j = 0; j < v.length; j++) {
                s += a[i][j] * v[j];
            }
            out[i] = s / norm;
        }
        return out;
    }

    private static double[] quantiles(double[] values, int n) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        if (sorted.length == n) {
            return sorted;
        }
        double[] q = new double[n];
        for (int i = 0; i < n; i++) {
            double pos = (i + 0.5) / n * sorted.length - 0.5;
            int lo = (int) Math.max(0, Math.floor(pos));
            int hi = Math.min(sorted.length - 1, lo + 1);
            double f = Math.max(0, pos - lo);
            q[i] = sorted[lo] * (1 - f) + sorted[hi] * f;
        }
        return q;
    }

    private static double mean(double[][] x, double[][] y, double g, boolean sameSet) {
        double s = 0;
        long count = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = sameSet ? i + 1 : 0; j < y.length; j++) {
                s += Math.exp(-g * squared(x[i], y[j]));
                count++;
            }
        }
        return count == 0 ? 0 : s / count;
    }

    private static double squared(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double t = a[i] - b[i];
            s += t * t;
        }
        return s;
    }

    private static double[][] head(double[][] a) {
        return a.length <= MMD_POINTS ? a : Arrays.copyOf(a, MMD_POINTS);
    }
}
