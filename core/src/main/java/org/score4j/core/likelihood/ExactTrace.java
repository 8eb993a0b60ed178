package org.score4j.core.likelihood;

import org.score4j.api.random.RandomSource;

/**
 * The trace of the score's Jacobian by central differences along every axis:
 * tr ∂s/∂x ≈ Σ_j [s_j(x + h·e_j) − s_j(x − h·e_j)] / (2h), with h = {@code relative-step}·σ. The score varies on a
 * scale of at least σ near data at level σ, so a step relative to σ keeps the truncation error (of order (h/σ)²
 * relative) alike at every level. One evaluation is one batched score call of (2D + 1)·N rows: the N points
 * themselves (the drift) and their 2D shifted copies. Exact up to that truncation and round-off, and costly in D:
 * refused above {@value #MAX_DIMENSION} values per example, where {@link Hutchinson} serves.
 *
 * <p>The difference divides by the step the score actually sees: x ± h rounded to the score's data type (for a FLOAT
 * score the rounding of x + h is a sizeable part of h when |x| ≫ h).
 */
public final class ExactTrace extends DivergenceEstimator {
    /** The largest number of values per example served: 2·64 + 1 score rows per example and evaluation. */
    public static final int MAX_DIMENSION = 64;
    /** The default relative step h/σ. */
    public static final double DEFAULT_RELATIVE_STEP = 1e-3;
    private final double relativeStep;

    /** @param relativeStep h/σ, in (0, 0.5] */
    public ExactTrace(double relativeStep) {
        if (!(relativeStep > 0 && relativeStep <= 0.5)) {
            throw new IllegalArgumentException("the relative step must be in (0, 0.5], got " + relativeStep);
        }
        this.relativeStep = relativeStep;
    }

    /** h = 10⁻³·σ. */
    public ExactTrace() {
        this(DEFAULT_RELATIVE_STEP);
    }

    @Override
    Batch forBatch(ScoreRows score, int n, RandomSource probes) {
        int d = score.dimension();
        int blocks = 2 * d + 1;
        return (x, sigma) -> {
            double h = relativeStep * sigma;
            double[] rows = new double[blocks * n * d];
            double[] step = new double[n * d];
            System.arraycopy(x, 0, rows, 0, n * d);
            for (int j = 0; j < d; j++) {
                int plus = (1 + 2 * j) * n * d;
                int minus = (2 + 2 * j) * n * d;
                System.arraycopy(x, 0, rows, plus, n * d);
                System.arraycopy(x, 0, rows, minus, n * d);
                for (int i = 0; i < n; i++) {
                    int at = i * d + j;
                    double up = score.representable(x[at] + h);
                    double down = score.representable(x[at] - h);
                    rows[plus + at] = up;
                    rows[minus + at] = down;
                    step[at] = up - down;
                }
            }
            double[] s = score.score(rows, blocks * n, sigma);
            double[] trace = new double[n];
            for (int j = 0; j < d; j++) {
                int plus = (1 + 2 * j) * n * d;
                int minus = (2 + 2 * j) * n * d;
                for (int i = 0; i < n; i++) {
                    int at = i * d + j;
                    trace[i] += (s[plus + at] - s[minus + at]) / step[at];
                }
            }
            double[] own = new double[n * d];
            System.arraycopy(s, 0, own, 0, n * d);
            return new ScoreAndTrace(own, trace);
        };
    }

    @Override
    public int rowsPerExample(int dimension, boolean inputGradient) {
        return 2 * dimension + 1;
    }

    @Override
    String refusal(int dimension) {
        return dimension > MAX_DIMENSION ? "the exact trace needs 2·D + 1 = " + (2L * dimension + 1) + " score rows per "
                + "example and evaluation for D = " + dimension + " values per example; it serves D ≤ " + MAX_DIMENSION
                + ": use Hutchinson's estimator" : null;
    }

    @Override
    public String toString() {
        return "exact trace (central differences, h = " + relativeStep + "·σ)";
    }
}
