package org.score4j.api.ode;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.tensors.Tensors;

/**
 * The adaptive Runge–Kutta 5(4) method of Dormand and Prince ("DOPRI5") for dy/dt = f(t, y), from t = a to t = b;
 * b &lt; a integrates backwards in time (samplers go from the largest noise level down).
 *
 * <p><b>Tableau.</b> J. R. Dormand and P. J. Prince, "A family of embedded Runge–Kutta formulae", J. Comput. Appl.
 * Math. 6 (1980) 19–26, as printed in Hairer, Nørsett and Wanner, <i>Solving Ordinary Differential Equations I</i>,
 * 2nd ed., Table II.5.2: seven stages, the fifth-order solution propagated (local extrapolation), the embedded
 * fourth-order one used for the error estimate, and the last stage evaluated at the new solution so that it is the
 * next step's first ("first same as last"): six evaluations per step.
 *
 * <p><b>Error control</b> (as SciPy's {@code solve_ivp(method="RK45")}): the error estimate e of a step from y to
 * y' is scaled elementwise by atol + rtol·max(|y|, |y'|) and measured by the root mean square over <em>the whole
 * state</em>, every row of a batch together; a step is accepted when that norm is below 1. One step size serves the
 * whole batch, so a row's path depends (within the tolerances) on the rows it is integrated with. The next step is
 * h·min(10, 0.9·err^(−1/5)) after an accepted step (no growth right after a rejection) and h·max(0.2, 0.9·err^(−1/5))
 * after a rejected one; a step whose error is not finite is rejected and shrunk five-fold.
 *
 * <p><b>First step</b> from the algorithm of Hairer, Nørsett and Wanner (Section II.4, as in SciPy's
 * {@code select_initial_step}), which costs one evaluation.
 *
 * <p><b>Cost and the cap.</b> An integration makes 2 + 6·(accepted + rejected) evaluations, plus one for each
 * time an observer changes the state before the end. It never makes more than {@code maxEvaluations}: when the next
 * step would go beyond the cap it stops and reports {@link OdeResult.Outcome#EVALUATION_CAP}; it also stops, with
 * {@link OdeResult.Outcome#STEP_TOO_SMALL}, when the step needed falls below ten units in the last place of t. It
 * therefore always ends.
 *
 * <p>Arithmetic is in double precision whatever the state's type; the derivative sees the state in its own type.
 * Immutable and thread-safe.
 */
public final class DormandPrince {
    private static final double[] C = {0, 1 / 5d, 3 / 10d, 4 / 5d, 8 / 9d, 1, 1};
    private static final double[][] A = {
            {},
            {1 / 5d},
            {3 / 40d, 9 / 40d},
            {44 / 45d, -56 / 15d, 32 / 9d},
            {19372 / 6561d, -25360 / 2187d, 64448 / 6561d, -212 / 729d},
            {9017 / 3168d, -355 / 33d, 46732 / 5247d, 49 / 176d, -5103 / 18656d},
            // The fifth-order weights b; stage 7 is evaluated at the solution they give.
            {35 / 384d, 0, 500 / 1113d, 125 / 192d, -2187 / 6784d, 11 / 84d}};
    /** b − b̂: fifth-order weights less the embedded fourth-order ones (b̂₇ = 1/40). */
    private static final double[] E = {71 / 57600d, 0, -71 / 16695d, 71 / 1920d, -17253 / 339200d, 22 / 525d,
            -1 / 40d};
    private static final double SAFETY = 0.9;
    private static final double MIN_FACTOR = 0.2;
    private static final double MAX_FACTOR = 10;
    /** −1/(q + 1) for the error estimator's order q = 4. */
    private static final double ERROR_EXPONENT = -1 / 5d;
    private static final int STAGES = 7;

    private final double rtol;
    private final double atol;
    private final long maxEvaluations;

    /**
     * @param rtol           relative tolerance, in [1e-13, 1)
     * @param atol           absolute tolerance ≥ 0, in the units of the state
     * @param maxEvaluations the most derivative evaluations one integration may make, ≥ 1
     */
    public DormandPrince(double rtol, double atol, long maxEvaluations) {
        if (!(rtol >= 1e-13 && rtol < 1)) {
            throw new IllegalArgumentException("rtol must be in [1e-13, 1), got " + rtol);
        }
        if (!(atol >= 0) || !Double.isFinite(atol)) {
            throw new IllegalArgumentException("atol must be finite and >= 0, got " + atol);
        }
        if (maxEvaluations < 1) {
            throw new IllegalArgumentException("max-evaluations must be >= 1, got " + maxEvaluations);
        }
        this.rtol = rtol;
        this.atol = atol;
        this.maxEvaluations = maxEvaluations;
    }

    /**
     * Integrates a batch held in an array.
     *
     * @param f        the derivative; it receives states with the type and shape of {@code y0}
     * @param from     the start a
     * @param to       the end b (may be below a)
     * @param y0       the state at a, FLOAT or DOUBLE, any shape; not modified
     * @param observer told of every accepted step ({@link StepObserver#none()} for none)
     * @return the state reached, in the type and shape of {@code y0}
     */
    public OdeResult<INDArray> integrate(Derivative<INDArray> f, double from, double to, INDArray y0,
                                         StepObserver<INDArray> observer) {
        Objects.requireNonNull(y0, "y0");
        Layout<INDArray> layout = Layout.of(y0);
        return run(layout, layout.values(y0), f, from, to, observer);
    }

