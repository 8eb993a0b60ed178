package org.score4j.samplers.annealed;

import java.util.List;
import org.score4j.api.spi.SamplerFactory;
import org.score4j.api.spi.Score4jPlugin;

/** Contributes the {@code annealed-langevin} sampler. */
public final class AnnealedPlugin implements Score4jPlugin {

    @Override
    public String apiVersion() {
        return API_VERSION;
    }

    @Override
    public List<SamplerFactory> samplers() {
        return List.of(SamplerFactory.of("annealed-langevin",
                "annealed Langevin dynamics over the grid's levels (NCSN Algorithm 1), then Tweedie denoising "
                        + "if it ends at 0",
                """
                        # ε: level i steps with α_i = ε·σ_i²/σ_L² (paper convention; the NCSN code's step_lr is ε/2);
                        # below 4σ_L². The Tweedie denoising step follows when the sampling grid ends at 0.
                        step-size = 0.1
                        # Steps T at each level.
                        steps-per-level = 100
                        """, s -> {
                    double eps = s.positive("step-size");
                    int steps = s.integer("steps-per-level", 1);
                    return s.build(() -> new AnnealedLangevinSampler(eps, steps));
                }));
    }
}
