package org.score4j.samplers.langevin;

import java.util.List;
import org.score4j.api.spi.SamplerFactory;
import org.score4j.api.spi.Score4jPlugin;

/** Contributes the {@code langevin} sampler. */
public final class LangevinPlugin implements Score4jPlugin {

    @Override
    public String apiVersion() {
        return API_VERSION;
    }

    @Override
    public List<SamplerFactory> samplers() {
        return List.of(SamplerFactory.of("langevin",
                "Langevin dynamics at the grid's smallest positive level, then Tweedie denoising if it ends at 0",
                """
                        # ε in x ← x + (ε/2)·s + √ε·z (paper convention; the NCSN code's step_lr is ε/2); below 4σ_L².
                        step-size = 0.1
                        # Number of steps T.
                        steps = 1000
                        """, s -> {
                    double eps = s.positive("step-size");
                    int steps = s.integer("steps", 1);
                    return s.build(() -> new LangevinSampler(eps, steps));
                }));
    }
}
