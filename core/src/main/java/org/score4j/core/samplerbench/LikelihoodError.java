package org.score4j.core.samplerbench;

import java.util.List;

/**
 * The probability-flow likelihood's error at one rk45 tolerance: −NLL of held-out data by
 * {@link org.score4j.core.likelihood.ProbabilityFlowLikelihood} with the exact score, the exact trace and the exact
 * prior q_{σ_max}, against the closed-form log q_{σ_min}, so that only the integration (and the trace's finite
 * differences) err.
 *
 * @param problem      the problem's name
 * @param budgets      the sampling budgets whose rk45 tolerance this is
 * @param tolerance    rtol = atol
 * @param evaluations  right-hand-side evaluations (each a batch of (2D + 1)·N score rows)
 * @param meanError    mean of log p̂ − log q_{σ_min} over the points (signed)
 * @param meanAbsolute mean |log p̂ − log q_{σ_min}|
 * @param largest      largest |log p̂ − log q_{σ_min}|
 * @param points       held-out points
 */
public record LikelihoodError(String problem, List<Integer> budgets, double tolerance, long evaluations,
                              double meanError, double meanAbsolute, double largest, int points) {
    public LikelihoodError {
        budgets = List.copyOf(budgets);
    }
}
