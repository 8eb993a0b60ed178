package org.score4j.core.evaluation;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.Dataset;
import org.score4j.api.FiniteDataset;
import org.score4j.api.QuantizedDataset;
import org.score4j.api.ScoreFunction;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.mixture.MixtureDataset;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.random.Seeds;
import org.score4j.core.RunProgress;
import org.score4j.core.config.EvalSettings;
import org.score4j.core.config.ResolvedRun;
import org.score4j.core.likelihood.BitsPerDim;
import org.score4j.core.likelihood.DivergenceEstimator;
import org.score4j.core.likelihood.ExactTrace;
import org.score4j.core.likelihood.Hutchinson;
import org.score4j.core.likelihood.LikelihoodResult;
import org.score4j.core.likelihood.LikelihoodSettings;
import org.score4j.core.likelihood.ProbabilityFlowLikelihood;

/**
 * A run's held-out negative log-likelihood, −log p_{σ_min}(x), by the probability-flow ODE from the schedule's smallest
 * level to its largest with the prior N(0, σ_max²I), as {@code metrics.json} reports it ({@code likelihood}) and
 * {@code score4j likelihood} computes it. Every figure comes with what it was computed on: the examples and where they
 * came from, the seed, the estimator, the tolerance, the evaluations; on Gaussian mixtures, the exact −log q_{σ_min}
 * of the same examples (what a perfect score gives) and −log p of the clean data (the data's entropy, estimated on
 * them); on dequantised 8-bit images, bits per dimension.
 */
public final class HeldOutLikelihood {
    private HeldOutLikelihood() {
    }

