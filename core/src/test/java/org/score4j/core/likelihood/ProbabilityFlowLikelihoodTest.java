package org.score4j.core.likelihood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.ProgressListener;
import org.score4j.api.ScoreFunction;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.tensors.Tensors;
import org.score4j.core.oracle.OracleMixtures;

/**
 * Oracle tests: with the exact score of a Gaussian mixture the probability-flow likelihood must equal the closed-form
 * log q_{σ_min}(x); with a score that is wrong by a known amount it must move by the closed-form amount.
 */
class ProbabilityFlowLikelihoodTest {
    private static final double SIGMA_MIN = 0.01;
    private static final double SIGMA_MAX = 100;

    /** The per-point errors log p̂ − log q_{σ_min}, summarised. */
    record Errors(double mean, double meanAbsolute, double largest, double sd) {
        double standardError(int n) {
            return sd / Math.sqrt(n);
        }

        static Errors of(LikelihoodResult r, double[] truth) {
            int n = truth.length;
            double sum = 0;
            double abs = 0;
            double max = 0;
            for (int i = 0; i < n; i++) {
                double e = -r.nats()[i] - truth[i];
                sum += e;
                abs += Math.abs(e);
                max = Math.max(max, Math.abs(e));
            }
            double mean = sum / n;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                double e = -r.nats()[i] - truth[i] - mean;
                sq += e * e;
            }
            return new Errors(mean, abs / n, max, Math.sqrt(sq / (n - 1)));
        }
    }

    private static LikelihoodSettings exactPrior(GaussianMixture g) {
        return LikelihoodSettings.of(SIGMA_MIN, SIGMA_MAX).withPrior(y -> g.logDensity(y, SIGMA_MAX));
    }

    private static Errors check(String what, GaussianMixture g, LikelihoodSettings settings, ScoreFunction score,
                                int n) {
        INDArray x = g.sample(n, new SeededRandom(5));
        LikelihoodResult r = new ProbabilityFlowLikelihood(settings).evaluate(score, x, ProgressListener.NONE);
        assertThat(r.finished()).as(r.summary()).isTrue();
        Errors e = Errors.of(r, g.logDensity(x, SIGMA_MIN));
        System.out.printf(Locale.ROOT, "%s, %d held-out points, %s: error of log p mean %+.5f (standard error %.5f), "
                        + "mean |error| %.5f, largest %.5f, sd %.5f; %d evaluations, %d score rows, %.2f s%n", what, n,
                settings.divergence(), e.mean(), e.standardError(n), e.meanAbsolute(), e.largest(), e.sd(),
                r.evaluations(), r.scoreRows(), r.seconds());
        return e;
    }

    @Test
    void exactTraceMatchesTheClosedFormOnTheNcsnMixture() {
        GaussianMixture g = OracleMixtures.ncsn2d();
        Errors e = check("2-D NCSN mixture, exact prior", g, exactPrior(g), g.exactScore(), 200);
        assertThat(e.meanAbsolute()).isLessThan(0.002);
        assertThat(e.largest()).isLessThan(0.01);
        // The default prior N(0, σ_max²·I) misses the data's mean (3, 3) and spread: per point by about yᵀμ/σ_max²
        // (±0.1), on average by KL(q_σmax ‖ N(0, σ_max²I)) ≈ 0.002.
        Errors prior = check("2-D NCSN mixture, prior N(0, 100²I)", g, LikelihoodSettings.of(SIGMA_MIN, SIGMA_MAX),
                g.exactScore(), 200);
        assertThat(prior.mean()).isCloseTo(0, within(0.01));
        assertThat(prior.largest()).isLessThan(0.25);
    }

    @Test
    void exactTraceMatchesTheClosedFormInSixteenDimensions() {
        GaussianMixture g = OracleMixtures.anisotropic16();
        Errors e = check("16-D anisotropic mixture, exact prior", g, exactPrior(g), g.exactScore(), 64);
        assertThat(e.meanAbsolute()).isLessThan(0.002);
        assertThat(e.largest()).isLessThan(0.01);
        Errors prior = check("16-D anisotropic mixture, prior N(0, 100²I)", g, LikelihoodSettings.of(SIGMA_MIN,
                SIGMA_MAX), g.exactScore(), 64);
        assertThat(prior.mean()).isCloseTo(0, within(0.01));
    }

    @Test
    void hutchinsonIsWithinItsMonteCarloError() {
        GaussianMixture plane = OracleMixtures.ncsn2d();
        GaussianMixture g16 = OracleMixtures.anisotropic16();
        record Case(String what, GaussianMixture g, DivergenceEstimator estimator, ScoreFunction score, int n) {
        }
        for (Case c : List.of(
                new Case("2-D, finite differences", plane, new Hutchinson(1), plane.exactScore(), 400),
                new Case("2-D, finite differences", plane, new Hutchinson(2, Hutchinson.Probe.GAUSSIAN,
                        Hutchinson.Product.FINITE_DIFFERENCE, 1e-3), plane.exactScore(), 400),
                new Case("16-D, finite differences", g16, new Hutchinson(2), g16.exactScore(), 128),
                new Case("16-D, input gradient", g16, new Hutchinson(4, Hutchinson.Probe.GAUSSIAN,
                        Hutchinson.Product.INPUT_GRADIENT, 1e-3), new MixtureJacobian(g16), 128))) {
            Errors e = check(c.what(), c.g(), exactPrior(c.g()).withDivergence(c.estimator()), c.score(), c.n());
            // Unbiased: the mean error within three of its standard errors, which are real (the probes' variance).
            assertThat(Math.abs(e.mean())).as(c.what() + " " + c.estimator()).isLessThan(3 * e.standardError(c.n()));
            assertThat(e.sd()).isPositive();
        }
    }

    @Test
    void theInputGradientGivesTheFiniteDifferenceProductWithTheSameProbes() {
        GaussianMixture g = OracleMixtures.anisotropic16();
        INDArray x = g.sample(32, new SeededRandom(9));
        MixtureJacobian score = new MixtureJacobian(g);
        LikelihoodSettings s = exactPrior(g);
        LikelihoodResult fd = new ProbabilityFlowLikelihood(s.withDivergence(new Hutchinson(2,
                Hutchinson.Probe.RADEMACHER, Hutchinson.Product.FINITE_DIFFERENCE, 1e-3))).evaluate(score, x,
                ProgressListener.NONE);
        LikelihoodResult vjp = new ProbabilityFlowLikelihood(s.withDivergence(new Hutchinson(2)))
                .evaluate(score, x, ProgressListener.NONE);
        for (int i = 0; i < 32; i++) {
            assertThat(vjp.nats()[i]).as("example %d", i).isCloseTo(fd.nats()[i], within(1e-4));
        }
        // Per evaluation: 1 + 2K rows by differences, 1 + K with the input gradient.
        assertThat((double) fd.scoreRows() / fd.evaluations()).isEqualTo(5.0 * 32);
        assertThat((double) vjp.scoreRows() / vjp.evaluations()).isEqualTo(3.0 * 32);
    }

    @Test
    void aScaledScoreMovesTheLikelihoodByTheClosedFormAmount() {
        // Data N(m, v·I) in 3-D and the score c·s with s exact: the flow is x(σ) = m + (x − m)·((v + σ²)/(v + σ_min²))^(c/2)
        // and ∇·f = c·D·σ/(v + σ²), so log p̂ = log N(x(σ_max); 0, σ_max²I) + (c·D/2)·ln((v + σ_max²)/(v + σ_min²)).
        // Getting the sign of the integral wrong moves c = 1 by 2·13.8 nats; dropping the σ in f, or a factor 2, as much.
        double[] m = {1, -2, 0.5};
        double v = 0.5;
        GaussianMixture g = GaussianMixture.isotropic(new double[] {1}, new double[][] {m}, new double[] {v});
        INDArray x = g.sample(50, new SeededRandom(3));
        double[] xs = Tensors.doubles(x);
        for (double c : new double[] {1, 0.5, 1.5}) {
            ScoreFunction scaled = (points, sigma) -> g.exactScore().score(points, sigma).muli(c);
            LikelihoodResult r = new ProbabilityFlowLikelihood(LikelihoodSettings.of(SIGMA_MIN, SIGMA_MAX))
                    .evaluate(scaled, x, ProgressListener.NONE);
            double ratio = (v + SIGMA_MAX * SIGMA_MAX) / (v + SIGMA_MIN * SIGMA_MIN);
            double integral = c * 3 / 2 * Math.log(ratio);
            double worst = 0;
            for (int i = 0; i < 50; i++) {
                double sq = 0;
                for (int j = 0; j < 3; j++) {
                    double y = m[j] + (xs[i * 3 + j] - m[j]) * Math.pow(ratio, c / 2);
                    sq += y * y;
                }
                double expected = -1.5 * Math.log(2 * Math.PI * SIGMA_MAX * SIGMA_MAX) - sq / (2 * SIGMA_MAX * SIGMA_MAX)
                        + integral;
                assertThat(r.divergenceIntegral()[i]).isCloseTo(integral, within(1e-3));
                // ×1.5 spreads the points to ±1000, where rtol = 1e-5 is the larger part of the error.
                assertThat(-r.nats()[i]).as("log p̂ of example %d with the score ×%s", i, c)
                        .isCloseTo(expected, within(2e-3 + 5e-5 * Math.abs(expected)));
                worst = Math.max(worst, Math.abs(-r.nats()[i] - expected));
            }
            System.out.printf(Locale.ROOT, "N(m, 0.5·I) in 3-D, score ×%.1f: mean NLL %.4f nats, integral %.4f, largest "
                    + "error against the closed form %.2e%n", c, r.mean(), integral, worst);
        }
    }

    @Test
    void aShiftedMixtureScoreMovesTheLikelihoodByTheClosedFormAmount() {
        // The exact score of the NCSN mixture with its small mode moved from (−5, −5) to (−3, −5): the model is that
        // mixture q', so log p̂ = log q'_σmin(x) and the NLL of data from q rises by mean log q − log q': about
        // 2²/2 = 2 nats for each point of the small mode, which is 2 further from its mean (a share of 0.14 of these
        // 300 points, so 0.21 nats in all, a hundred times the tolerance).
        GaussianMixture q = OracleMixtures.ncsn2d();
        GaussianMixture wrong = GaussianMixture.isotropic(q.weights(), new double[][] {{-3, -5}, {5, 5}},
                new double[] {1, 1});
        INDArray x = q.sample(300, new SeededRandom(11));
        LikelihoodResult right = new ProbabilityFlowLikelihood(exactPrior(q)).evaluate(q.exactScore(), x,
                ProgressListener.NONE);
        LikelihoodResult moved = new ProbabilityFlowLikelihood(exactPrior(wrong)).evaluate(wrong.exactScore(), x,
                ProgressListener.NONE);
        double[] lq = q.logDensity(x, SIGMA_MIN);
        double[] lw = wrong.logDensity(x, SIGMA_MIN);
        double expected = 0;
        for (int i = 0; i < lq.length; i++) {
            expected += (lq[i] - lw[i]) / lq.length;
        }
        double shift = moved.mean() - right.mean();
        System.out.printf(Locale.ROOT, "NCSN mixture, small mode moved by 2: NLL %.4f → %.4f nats, a shift of %.4f "
                + "against %.4f in closed form%n", right.mean(), moved.mean(), shift, expected);
        assertThat(expected).isGreaterThan(0.15);
        assertThat(shift).isCloseTo(expected, within(0.002));
        for (int i = 0; i < lq.length; i++) {
            assertThat(-moved.nats()[i]).isCloseTo(lw[i], within(0.01));
        }
    }

    @Test
    void exampleShapesAreKeptForTheScoreAndAnExampleDoesNotDependOnItsBatch() {
        // Examples of shape [1, 3, 3] (D = 9): the score sees that shape; data N(0.5, 0.1·I).
        double v = 0.1;
        List<long[]> shapes = new ArrayList<>();
        ScoreFunction gaussian = (x, sigma) -> {
            shapes.add(x.shape());
            return x.sub(0.5).divi(v + sigma.getDouble(0) * sigma.getDouble(0)).negi();
        };
        INDArray x = new SeededRandom(4).normal(12, 1, 3, 3).castTo(DataType.DOUBLE).muli(Math.sqrt(v)).addi(0.5);
        LikelihoodSettings s = LikelihoodSettings.of(SIGMA_MIN, SIGMA_MAX).withPrior(y -> {
            double[] out = new double[(int) y.size(0)];
            double[] ys = Tensors.doubles(y);
            for (int i = 0; i < out.length; i++) {
                double sq = 0;
                for (int j = 0; j < 9; j++) {
                    sq += Math.pow(ys[i * 9 + j] - 0.5, 2);
                }
                double var = v + SIGMA_MAX * SIGMA_MAX;
                out[i] = -4.5 * Math.log(2 * Math.PI * var) - sq / (2 * var);
            }
            return out;
        }).withDivergence(new Hutchinson(3));
        LikelihoodResult whole = new ProbabilityFlowLikelihood(s).evaluate(gaussian, x, ProgressListener.NONE);
        assertThat(shapes).allSatisfy(shape -> assertThat(shape).endsWith(1, 3, 3));
        LikelihoodResult split = new ProbabilityFlowLikelihood(s.withBatchSize(5)).evaluate(gaussian, x,
                ProgressListener.NONE);
        double[] xs = Tensors.doubles(x);
        for (int i = 0; i < 12; i++) {
            double sq = 0;
            for (int j = 0; j < 9; j++) {
                sq += Math.pow(xs[i * 9 + j] - 0.5, 2);
            }
            double var = v + SIGMA_MIN * SIGMA_MIN;
            double truth = -4.5 * Math.log(2 * Math.PI * var) - sq / (2 * var);
            // On a Gaussian the Jacobian is a multiple of I, so every Rademacher probe gives the exact trace.
            assertThat(-whole.nats()[i]).isCloseTo(truth, within(2e-3));
            // The probes are example i's own, so only the shared step size differs between batchings.
            assertThat(split.nats()[i]).isCloseTo(whole.nats()[i], within(2e-3));
        }
        assertThat(split.batches()).hasSize(3);
    }

    @Test
    void workIsBoundedByTheCapAndTheTimeBudgetAndReported() {
        GaussianMixture g = OracleMixtures.ncsn2d();
        INDArray x = g.sample(10, new SeededRandom(1));
        LikelihoodResult capped = new ProbabilityFlowLikelihood(LikelihoodSettings.of(SIGMA_MIN, SIGMA_MAX)
                .withMaxEvaluations(20).withBatchSize(4)).evaluate(g.exactScore(), x, ProgressListener.NONE);
        assertThat(capped.finished()).isFalse();
        assertThat(capped.batches()).hasSize(3).allSatisfy(b -> {
            assertThat(b.outcome()).isEqualTo(LikelihoodResult.Outcome.EVALUATION_CAP);
            assertThat(b.evaluations()).isLessThanOrEqualTo(20);
            assertThat(b.sigmaReached()).isBetween(SIGMA_MIN, SIGMA_MAX);
        });
        assertThat(java.util.Arrays.stream(capped.nats()).allMatch(Double::isNaN)).isTrue();
        assertThat(capped.mean()).isNaN();
        assertThat(capped.summary()).contains("examples 0–3: stopped at the evaluation cap");

        // A slow score (5 ms a call) and 60 ms: the first batch stops part-way, the others never start.
        ScoreFunction slow = (points, sigma) -> {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return g.exactScore().score(points, sigma);
        };
        long t0 = System.nanoTime();
        LikelihoodResult late = new ProbabilityFlowLikelihood(LikelihoodSettings.of(SIGMA_MIN, SIGMA_MAX)
                .withBatchSize(4).withTimeBudget(Duration.ofMillis(60))).evaluate(slow, x, ProgressListener.NONE);
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(2);
        assertThat(late.finished()).isFalse();
        assertThat(late.batches()).extracting(LikelihoodResult.Batch::outcome).containsExactly(
                LikelihoodResult.Outcome.TIME_BUDGET, LikelihoodResult.Outcome.NOT_RUN,
                LikelihoodResult.Outcome.NOT_RUN);
        assertThat(late.summary()).contains("not run, the time budget had run out");
    }

    @Test
    void progressRisesToItsTotal() {
        GaussianMixture g = OracleMixtures.ncsn2d();
        List<long[]> seen = new ArrayList<>();
        LikelihoodResult r = new ProbabilityFlowLikelihood(LikelihoodSettings.of(SIGMA_MIN, SIGMA_MAX).withBatchSize(4))
                .evaluate(g.exactScore(), g.sample(10, new SeededRandom(2)), (done, total) -> seen.add(
                        new long[] {done, total}));
        assertThat(r.finished()).isTrue();
        assertThat(seen.size()).isGreaterThan(10);
        for (int i = 0; i < seen.size(); i++) {
            assertThat(seen.get(i)[1]).isEqualTo(3 * ProbabilityFlowLikelihood.UNITS_PER_BATCH);
            assertThat(seen.get(i)[0]).isBetween(i == 0 ? 0 : seen.get(i - 1)[0], seen.get(i)[1]);
        }
        assertThat(seen.get(seen.size() - 1)[0]).isEqualTo(3 * ProbabilityFlowLikelihood.UNITS_PER_BATCH);
    }

    @Test
    void refusesWhatItCannotDo() {
        INDArray images = new SeededRandom(1).uniform(0, 1, 2, 1, 9, 9);
        ScoreFunction any = (points, sigma) -> points.neg();
        assertThatThrownBy(() -> new ProbabilityFlowLikelihood(LikelihoodSettings.of(SIGMA_MIN, SIGMA_MAX))
                .evaluate(any, images, ProgressListener.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("D = 81").hasMessageContaining("use Hutchinson's estimator");
        assertThatThrownBy(() -> new ProbabilityFlowLikelihood(LikelihoodSettings.of(SIGMA_MIN, SIGMA_MAX)
                .withDivergence(new Hutchinson(1, Hutchinson.Probe.RADEMACHER, Hutchinson.Product.INPUT_GRADIENT,
                        1e-3))).evaluate(any, images, ProgressListener.NONE))
                .hasMessageContaining("needs a score that implements InputGradient");
        assertThatThrownBy(() -> LikelihoodSettings.of(1, 1)).hasMessageContaining("need 0 < σ_min < σ_max");
        INDArray nan = images.dup();
        nan.putScalar(0, Double.NaN);
        assertThatThrownBy(() -> new ProbabilityFlowLikelihood(LikelihoodSettings.of(SIGMA_MIN, SIGMA_MAX)
                .withDivergence(new Hutchinson(1))).evaluate(any, nan, ProgressListener.NONE))
                .hasMessageContaining("not finite");
    }
}
