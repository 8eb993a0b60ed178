package org.score4j.objectives.dsm;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.score4j.api.Objective;
import org.score4j.api.SigmaDistribution;
import org.score4j.api.spi.ObjectiveFactory;
import org.score4j.api.spi.Score4jPlugin;
import org.score4j.api.spi.Settings;

/** Contributes the {@code dsm} objective. */
public final class DsmPlugin implements Score4jPlugin {

    @Override
    public String apiVersion() {
        return API_VERSION;
    }

    @Override
    public List<ObjectiveFactory> objectives() {
        return List.of(new ObjectiveFactory() {
            @Override
            public String name() {
                return "dsm";
            }

            @Override
            public String description() {
                return "denoising score matching, one level per example, weighted by λ(σ)";
            }

            @Override
            public Config defaults() {
                return ConfigFactory.parseString("""
                        # λ(σ): sigma-squared (NCSN, every level on one scale) or uniform.
                        weighting = sigma-squared
                        # σ per example: levels (one of the schedule's, uniformly) or log-uniform between the
                        # schedule's smallest and largest level (the VE SDE: the model can be sampled on any grid).
                        sigma-distribution = levels
                        """);
            }

            @Override
            public Objective create(Settings s) {
                String w = s.choice("weighting", List.of("sigma-squared", "uniform"));
                String d = s.choice("sigma-distribution", SigmaDistribution.keys());
                return s.build(() -> new DenoisingScoreMatching(
                        w.equals("uniform") ? DenoisingScoreMatching.Weighting.UNIFORM
                                : DenoisingScoreMatching.Weighting.SIGMA_SQUARED, SigmaDistribution.of(d)));
            }
        });
    }
}