    /**
     * Integrates a batch held as rows of doubles (every row the same length).
     *
     * @param y0 the state at a; not modified
     * @see #integrate(Derivative, double, double, INDArray, StepObserver)
     */
    public OdeResult<double[][]> integrateRows(Derivative<double[][]> f, double from, double to, double[][] y0,
                                               StepObserver<double[][]> observer) {
        Objects.requireNonNull(y0, "y0");
        Layout<double[][]> layout = Layout.of(y0);
        return run(layout, layout.values(y0), f, from, to, observer);
    }

    private <S> OdeResult<S> run(Layout<S> layout, double[] y0, Derivative<S> f, double from, double to,
                                 StepObserver<S> observer) {
        Objects.requireNonNull(f, "f");
        Objects.requireNonNull(observer, "observer");
        if (!Double.isFinite(from) || !Double.isFinite(to)) {
            throw new IllegalArgumentException("the interval must be finite, got [" + from + ", " + to + "]");
        }
        Run<S> r = new Run<>(layout, f);
        double t = from;
        double[] y = y0;
        if (from == to || y.length == 0) {
            return r.result(y, to, OdeResult.Outcome.FINISHED);
        }
        double direction = Math.signum(to - from);
        double[] f0 = r.evaluate(t, y);
        if (r.evaluations + 1 > maxEvaluations) {
            return r.result(y, t, OdeResult.Outcome.EVALUATION_CAP);
        }
        double hAbs = initialStep(r, t, y, f0, direction, Math.abs(to - from));
        double[][] k = new double[STAGES][];
        while (direction * (to - t) > 0) {
            double minStep = 10 * Math.abs(Math.nextAfter(t, direction * Double.POSITIVE_INFINITY) - t);
            hAbs = Math.max(hAbs, minStep);
            boolean rejectedBefore = false;
            double tNew;
            double[] yNew;
            while (true) {
                if (hAbs < minStep) {
                    return r.result(y, t, OdeResult.Outcome.STEP_TOO_SMALL);
                }
                if (r.evaluations + STAGES - 1 > maxEvaluations) {
                    return r.result(y, t, OdeResult.Outcome.EVALUATION_CAP);
                }
                tNew = t + direction * hAbs;
                if (direction * (tNew - to) > 0) {
                    tNew = to;
                }
                double h = tNew - t;
                hAbs = Math.abs(h);
                k[0] = f0;
                for (int s = 1; s < STAGES - 1; s++) {
                    k[s] = r.evaluate(t + C[s] * h, combine(y, h, A[s], k));
                }
                yNew = combine(y, h, A[STAGES - 1], k);
                k[STAGES - 1] = r.evaluate(tNew, yNew);
                double err = errorNorm(y, yNew, h, k);
                if (err < 1) {
                    double factor = err == 0 ? MAX_FACTOR : Math.min(MAX_FACTOR, SAFETY * Math.pow(err, ERROR_EXPONENT));
                    hAbs *= rejectedBefore ? Math.min(1, factor) : factor;
                    break;
                }
                hAbs *= Double.isNaN(err) ? MIN_FACTOR : Math.max(MIN_FACTOR, SAFETY * Math.pow(err, ERROR_EXPONENT));
                rejectedBefore = true;
                r.rejected++;
            }
            t = tNew;
            y = yNew;
            f0 = k[STAGES - 1];
            r.accepted++;
            if (observer != StepObserver.Nothing.INSTANCE) {
                S view = layout.build(y);
                observer.accepted(t, view, r.evaluations);
                double[] seen = layout.values(view);
                if (layout.changed(y, seen)) {
                    y = seen;
                    if (direction * (to - t) > 0) {
                        if (r.evaluations + 1 > maxEvaluations) {
                            return r.result(y, t, OdeResult.Outcome.EVALUATION_CAP);
                        }
                        f0 = r.evaluate(t, y);
                    }
                }
            }
        }
        return r.result(y, to, OdeResult.Outcome.FINISHED);
    }

    /** Hairer, Nørsett and Wanner's first step (one evaluation), never longer than the interval. */
    private double initialStep(Run<?> r, double t, double[] y, double[] f0, double direction, double interval) {
        int n = y.length;
        double[] scale = new double[n];
        for (int i = 0; i < n; i++) {
            scale[i] = atol + Math.abs(y[i]) * rtol;
        }
        double d0 = rms(y, scale);
        double d1 = rms(f0, scale);
        double h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1;
        h0 = Math.min(h0, interval);
        double[] y1 = new double[n];
        for (int i = 0; i < n; i++) {
            y1[i] = y[i] + h0 * direction * f0[i];
        }
        double[] f1 = r.evaluate(t + h0 * direction, y1);
        double[] diff = new double[n];
        for (int i = 0; i < n; i++) {
            diff[i] = f1[i] - f0[i];
        }
        double d2 = rms(diff, scale) / h0;
        double h1 = d1 <= 1e-15 && d2 <= 1e-15 ? Math.max(1e-6, h0 * 1e-3)
                : Math.pow(0.01 / Math.max(d1, d2), -ERROR_EXPONENT);
        double h = Math.min(Math.min(100 * h0, h1), interval);
        // A derivative that is not finite gives no useful estimate; the step control will shrink from here.
        return h > 0 && Double.isFinite(h) ? h : Math.min(1e-6, interval);
    }

