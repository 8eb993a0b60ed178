package org.score4j.samplers.sde;

import java.util.List;
import org.score4j.api.spi.SamplerFactory;
import org.score4j.api.spi.Score4jPlugin;

/**
 * Contributes the stochastic samplers of the variance-exploding SDE: {@code reverse-diffusion},
 * {@code predictor-corrector}, {@code consistent-annealed} and {@code edm}.
 */
public final class SdePlugin implements Score4jPlugin {

    @Override
    public String apiVersion() {
        return API_VERSION;
    }

    @Override
    public List<SamplerFactory> samplers() {
        return List.of(
                SamplerFactory.of(ReverseDiffusionSampler.NAME,
                        "Euler-Maruyama on the reverse VE SDE (score SDE's reverse-diffusion predictor), Tweedie step to 0",
                        "", s -> s.build(ReverseDiffusionSampler::new)),
                SamplerFactory.of(PredictorCorrectorSampler.NAME,
                        "score SDE's PC sampler (VE): annealed-Langevin corrector, then a reverse-diffusion predictor step",
                        """
                        # Signal-to-noise ratio r of the corrector, below 1: at level σ it steps α = 4·(r·σ)² (score SDE's
                        # annealed-Langevin corrector; 0.16 is its setting for VE models on CIFAR-10).
                        snr = 0.16
                        # Corrector steps M at each positive level (0: reverse diffusion alone).
                        corrector-steps = 1
                        """, s -> {
                            double snr = s.positive("snr");
                            int steps = s.integer("corrector-steps", 0);
                            s.require(snr < 1, "snr", "must be below 1 (α = 4·(r·σ)² reaches 4σ², where Langevin "
                                    + "diverges), got " + snr);
                            return s.build(() -> new PredictorCorrectorSampler(snr, steps));
                        }),
                SamplerFactory.of(ConsistentAnnealedSampler.NAME,
                        "consistent annealed sampling on geometric levels (Jolicoeur-Martineau et al. 2020, Algorithm 2)",
                        """
                        # ε (the paper's step_lr, squared data units): level i steps η·σ_i²·s with η = ε/σ_L², then adds
                        # β·σ_{i+1}·z. The grid decides what works: ε in [σ_L²(1 − γ), σ_L²(1 + γ)], γ the levels' ratio
                        # (0.5 suits the default 10 levels from 20 to 1).
                        step-size = 0.5
                        """, s -> {
                            double eps = s.positive("step-size");
                            return s.build(() -> new ConsistentAnnealedSampler(eps));
                        }),
                SamplerFactory.of(EdmSampler.NAME,
                        "EDM's stochastic Heun sampler on the denoiser (Karras et al. 2022, Algorithm 2)",
                        """
                        # S_churn: noise added back over the whole run; each step raises σ by γ = min(S_churn/N, √2 − 1).
                        # 0 makes the sampler deterministic Heun on the probability-flow ODE.
                        s-churn = 0
                        # S_tmin: churn only at levels σ ≥ this.
                        s-tmin = 0
                        # S_tmax: churn only at levels σ ≤ this (the default sets no limit).
                        s-tmax = 1e30
                        # S_noise: standard deviation of the added noise, relative (the paper uses slightly above 1).
                        s-noise = 1
                        """, s -> {
                            double churn = s.atLeast("s-churn", 0);
                            double tMin = s.atLeast("s-tmin", 0);
                            double tMax = s.atLeast("s-tmax", 0);
                            double noise = s.positive("s-noise");
                            s.require(tMax >= tMin, "s-tmax", "must be at least s-tmin (" + tMin + "), got " + tMax);
                            return s.build(() -> new EdmSampler(churn, tMin, tMax, noise));
                        }));
    }
}
