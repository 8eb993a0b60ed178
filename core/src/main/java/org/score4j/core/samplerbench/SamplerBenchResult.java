package org.score4j.core.samplerbench;

import java.util.List;
import java.util.Map;

/**
 * Everything the sampler benchmark measured.
 *
 * @param options    what was run
 * @param problems   the problems, in order
 * @param floors     each problem's data floor, by name
 * @param cells      one per problem, sampler and budget, in that order
 * @param likelihood the likelihood-error table: one row per problem and budget
 * @param priorGaps  by problem: what the default prior N(0, σ_max²·I) adds to the likelihood's error
 * @param seconds    wall-clock time of the whole benchmark
 */
public record SamplerBenchResult(BenchOptions options, List<BenchProblem> problems, Map<String, DataFloor> floors,
                                 List<BenchCell> cells, List<LikelihoodError> likelihood,
                                 Map<String, PriorGap> priorGaps, double seconds) {

    /**
     * The error the Gaussian prior N(0, σ_max²·I) adds in place of the exact q_{σ_max}, at the tightest tolerance.
     *
     * @param meanError mean of log p̂ − log q_{σ_min} with the Gaussian prior (signed)
     * @param sd        its standard deviation over the points
     * @param tolerance the tolerance it was measured at
     */
    public record PriorGap(double meanError, double sd, double tolerance) {
    }

    public SamplerBenchResult {
        problems = List.copyOf(problems);
        floors = Map.copyOf(floors);
        cells = List.copyOf(cells);
        likelihood = List.copyOf(likelihood);
        priorGaps = Map.copyOf(priorGaps);
    }

    /** The cells of one problem and sampler, by budget in the order run. */
    public List<BenchCell> series(String problem, String sampler) {
        return cells.stream().filter(c -> c.problem().equals(problem) && c.sampler().equals(sampler)).toList();
    }
}
