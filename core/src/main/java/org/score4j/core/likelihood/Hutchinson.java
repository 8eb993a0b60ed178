package org.score4j.core.likelihood;

import java.util.Locale;
import java.util.Objects;
import org.score4j.api.InputGradient;
import org.score4j.api.random.RandomSource;
import org.score4j.api.tensors.Tensors;

/**
 * Hutchinson's estimator of the trace of the score's Jacobian J: tr J ≈ (1/K)·Σ_k v_kᵀ·J·v_k with K probes v_k of
 * zero mean and identity covariance (Rademacher ±1 or standard Gaussian), drawn once per example for its whole path.
 * Unbiased for any dimension; its variance (Rademacher: 2·Σ_{i≠j} J_ij² / K for a symmetric J) shows in the result's
 * standard error. The product vᵀJv is obtained in one of two ways:
 * <ul>
 *   <li>{@link Product#FINITE_DIFFERENCE}: vᵀ[s(x + εv) − s(x − εv)]/(2ε) with ε = h/‖v‖, h = {@code relative-step}·σ
 *       (the shift has length h whatever the dimension); one batched score call of (2K + 1)·N rows per evaluation,
 *       the N points themselves included. Works with any score; compute in DOUBLE (a FLOAT score's rounding of x ± εv
 *       is not along v).</li>
 *   <li>{@link Product#INPUT_GRADIENT}: (vᵀJ)·v from the score's input vector–Jacobian product
 *       ({@link InputGradient}, with g = v): a score call of N rows and an input gradient of K·N rows.</li>
 * </ul>
 * {@link Product#AUTO} takes the input gradient where the score has one, finite differences otherwise.
 */
public final class Hutchinson extends DivergenceEstimator {
    /** The distribution of the probes. */
    public enum Probe {
        /** ±1 with probability ½: the smaller variance. */
        RADEMACHER,
        /** Standard normal. */
        GAUSSIAN
    }

    /** How vᵀJv is computed. */
    public enum Product {
        /** The score's input gradient when it has one, else finite differences. */
        AUTO,
        /** Central differences of the score along v. */
        FINITE_DIFFERENCE,
        /** The score's input vector–Jacobian product; the score must be an {@link InputGradient}. */
        INPUT_GRADIENT
    }

    private final int probes;
    private final Probe probe;
    private final Product product;
    private final double relativeStep;

    /**
     * @param probes       K ≥ 1 probes per example
     * @param probe        their distribution
     * @param product      how vᵀJv is computed
     * @param relativeStep h/σ for finite differences, in (0, 0.5]
     */
    public Hutchinson(int probes, Probe probe, Product product, double relativeStep) {
        if (probes < 1) {
            throw new IllegalArgumentException("need at least one probe, got " + probes);
        }
        if (!(relativeStep > 0 && relativeStep <= 0.5)) {
            throw new IllegalArgumentException("the relative step must be in (0, 0.5], got " + relativeStep);
        }
        this.probes = probes;
        this.probe = Objects.requireNonNull(probe, "probe");
        this.product = Objects.requireNonNull(product, "product");
        this.relativeStep = relativeStep;
    }

    /** K Rademacher probes, the product chosen by {@link Product#AUTO}, h = 10⁻³·σ. */
    public Hutchinson(int probes) {
        this(probes, Probe.RADEMACHER, Product.AUTO, ExactTrace.DEFAULT_RELATIVE_STEP);
    }

    public int probes() {
        return probes;
    }

    @Override
    Batch forBatch(ScoreRows score, int n, RandomSource random) {
        int d = score.dimension();
        double[] v = Tensors.doubles(probe == Probe.RADEMACHER ? random.rademacher(n, (long) probes * d)
                : random.normal(n, (long) probes * d));
        boolean gradient = product == Product.INPUT_GRADIENT || (product == Product.AUTO && score.hasInputGradient());
        if (gradient && !score.hasInputGradient()) {
            throw new IllegalArgumentException("Hutchinson's estimator with the input gradient needs a score that "
                    + "implements InputGradient");
        }
        // v holds example i's probe k at (i·K + k)·D.
        return gradient ? (x, sigma) -> byInputGradient(score, n, d, v, x, sigma)
                : (x, sigma) -> byDifferences(score, n, d, v, x, sigma);
    }

    private ScoreAndTrace byDifferences(ScoreRows score, int n, int d, double[] v, double[] x, double sigma) {
        double h = relativeStep * sigma;
        int blocks = 2 * probes + 1;
        double[] rows = new double[blocks * n * d];
        double[] eps = new double[n * probes];
        System.arraycopy(x, 0, rows, 0, n * d);
        for (int k = 0; k < probes; k++) {
            int plus = (1 + 2 * k) * n * d;
            int minus = (2 + 2 * k) * n * d;
            for (int i = 0; i < n; i++) {
                int probeAt = (i * probes + k) * d;
                double norm = 0;
                for (int j = 0; j < d; j++) {
                    norm += v[probeAt + j] * v[probeAt + j];
                }
                double e = norm > 0 ? h / Math.sqrt(norm) : h;
                eps[i * probes + k] = e;
                for (int j = 0; j < d; j++) {
                    rows[plus + i * d + j] = x[i * d + j] + e * v[probeAt + j];
                    rows[minus + i * d + j] = x[i * d + j] - e * v[probeAt + j];
                }
            }
        }
        double[] s = score.score(rows, blocks * n, sigma);
        double[] trace = new double[n];
        for (int k = 0; k < probes; k++) {
            int plus = (1 + 2 * k) * n * d;
            int minus = (2 + 2 * k) * n * d;
            for (int i = 0; i < n; i++) {
                int probeAt = (i * probes + k) * d;
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += v[probeAt + j] * (s[plus + i * d + j] - s[minus + i * d + j]);
                }
                trace[i] += dot / (2 * eps[i * probes + k]) / probes;
            }
        }
        double[] own = new double[n * d];
        System.arraycopy(s, 0, own, 0, n * d);
        return new ScoreAndTrace(own, trace);
    }

    private ScoreAndTrace byInputGradient(ScoreRows score, int n, int d, double[] v, double[] x, double sigma) {
        double[] own = score.score(x, n, sigma);
        double[] tiled = new double[probes * n * d];
        double[] g = new double[probes * n * d];
        for (int k = 0; k < probes; k++) {
            System.arraycopy(x, 0, tiled, k * n * d, n * d);
            for (int i = 0; i < n; i++) {
                System.arraycopy(v, (i * probes + k) * d, g, (k * n + i) * d, d);
            }
        }
        double[] gj = score.inputGradient(tiled, probes * n, sigma, g);
        double[] trace = new double[n];
        for (int k = 0; k < probes; k++) {
            for (int i = 0; i < n; i++) {
                int at = (k * n + i) * d;
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += gj[at + j] * g[at + j];
                }
                trace[i] += dot / probes;
            }
        }
        return new ScoreAndTrace(own, trace);
    }

    @Override
    public int rowsPerExample(int dimension, boolean inputGradient) {
        boolean gradient = product == Product.INPUT_GRADIENT || (product == Product.AUTO && inputGradient);
        return gradient ? 1 + probes : 1 + 2 * probes;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Hutchinson (%d %s probe%s, %s)", probes,
                probe.name().toLowerCase(Locale.ROOT), probes == 1 ? "" : "s", switch (product) {
                    case AUTO -> "input gradient where the score has one, else central differences, h = "
                            + relativeStep + "·σ";
                    case FINITE_DIFFERENCE -> "central differences, h = " + relativeStep + "·σ";
                    case INPUT_GRADIENT -> "input gradient";
                });
    }
}
