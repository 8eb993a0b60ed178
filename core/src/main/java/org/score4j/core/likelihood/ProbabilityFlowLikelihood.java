package org.score4j.core.likelihood;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.ProgressListener;
import org.score4j.api.ScoreFunction;
import org.score4j.api.ode.Derivative;
import org.score4j.api.ode.DormandPrince;
import org.score4j.api.ode.OdeResult;
import org.score4j.api.random.ChainRandom;
import org.score4j.api.random.Seeds;
import org.score4j.api.tensors.Tensors;

/**
 * Exact log-likelihoods of a score model by the probability-flow ODE of the variance-exploding SDE and the
 * instantaneous change of variables (Chen et al. 2018; Song et al. 2021, Appendix D.2; DESIGN §8).
 *
 * <p><b>The mathematics.</b> The probability flow dx/dσ = f(x, σ) = −σ·s(x, σ) carries q_{σ_min} to q_{σ_max}; along a
 * path, d log q_σ(x(σ))/dσ = −∇·f. Integrating each example x from σ_min to σ_max together with that divergence:
 * <pre>log p_{σ_min}(x) = log p_{σ_max}(x(σ_max)) + ∫_{σ_min}^{σ_max} ∇·f(x(σ), σ) dσ,   ∇·f = −σ·tr ∂s/∂x</pre>
 * A data score mostly points inwards (tr ∂s/∂x &lt; 0), so the integral is positive: the density at σ_min is higher
 * than at σ_max by how much the flow spreads the data. On N(0, v·I) data (s = −x/(v + σ²)) the integral is
 * (D/2)·ln((v + σ_max²)/(v + σ_min²)) and the whole is log N(x; 0, (v + σ_min²)I) exactly; the tests check this and
 * the sign. The first term is the prior's ({@link PriorDensity}; by default N(0, σ_max²·I)), which makes the result a
 * model likelihood of p_{σ_min}: data perturbed at σ_min, not the clean data.
 *
 * <p><b>The integration.</b> The state of a batch is [x, ℓ] per example ({@code [N, D + 1]}, in double precision), with
 * ℓ the running integral. It is integrated in t = ln σ, where the drift varies on the same scale at every level:
 * dx/dt = −σ²·s(x, σ) and dℓ/dt = −σ²·tr ∂s/∂x, from ln σ_min to ln σ_max, by the adaptive Dormand–Prince method
 * ({@link DormandPrince}; rtol and atol on the whole state, one step size for the batch). Each evaluation of the
 * right-hand side obtains the score and the divergence from the {@link DivergenceEstimator} in batched score calls.
 *
 * <p><b>Bounded work.</b> A batch stops at the evaluation cap, or when the time budget is spent (checked before
 * every evaluation), and is reported so, with its examples' values NaN; batches after the budget ran out are not
 * run. Nothing waits: an evaluation ends in at most the cap's evaluations per batch.
 *
 * <p><b>Progress</b> is reported to the listener after every accepted step, in units of 1/1000 of a batch's ln σ
 * range: {@code total} = 1000 × batches.
 */
public final class ProbabilityFlowLikelihood {
    /** Progress units per batch. */
    public static final long UNITS_PER_BATCH = 1000;
    private final LikelihoodSettings settings;

