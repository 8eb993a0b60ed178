package org.score4j.core.samplerbench;

/**
 * One sampler at one budget on one problem. Errors are NaN when the run failed ({@link #failure} says why).
 *
 * @param problem          the problem's name
 * @param sampler          the sampler's name
 * @param budget           the evaluation budget
 * @param settings         the settings the budget mapped to ({@link BudgetTable.Setup#summary})
 * @param evaluations      batched score evaluations made
 * @param modeWeightError  max over components of |share of the chains nearest its mean − its weight|
 * @param slicedW2         sliced Wasserstein-2 distance to the reference data
 * @param mmd2             squared MMD (RBF kernel, unbiased) to the reference data
 * @param seconds          wall-clock time of the sampling
 * @param failure          why it produced no samples, or null
 */
public record BenchCell(String problem, String sampler, int budget, String settings, long evaluations,
                        double modeWeightError, double slicedW2, double mmd2, double seconds, String failure) {

    public boolean failed() {
        return failure != null;
    }
}
