package org.score4j.objectives.dsm;

import java.util.List;
import org.score4j.api.SigmaDistribution;
import org.score4j.api.spi.ObjectiveFactory;
import org.score4j.api.spi.Score4jPlugin;

/** Contributes the {@code dsm} objective. */
public final class DsmPlugin implements Score4jPlugin {

    @Override
    public String apiVersion() {
        return API_VERSION;
    }

    @Override
    public List<ObjectiveFactory> objectives() {
        return List.of(ObjectiveFactory.of("dsm",
                "denoising score matching, one level per example, weighted by λ(σ)",
                """
                        # λ(σ): sigma-squared (NCSN, every level on one scale) or uniform.
                        weighting = sigma-squared
                        # σ per example: levels (one of the schedule's, uniformly) or log-uniform between the
                        # schedule's smallest and largest level (the VE SDE: the model can be sampled on any grid).
                        sigma-distribution = levels
                        """, s -> {
                    String w = s.choice("weighting", List.of("sigma-squared", "uniform"));
                    String d = s.choice("sigma-distribution", SigmaDistribution.keys());
                    return s.build(() -> new DenoisingScoreMatching(
                            w.equals("uniform") ? DenoisingScoreMatching.Weighting.UNIFORM
                                    : DenoisingScoreMatching.Weighting.SIGMA_SQUARED, SigmaDistribution.of(d)));
                }));
    }
}