    /** The examples a likelihood is computed on, and where they came from. */
    public record Examples(INDArray values, String source) {
        public Examples {
            Objects.requireNonNull(values, "values");
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * {@code n} examples to score: the data set's held-out part if it has one, else fresh draws of a data set defined by
     * a distribution, else (a finite data set without a held-out part) its training examples, said so.
     */
    public static Examples examples(ResolvedRun run, int n) {
        long seed = Seeds.derive(run.seed(), "likelihood-examples");
        Dataset data = run.data();
        if (data.heldOut().isPresent()) {
            return from(data.heldOut().get(), n, seed, "the data set's held-out examples");
        }
        if (data instanceof FiniteDataset) {
            return from(data, n, seed, "the training examples (the data set has no held-out part)");
        }
        return new Examples(data.sample(n, new SeededRandom(seed)), n + " fresh draws from the data's distribution (a "
                + "stream training never uses)");
    }

    /**
     * Up to {@code n} of a finite set's rows, each once and as stored; draws (with replacement) where the stored rows are
     * not what the model saw (dequantised images) or the set is not finite.
     */
    private static Examples from(Dataset data, int n, long seed, String what) {
        boolean stored = !(data instanceof QuantizedDataset q && q.dequantized());
        if (data instanceof FiniteDataset f && stored) {
            int m = Math.min(n, f.size());
            return new Examples(f.examples(0, m), (m == f.size() ? "all " + m : "the first " + m + " of " + f.size())
                    + " of " + what);
        }
        return new Examples(data.sample(n, new SeededRandom(seed)), n + " draws (with replacement, dequantised afresh) "
                + "from " + what);
    }

    /** Why this run gets no likelihood, or null if it can. */
    public static String refusal(ResolvedRun run) {
        if (run.schedule().largest() <= run.schedule().smallest()) {
            return "the schedule has one level (σ = " + run.schedule().smallest() + "): the probability-flow ODE needs "
                    + "σ_max > σ_min";
        }
        return null;
    }

    /** A likelihood: the {@code likelihood} section of {@code metrics.json} and the per-example values behind it. */
    public record Report(Map<String, Object> metrics, LikelihoodResult result) {
    }

    /** The {@code likelihood} section of {@code metrics.json} for {@code examples} under the run's settings. */
    public static Report measure(ResolvedRun run, ScoreFunction score, Examples examples, RunProgress progress) {
        EvalSettings.Likelihood l = run.eval().likelihood();
        long[] shape = run.data().exampleShape();
        long d = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double sigmaMin = run.schedule().smallest();
        double sigmaMax = run.schedule().largest();
        DivergenceEstimator estimator = switch (l.divergence()) {
            case "exact" -> new ExactTrace();
            case "hutchinson" -> new Hutchinson(l.probes());
            default -> d <= ExactTrace.MAX_DIMENSION ? new ExactTrace() : new Hutchinson(l.probes());
        };
        long seed = Seeds.derive(run.seed(), "likelihood");
        LikelihoodSettings settings = LikelihoodSettings.of(sigmaMin, sigmaMax).withDivergence(estimator)
                .withTolerances(l.tolerance(), l.tolerance()).withMaxEvaluations(l.maxEvaluations())
                .withScoreType(DataType.FLOAT).withSeed(seed)
                .withTimeBudget(l.timeBudget() > 0 ? Duration.ofMillis(Math.round(l.timeBudget() * 1000)) : null);
        LikelihoodResult r = new ProbabilityFlowLikelihood(settings).evaluate(score, examples.values(),
                progress.listener("likelihood"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nll_nats", Evaluation.round(r.mean()));
        m.put("nll_standard_error", Evaluation.round(r.standardError()));
        m.put("of", "−log p(x) per example, in nats, of the model's density of data perturbed at σ_min = "
                + Evaluation.round(sigmaMin) + ", by the probability-flow ODE to σ_max = " + Evaluation.round(sigmaMax)
                + " and the prior N(0, σ_max²I)");
        if (run.data() instanceof MixtureDataset known) {
            GaussianMixture g = known.mixture();
            INDArray x = examples.values().reshape(examples.values().size(0), d);
            m.put("exact_nll_nats", Evaluation.round(mean(g.logDensity(x, sigmaMin), r.nats())));
            m.put("data_entropy_nats", Evaluation.round(mean(g.logDensity(x, 0), r.nats())));
            m.put("exact_meaning", "exact_nll_nats: −log q_σmin(x) of the same examples under the true perturbed "
                    + "density (what a perfect score gives); data_entropy_nats: −log p(x) under the clean data "
                    + "density (its entropy, estimated on them)");
        }
        if (shape.length == 3) {
            if (run.data() instanceof QuantizedDataset q && q.dequantized() && q.levels() == BitsPerDim.LEVELS) {
                m.put("bits_per_dim", Evaluation.round(r.meanBitsPerDim(d)));
                m.put("bits_per_dim_standard_error", Evaluation.round(r.standardErrorBitsPerDim(d)));
                m.put("dequantization", "uniform: x = (p + u)/256, u ~ U[0, 1) per pixel, one draw per example; "
                        + "bits/dim = (NLL + D·ln 256)/(D·ln 2), D = " + d);
            } else {
                m.put("bits_per_dim", "not reported: the images are not uniformly dequantised 8-bit values (set "
                        + "data.dequantize = true), so they have no density to measure in bits");
            }
        }
        m.put("examples", (int) examples.values().size(0));
        m.put("finished_examples", r.finishedExamples());
        m.put("source", examples.source());
        m.put("seed", run.seed());
        m.put("divergence", estimator.toString());
        m.put("tolerance", l.tolerance());
        m.put("evaluations", r.evaluations());
        m.put("score_rows", r.scoreRows());
        m.put("seconds", Evaluation.round(r.seconds()));
        m.put("finished", r.finished());
        if (!r.finished()) {
            m.put("unfinished", r.summary());
        }
        return new Report(m, r);
    }

    /** −mean of {@code logs} over the examples whose likelihood finished (so the two figures compare like with like). */
    private static double mean(double[] logs, double[] nats) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < logs.length; i++) {
            if (Double.isFinite(nats[i])) {
                sum -= logs[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
