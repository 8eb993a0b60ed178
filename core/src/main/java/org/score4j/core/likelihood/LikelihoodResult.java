package org.score4j.core.likelihood;

import java.util.List;
import java.util.Locale;

/**
 * Negative log-likelihoods of examples, in nats, by the probability-flow ODE: for example i,
 * {@code nats[i] = −(logPrior[i] + divergenceIntegral[i])} = −log p_{σ_min}(x_i). Examples of a batch that did not
 * finish have NaN in all three arrays and are left out of the mean.
 *
 * @param nats               −log p_{σ_min}(x) per example, in the order given
 * @param logPrior           log p_{σ_max}(y) at each example's end point y (the prior term)
 * @param divergenceIntegral ∫_{σ_min}^{σ_max} ∇·f(x(σ), σ) dσ per example (f = −σ·s; positive where the score
 *                           points inwards, as a data score mostly does)
 * @param mean               the mean of the finite values of {@code nats}, NaN if none
 * @param standardError      their standard deviation / √n (n − 1 in the variance), NaN below two values; for
 *                           Hutchinson it includes the probes' Monte-Carlo error
 * @param finishedExamples   examples with a value
 * @param evaluations        right-hand-side evaluations of every batch together
 * @param scoreRows          score rows evaluated (forward passes and input gradients), the real cost
 * @param finished           whether every batch finished
 * @param batches            what happened to each batch, in order
 * @param seconds            wall-clock time
 */
public record LikelihoodResult(double[] nats, double[] logPrior, double[] divergenceIntegral, double mean,
                               double standardError, int finishedExamples, long evaluations, long scoreRows,
                               boolean finished, List<Batch> batches, double seconds) {

    /** How a batch ended. */
    public enum Outcome {
        /** It reached σ_max. */
        FINISHED,
        /** It would have needed more than the evaluations allowed per batch. */
        EVALUATION_CAP,
        /** The integrator's step fell below the spacing of doubles: the score is not finite, or changes too fast. */
        STEP_TOO_SMALL,
        /** The time budget ran out during it. */
        TIME_BUDGET,
        /** It was not started: the time budget had run out. */
        NOT_RUN
    }

    /**
     * @param first       index of its first example
     * @param size        its examples
     * @param outcome     how it ended
     * @param evaluations right-hand-side evaluations it made
     * @param sigmaReached the level its integration reached (σ_max when finished)
     */
    public record Batch(int first, int size, Outcome outcome, long evaluations, double sigmaReached) {
    }

    /** The result of per-example values; mean, standard error and counts are computed from {@code nats}. */
    static LikelihoodResult of(double[] nats, double[] logPrior, double[] integral, long evaluations, long scoreRows,
                               List<Batch> batches, double seconds) {
        int n = 0;
        double sum = 0;
        for (double v : nats) {
            if (Double.isFinite(v)) {
                n++;
                sum += v;
            }
        }
        double mean = n == 0 ? Double.NaN : sum / n;
        double squares = 0;
        for (double v : nats) {
            if (Double.isFinite(v)) {
                squares += (v - mean) * (v - mean);
            }
        }
        double se = n < 2 ? Double.NaN : Math.sqrt(squares / (n - 1) / n);
        boolean all = batches.stream().allMatch(b -> b.outcome() == Outcome.FINISHED);
        return new LikelihoodResult(nats, logPrior, integral, mean, se, n, evaluations, scoreRows, all,
                List.copyOf(batches), seconds);
    }

    /** The mean in bits per dimension for 8-bit images scaled into [0, 1) ({@link BitsPerDim}, its convention). */
    public double meanBitsPerDim(long dimensions) {
        return BitsPerDim.fromNats(mean, dimensions);
    }

    /** The standard error in bits per dimension (the conversion's offset does not change it). */
    public double standardErrorBitsPerDim(long dimensions) {
        return standardError / (dimensions * Math.log(2));
    }

    /** One line: the mean ± standard error, examples, evaluations and, when not finished, why. */
    public String summary() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "NLL %.4f ± %.4f nats over %d of %d examples, "
                + "%d evaluations (%d score rows), %.1f s", mean, standardError, finishedExamples, nats.length,
                evaluations, scoreRows, seconds));
        for (Batch batch : batches) {
            if (batch.outcome() != Outcome.FINISHED) {
                b.append(String.format(Locale.ROOT, "; examples %d–%d: %s at σ = %.4g", batch.first(),
                        batch.first() + batch.size() - 1, switch (batch.outcome()) {
                            case EVALUATION_CAP -> "stopped at the evaluation cap";
                            case STEP_TOO_SMALL -> "stopped, the step fell below the spacing of doubles";
                            case TIME_BUDGET -> "stopped when the time budget ran out";
                            case NOT_RUN -> "not run, the time budget had run out";
                            case FINISHED -> "finished";
                        }, batch.sigmaReached()));
            }
        }
        return b.toString();
    }
}
