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

/** Contributes the {@code ancestral} sampler and the {@code cosine-sigma} schedule. */
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
                return AncestralSampler.NAME;
            }

            @Override
            public String description() {
                return "ancestral sampling of the VE model (score SDE's ancestral predictor), from the prior";
            }

            @Override
            public Config defaults() {
                return ConfigFactory.empty();
            }

            @Override
            public Sampler create(Settings s) {
                return s.build(AncestralSampler::new);
            }
        });
    }

    @Override
    public List<ScheduleFactory> schedules() {
        return List.of(new ScheduleFactory() {
            @Override
            public String name() {
                return "cosine-sigma";
            }

            @Override
            public String description() {
                return "σ levels of the cosine schedule (Nichol & Dhariwal 2021): tan of evenly spaced angles";
            }

            @Override
            public Config defaults() {
                return ConfigFactory.parseString("""
                        # Largest noise level σ₁, in data units.
                        sigma-max = 20
                        # Smallest noise level σ_L, in data units.
                        sigma-min = 0.01
                        # Number of levels L, from 1 (the single level sigma-min) to 100000.
                        levels = 100
                        """);
            }

            @Override
            public NoiseSchedule create(Settings s) {
                double max = s.positive("sigma-max");
                double min = s.positive("sigma-min");
                int levels = s.integer("levels", 1);
                s.require(levels <= CosineSigmaSchedule.MAX_LEVELS, "levels",
                        "must be at most " + CosineSigmaSchedule.MAX_LEVELS + ", got " + levels);
                s.require(levels == 1 ? max >= min : max > min, "sigma-max",
                        "must be greater than sigma-min (" + min + "), got " + max);
                return s.build(() -> new CosineSigmaSchedule(max, min, levels));
            }
        });
    }
}