    public ProbabilityFlowLikelihood(LikelihoodSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public LikelihoodSettings settings() {
        return settings;
    }

    /**
     * −log p_{σ_min}(x) of every example.
     *
     * @param score    the score s(x, σ); asked at σ in [σ_min, σ_max] only, with batches of (rows per example, see
     *                 {@link DivergenceEstimator#rowsPerExample}) × batch-size rows
     * @param data     examples {@code [N, shape...]}, N ≥ 1, finite, any floating-point type; not modified
     * @param progress told of the progress (see the class comment)
     * @throws IllegalArgumentException if the data are empty or not finite, or the estimator cannot serve their
     *                                  dimension
     */
    public LikelihoodResult evaluate(ScoreFunction score, INDArray data, ProgressListener progress) {
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(progress, "progress");
        long started = System.nanoTime();
        // A budget beyond a century is no budget (and would overflow the nanosecond clock).
        long deadline = settings.timeBudget() == null || settings.timeBudget().toDays() > 36_500 ? Long.MAX_VALUE
                : started + settings.timeBudget().toNanos();
        if (data.rank() < 2 || data.size(0) < 1) {
            throw new IllegalArgumentException("need examples of shape [N, ...] with N >= 1, got "
                    + Arrays.toString(data.shape()));
        }
        int n = Math.toIntExact(data.size(0));
        long[] exampleShape = Arrays.copyOfRange(data.shape(), 1, data.rank());
        double[] x = Tensors.doubles(data);
        for (double v : x) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("the examples hold a value that is not finite");
            }
        }
        ScoreRows rows = new ScoreRows(score, exampleShape, settings.scoreType());
        int d = rows.dimension();
        String refusal = settings.divergence().refusal(d);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
        double[] nats = new double[n];
        double[] logPrior = new double[n];
        double[] integral = new double[n];
        Arrays.fill(nats, Double.NaN);
        Arrays.fill(logPrior, Double.NaN);
        Arrays.fill(integral, Double.NaN);
        int size = settings.batchSize();
        int batches = (n + size - 1) / size;
        long total = batches * UNITS_PER_BATCH;
        List<LikelihoodResult.Batch> outcomes = new ArrayList<>();
        long evaluations = 0;
        for (int b = 0; b < batches; b++) {
            int first = b * size;
            int m = Math.min(size, n - first);
            if (System.nanoTime() > deadline) {
                outcomes.add(new LikelihoodResult.Batch(first, m, LikelihoodResult.Outcome.NOT_RUN, 0,
                        settings.sigmaMin()));
                continue;
            }
            double[] batchX = Arrays.copyOfRange(x, first * d, (first + m) * d);
            LikelihoodResult.Batch outcome = batch(rows, batchX, first, m, d, deadline, b, total, progress,
                    nats, logPrior, integral);
            evaluations += outcome.evaluations();
            outcomes.add(outcome);
            progress.progress((b + 1) * UNITS_PER_BATCH, total);
        }
        return LikelihoodResult.of(nats, logPrior, integral, evaluations, rows.rows(), outcomes,
                (System.nanoTime() - started) / 1e9);
    }

    /** Integrates one batch and writes its examples' values into the arrays. */
    private LikelihoodResult.Batch batch(ScoreRows rows, double[] x, int first, int m, int d, long deadline, int index,
                                         long total, ProgressListener progress, double[] nats, double[] logPrior,
                                         double[] integral) {
        int width = d + 1;
        double[] z0 = new double[m * width];
        for (int i = 0; i < m; i++) {
            System.arraycopy(x, i * d, z0, i * width, d);
        }
        ChainRandom probes = new ChainRandom(Seeds.derive(settings.seed(), "likelihood-probes"), first, m);
        DivergenceEstimator.Batch estimator = settings.divergence().forBatch(rows, m, probes);
        long[] evaluations = {0};
        double from = Math.log(settings.sigmaMin());
        double to = Math.log(settings.sigmaMax());
        double[] reached = {from};
        Derivative<INDArray> flow = (t, z) -> {
            if (System.nanoTime() > deadline) {
                throw new OutOfTime();
            }
            evaluations[0]++;
            double sigma = Math.exp(t);
            double[] state = Tensors.doubles(z);
            double[] points = new double[m * d];
            for (int i = 0; i < m; i++) {
                System.arraycopy(state, i * width, points, i * d, d);
            }
            DivergenceEstimator.ScoreAndTrace st = estimator.at(points, sigma);
            double scale = -sigma * sigma;
            double[] out = new double[m * width];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < d; j++) {
                    out[i * width + j] = scale * st.score()[i * d + j];
                }
                out[i * width + d] = scale * st.trace()[i];
            }
            return Tensors.array(out, DataType.DOUBLE, m, width);
        };
        long base = index * UNITS_PER_BATCH;
        DormandPrince integrator = new DormandPrince(settings.rtol(), settings.atol(), settings.maxEvaluations());
        OdeResult<INDArray> r;
        try {
            r = integrator.integrate(flow, from, to, Tensors.array(z0, DataType.DOUBLE, m, width), (t, z, count) -> {
                reached[0] = t;
                progress.progress(base + Math.min(UNITS_PER_BATCH - 1,
                        (long) (UNITS_PER_BATCH * (t - from) / (to - from))), total);
            });
        } catch (OutOfTime e) {
            return new LikelihoodResult.Batch(first, m, LikelihoodResult.Outcome.TIME_BUDGET, evaluations[0],
                    Math.exp(reached[0]));
        }
        if (!r.finished()) {
            return new LikelihoodResult.Batch(first, m, r.outcome() == OdeResult.Outcome.EVALUATION_CAP
                    ? LikelihoodResult.Outcome.EVALUATION_CAP : LikelihoodResult.Outcome.STEP_TOO_SMALL,
                    r.evaluations(), Math.exp(r.t()));
        }
        double[] end = Tensors.doubles(r.state());
        double[] y = new double[m * d];
        for (int i = 0; i < m; i++) {
            System.arraycopy(end, i * width, y, i * d, d);
        }
        double[] prior = settings.prior().logDensity(Tensors.array(y, DataType.DOUBLE, m, d));
        if (prior.length != m) {
            throw new IllegalStateException("the prior density returned " + prior.length + " values for " + m
                    + " end points");
        }
        for (int i = 0; i < m; i++) {
            double l = end[i * width + d];
            logPrior[first + i] = prior[i];
            integral[first + i] = l;
            nats[first + i] = -(prior[i] + l);
        }
        return new LikelihoodResult.Batch(first, m, LikelihoodResult.Outcome.FINISHED, r.evaluations(),
                settings.sigmaMax());
    }

    /** Thrown from the right-hand side to abandon a batch when the time budget is spent. */
    private static final class OutOfTime extends RuntimeException {
        OutOfTime() {
            super("the time budget is spent", null, false, false);
        }
    }
}
