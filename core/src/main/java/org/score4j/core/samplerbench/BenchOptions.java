package org.score4j.core.samplerbench;

import java.util.List;

/**
 * What the sampler benchmark runs.
 *
 * @param budgets          score-evaluation budgets, each ≥ {@link BudgetTable#MIN_BUDGET}
 * @param samplers         names from {@link BudgetTable#SAMPLERS}
 * @param chains           chains per run, ≥ 2 (also the size of the fresh data that sets the floors)
 * @param seed             the seed of starts, noise, reference data and projections
 * @param likelihoodPoints held-out points of the likelihood-error table per problem (0: no table)
 * @param referencePoints  fresh data points the errors are measured against, ≥ 2 (the MMD² uses the first 2000)
 */
public record BenchOptions(List<Integer> budgets, List<String> samplers, int chains, long seed, int likelihoodPoints,
                           int referencePoints) {
    public static final List<Integer> DEFAULT_BUDGETS = List.of(10, 20, 50, 100, 300, 1000);
    public static final int DEFAULT_CHAINS = 1280;
    public static final int DEFAULT_LIKELIHOOD_POINTS = 128;
    public static final int DEFAULT_REFERENCE_POINTS = 10_000;

    public BenchOptions {
        budgets = List.copyOf(budgets);
        samplers = List.copyOf(samplers);
        if (budgets.isEmpty() || samplers.isEmpty()) {
            throw new IllegalArgumentException("need at least one budget and one sampler");
        }
        for (int b : budgets) {
            if (b < BudgetTable.MIN_BUDGET) {
                throw new IllegalArgumentException("budgets must be at least " + BudgetTable.MIN_BUDGET
                        + " score evaluations, got " + b);
            }
        }
        for (String s : samplers) {
            if (!BudgetTable.SAMPLERS.contains(s)) {
                throw new IllegalArgumentException("unknown sampler '" + s + "'"
                        + org.score4j.api.spi.Suggestions.didYouMean(s, BudgetTable.SAMPLERS) + "; the benchmark knows "
                        + String.join(", ", BudgetTable.SAMPLERS));
            }
        }
        if (chains < 2 || likelihoodPoints < 0 || referencePoints < 2) {
            throw new IllegalArgumentException("need at least 2 chains, likelihood points >= 0 and at least 2 "
                    + "reference points, got " + chains + ", " + likelihoodPoints + ", " + referencePoints);
        }
    }

    /** Every sampler, the default budgets, 1280 chains, 128 likelihood points, 10 000 reference points, seed 1. */
    public static BenchOptions defaults() {
        return new BenchOptions(DEFAULT_BUDGETS, BudgetTable.SAMPLERS, DEFAULT_CHAINS, 1, DEFAULT_LIKELIHOOD_POINTS,
                DEFAULT_REFERENCE_POINTS);
    }

    /** A small version for tests: budgets 50 and 200, 256 chains, 32 likelihood points, 1000 reference points. */
    public static BenchOptions quick() {
        return new BenchOptions(List.of(50, 200), BudgetTable.SAMPLERS, 256, 1, 32, 1000);
    }

    /** These options with other budgets, samplers, chains and seed. */
    public BenchOptions with(List<Integer> newBudgets, List<String> newSamplers, int newChains, long newSeed) {
        return new BenchOptions(newBudgets, newSamplers, newChains, newSeed, likelihoodPoints, referencePoints);
    }
}