    /** y + h·Σ_j w_j·k_j, a new array. */
    private static double[] combine(double[] y, double h, double[] w, double[][] k) {
        double[] out = y.clone();
        for (int j = 0; j < w.length; j++) {
            if (w[j] == 0) {
                continue;
            }
            double c = h * w[j];
            double[] kj = k[j];
            for (int i = 0; i < out.length; i++) {
                out[i] += c * kj[i];
            }
        }
        return out;
    }

    /** The RMS over the state of h·Σ E_j k_j / (atol + rtol·max(|y|, |y'|)). */
    private double errorNorm(double[] y, double[] yNew, double h, double[][] k) {
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            double e = 0;
            for (int j = 0; j < STAGES; j++) {
                e += E[j] * k[j][i];
            }
            double scale = atol + rtol * Math.max(Math.abs(y[i]), Math.abs(yNew[i]));
            double ratio = h * e / scale;
            sum += ratio * ratio;
        }
        return Math.sqrt(sum / y.length);
    }

    private static double rms(double[] v, double[] scale) {
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            double r = v[i] / scale[i];
            sum += r * r;
        }
        return Math.sqrt(sum / v.length);
    }

    @Override
    public String toString() {
        return "dopri5(rtol=" + rtol + ", atol=" + atol + ", max-evaluations=" + maxEvaluations + ")";
    }

    /** The counters of one integration. */
    private static final class Run<S> {
        final Layout<S> layout;
        final Derivative<S> f;
        long evaluations;
        int accepted;
        int rejected;

        Run(Layout<S> layout, Derivative<S> f) {
            this.layout = layout;
            this.f = f;
        }

        double[] evaluate(double t, double[] y) {
            evaluations++;
            S dy = Objects.requireNonNull(f.at(t, layout.build(y)), "the derivative returned null");
            double[] values = layout.values(dy);
            if (values.length != y.length) {
                throw new IllegalArgumentException("the derivative returned " + values.length
                        + " values for a state of " + y.length);
            }
            return values;
        }

        OdeResult<S> result(double[] y, double t, OdeResult.Outcome outcome) {
            return new OdeResult<>(layout.build(y), t, outcome, evaluations, accepted, rejected);
        }
    }

    /** How a state of type S maps to the flat doubles the method works on. */
    private interface Layout<S> {

        /** The values of {@code s} in order, a new array. */
        double[] values(S s);

        /** A new S holding {@code values}. */
        S build(double[] values);

        /** Whether {@code seen}, read back from a state built from {@code y}, differs from it. */
        boolean changed(double[] y, double[] seen);

        static Layout<INDArray> of(INDArray y0) {
            DataType type = y0.dataType();
            if (type != DataType.FLOAT && type != DataType.DOUBLE) {
                throw new IllegalArgumentException("ODE states must be FLOAT or DOUBLE, got " + type);
            }
            long[] shape = y0.shape();
            return new Layout<>() {
                @Override
                public double[] values(INDArray s) {
                    return Tensors.doubles(s);
                }

                @Override
                public INDArray build(double[] values) {
                    return Tensors.array(values, type, shape);
                }

                @Override
                public boolean changed(double[] y, double[] seen) {
                    for (int i = 0; i < y.length; i++) {
                        double stored = type == DataType.FLOAT ? (float) y[i] : y[i];
                        if (Double.compare(stored, seen[i]) != 0) {
                            return true;
                        }
                    }
                    return false;
                }
            };
        }

        static Layout<double[][]> of(double[][] y0) {
            int rows = y0.length;
            int width = rows == 0 ? 0 : y0[0].length;
            return new Layout<>() {
                @Override
                public double[] values(double[][] s) {
                    if (s.length != rows) {
                        throw new IllegalArgumentException("expected " + rows + " rows, got " + s.length);
                    }
                    double[] out = new double[rows * width];
                    for (int i = 0; i < rows; i++) {
                        if (s[i].length != width) {
                            throw new IllegalArgumentException("expected rows of " + width + " values, got "
                                    + s[i].length);
                        }
                        System.arraycopy(s[i], 0, out, i * width, width);
                    }
                    return out;
                }

                @Override
                public double[][] build(double[] values) {
                    double[][] out = new double[rows][width];
                    for (int i = 0; i < rows; i++) {
                        System.arraycopy(values, i * width, out[i], 0, width);
                    }
                    return out;
                }

                @Override
                public boolean changed(double[] y, double[] seen) {
                    return !Arrays.equals(y, seen);
                }
            };
        }
    }
}
