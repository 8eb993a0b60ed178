package org.score4j.samplers.annealed;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.score4j.api.Sampler;
import org.score4j.api.spi.SamplerFactory;
import org.score4j.api.spi.Score4jPlugin;
import org.score4j.api.spi.Settings;

/** Contributes the {@code annealed-langevin} sampler. */
public final class AnnealedPlugin implements Score4jPlugin {

    @Override
    public String apiVersion() {
        return API_VERSION;
    }

    @Override
    public List<SamplerFactory> samplers() {
        return List.of(new SamplerFactory() {
            @Override
            public String name() {
                return "annealed-langevin";
            }

            @Override
            public String description() {
                return "annealed Langevin dynamics over the grid's levels (NCSN Algorithm 1), then Tweedie denoising "
                        + "if it ends at 0";
            }

            @Override
            public Config defaults() {
                return ConfigFactory.parseString("""
                        # ε: level i steps with α_i = ε·σ_i²/σ_L² (paper convention; the NCSN code's step_lr is ε/2);
                        # below 4σ_L². The Tweedie denoising step follows when the sampling grid ends at 0.
                        step-size = 0.1
                        # Steps T at each level.
                        steps-per-level = 100
                        """);
            }

            @Override
            public Sampler create(Settings s) {
                double eps = s.positive("step-size");
                int steps = s.integer("steps-per-level", 1);
                return s.build(() -> new AnnealedLangevinSampler(eps, steps));
            }
        });
    }
}
