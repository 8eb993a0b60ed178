package org.score4j.core.likelihood;

import java.time.Duration;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * How {@link ProbabilityFlowLikelihood} computes: immutable, built by {@link #of} and the {@code with…} methods.
 *
 * @param sigmaMin       σ_min &gt; 0: the likelihood is that of the data perturbed at this level, log p_{σ_min}(x)
 *                       (the smallest level the score was trained at is the natural choice)
 * @param sigmaMax       σ_max &gt; σ_min: where the path ends in {@code prior}
 * @param divergence     how tr ∂s/∂x is obtained
 * @param prior          the density at σ_max ({@link PriorDensity#gaussian} at σ_max by default)
 * @param rtol           the integrator's relative tolerance, in [1e-13, 1)
 * @param atol           its absolute tolerance ≥ 0, in data units (and nats, for the log-density term)
 * @param maxEvaluations the most right-hand-side evaluations one batch may take; a batch that needs more stops and is
 *                       reported unfinished ({@link LikelihoodResult.Outcome#EVALUATION_CAP})
 * @param batchSize      examples integrated together, ≥ 1 (the integrator's step size serves the whole batch)
 * @param scoreType      the data type the score sees, FLOAT or DOUBLE (the integration is in double precision
 *                       whatever it is); finite differences want DOUBLE
 * @param timeBudget     wall-clock time for the whole evaluation, or null for none: work stops at the first score call
 *                       after it is spent, and the batches not finished are reported so
 *                       ({@link LikelihoodResult.Outcome#TIME_BUDGET}, {@link LikelihoodResult.Outcome#NOT_RUN})
 * @param seed           the seed of Hutchinson's probes: example k of the data draws from its own stream, so its
 *                       probes do not depend on the batch it is in
 */
public record LikelihoodSettings(double sigmaMin, double sigmaMax, DivergenceEstimator divergence, PriorDensity prior,
                                 double rtol, double atol, long maxEvaluations, int batchSize, DataType scoreType,
                                 Duration timeBudget, long seed) {
    /** Score SDE's likelihood tolerances (its {@code likelihood.py} uses rtol = atol = 1e-5). */
    public static final double DEFAULT_TOLERANCE = 1e-5;
    public static final long DEFAULT_MAX_EVALUATIONS = 10_000;
    public static final int DEFAULT_BATCH_SIZE = 256;

    public LikelihoodSettings {
        if (!(sigmaMin > 0) || !(sigmaMax > sigmaMin) || !Double.isFinite(sigmaMax)) {
            throw new IllegalArgumentException("need 0 < σ_min < σ_max, both finite, got " + sigmaMin + " and "
                    + sigmaMax);
        }
        Objects.requireNonNull(divergence, "divergence");
        Objects.requireNonNull(prior, "prior");
        if (!(rtol >= 1e-13 && rtol < 1) || !(atol >= 0) || !Double.isFinite(atol)) {
            throw new IllegalArgumentException("need rtol in [1e-13, 1) and a finite atol >= 0, got " + rtol + ", "
                    + atol);
        }
        if (maxEvaluations < 1 || batchSize < 1) {
            throw new IllegalArgumentException("need max-evaluations >= 1 and batch-size >= 1, got " + maxEvaluations
                    + ", " + batchSize);
        }
        if (scoreType != DataType.FLOAT && scoreType != DataType.DOUBLE) {
            throw new IllegalArgumentException("the score's data type must be FLOAT or DOUBLE, got " + scoreType);
        }
        if (timeBudget != null && timeBudget.isNegative()) {
            throw new IllegalArgumentException("the time budget must not be negative, got " + timeBudget);
        }
    }

    /**
     * From σ_min to σ_max with the exact trace, the Gaussian prior N(0, σ_max²·I), rtol = atol = 10⁻⁵, at most 10 000
     * evaluations per batch, batches of 256, a DOUBLE score, no time budget, seed 0.
     */
    public static LikelihoodSettings of(double sigmaMin, double sigmaMax) {
        return new LikelihoodSettings(sigmaMin, sigmaMax, new ExactTrace(), PriorDensity.gaussian(sigmaMax),
                DEFAULT_TOLERANCE, DEFAULT_TOLERANCE, DEFAULT_MAX_EVALUATIONS, DEFAULT_BATCH_SIZE, DataType.DOUBLE, null,
                0);
    }

    public LikelihoodSettings withDivergence(DivergenceEstimator estimator) {
        return new LikelihoodSettings(sigmaMin, sigmaMax, estimator, prior, rtol, atol, maxEvaluations, batchSize,
                scoreType, timeBudget, seed);
    }

    public LikelihoodSettings withPrior(PriorDensity density) {
        return new LikelihoodSettings(sigmaMin, sigmaMax, divergence, density, rtol, atol, maxEvaluations, batchSize,
                scoreType, timeBudget, seed);
    }

    public LikelihoodSettings withTolerances(double relative, double absolute) {
        return new LikelihoodSettings(sigmaMin, sigmaMax, divergence, prior, relative, absolute, maxEvaluations,
                batchSize, scoreType, timeBudget, seed);
    }

    public LikelihoodSettings withMaxEvaluations(long max) {
        return new LikelihoodSettings(sigmaMin, sigmaMax, divergence, prior, rtol, atol, max, batchSize, scoreType,
                timeBudget, seed);
    }

    public LikelihoodSettings withBatchSize(int size) {
        return new LikelihoodSettings(sigmaMin, sigmaMax, divergence, prior, rtol, atol, maxEvaluations, size,
                scoreType, timeBudget, seed);
    }

    public LikelihoodSettings withScoreType(DataType type) {
        return new LikelihoodSettings(sigmaMin, sigmaMax, divergence, prior, rtol, atol, maxEvaluations, batchSize,
                type, timeBudget, seed);
    }

    public LikelihoodSettings withTimeBudget(Duration budget) {
        return new LikelihoodSettings(sigmaMin, sigmaMax, divergence, prior, rtol, atol, maxEvaluations, batchSize,
                scoreType, budget, seed);
    }

    public LikelihoodSettings withSeed(long probeSeed) {
        return new LikelihoodSettings(sigmaMin, sigmaMax, divergence, prior, rtol, atol, maxEvaluations, batchSize,
                scoreType, timeBudget, probeSeed);
    }
}
