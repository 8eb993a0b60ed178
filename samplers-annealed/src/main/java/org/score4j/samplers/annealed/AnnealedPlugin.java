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
                return "annealed Langevin dynamics over all levels (NCSN Algorithm 1), optional Tweedie denoising";
            }

            @Override
            public Config defaults() {
                return ConfigFactory.parseString("""
                        # ε: level i steps with α_i = ε·σ_i²/σ_L² (paper convention; the NCSN code's step_lr is ε/2).
                        step-size = 0.1
                        # Steps T at each level.
                        steps-per-level = 100
                        # Finish with the Tweedie denoising step x + σ_L²·s(x, σ_L).
                        denoise = true
                        """);
            }

            @Override
            public Sampler create(Settings s) {
                double eps = s.positive("step-size");
                int steps = s.integer("steps-per-level", 1);
                boolean denoise = s.flag("denoise");
                return s.build(() -> new AnnealedLangevinSampler(eps, steps, denoise));
            }
        });
    }
}
