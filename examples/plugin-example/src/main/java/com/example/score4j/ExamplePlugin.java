package com.example.score4j;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.Sampler;
import org.score4j.api.spi.SamplerFactory;
import org.score4j.api.spi.ScheduleFactory;
import org.score4j.api.spi.Score4jPlugin;
import org.score4j.api.spi.Settings;

/** Contributes the {@code predictor-corrector} sampler and the {@code karras} schedule. */
public final class ExamplePlugin implements Score4jPlugin {

    @Override
    public String apiVersion() {
        return API_VERSION;
    }

    @Override
    public List<SamplerFactory> samplers() {
        return List.of(new SamplerFactory() {
            @Override
            public String name() {
                return "predictor-corrector";
            }

            @Override
            public String description() {
                return "predictor-corrector sampler of the VE SDE (Song et al. 2021): ancestral or reverse-diffusion predictor, Langevin corrector";
            }

            @Override
            public Config defaults() {
                return ConfigFactory.parseString("""
                        # Signal-to-noise ratio r of the corrector: at level σ its Langevin step is α = 4·(r·σ)².
                        snr = 0.16
                        # Langevin corrector steps at each level (0: the predictor alone).
                        corrector-steps = 1
                        # Step between levels: ancestral, or reverse-diffusion (Euler-Maruyama; needs many levels).
                        predictor = ancestral
                        # Start the chains from the SDE's prior N(0, sigma-max²·I) instead of sample.low/high.
                        prior-start = true
                        """);
            }

            @Override
            public Sampler create(Settings s) {
                String predictor = s.choice("predictor", List.of("ancestral", "reverse-diffusion"));
                double snr = s.positive("snr");
                int steps = s.integer("corrector-steps", 0);
                boolean prior = s.flag("prior-start");
                return s.build(() -> new PredictorCorrectorSampler(predictor.equals("ancestral")
                        ? PredictorCorrectorSampler.Predictor.ANCESTRAL : PredictorCorrectorSampler.Predictor.REVERSE_DIFFUSION,
                        snr, steps, prior));
            }
        });
    }

    @Override
    public List<ScheduleFactory> schedules() {
        return List.of(new ScheduleFactory() {
            @Override
            public String name() {
                return "karras";
            }

            @Override
            public String description() {
                return "σ levels (σ_max^(1/ρ) + t·(σ_min^(1/ρ) − σ_max^(1/ρ)))^ρ, denser near σ_min (Karras et al. 2022)";
            }

            @Override
            public Config defaults() {
                return ConfigFactory.parseString("""
                        # Largest noise level σ₁, in data units.
                        sigma-max = 20
                        # Smallest noise level σ_L, in data units.
                        sigma-min = 1
                        # Number of levels L (1 gives the single level sigma-min).
                        levels = 10
                        # ρ: larger values put more levels near sigma-min.
                        rho = 7
                        """);
            }

            @Override
            public NoiseSchedule create(Settings s) {
                double max = s.positive("sigma-max");
                double min = s.positive("sigma-min");
                int levels = s.integer("levels", 1);
                double rho = s.positive("rho");
                s.require(levels == 1 ? max >= min : max > min, "sigma-max",
                        "must be greater than sigma-min (" + min + "), got " + max);
                return s.build(() -> KarrasSchedule.of(max, min, levels, rho));
            }
        });
    }
}
