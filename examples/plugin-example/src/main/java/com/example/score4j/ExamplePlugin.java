package com.example.score4j;

import java.util.List;
import org.score4j.api.spi.ModelFactory;
import org.score4j.api.spi.SamplerFactory;
import org.score4j.api.spi.ScheduleFactory;
import org.score4j.api.spi.Score4jPlugin;
import org.score4j.nn.samediff.SameDiffBlueprint;

/** Contributes the {@code ancestral} sampler, the {@code cosine-sigma} schedule and the {@code resnet-mlp} model. */
public final class ExamplePlugin implements Score4jPlugin {
    /** Upper bounds of resnet-mlp's settings: beyond them a value is a typo, not a network. */
    static final int MAX_HIDDEN = 1 << 14;
    static final int MAX_BLOCKS = 256;

    @Override
    public String apiVersion() {
        return API_VERSION;
    }

    @Override
    public List<SamplerFactory> samplers() {
        return List.of(SamplerFactory.of(AncestralSampler.NAME,
                "ancestral sampling of the VE model (score SDE's ancestral predictor), from the prior", "",
                s -> s.build(AncestralSampler::new)));
    }

    @Override
    public List<ScheduleFactory> schedules() {
        return List.of(ScheduleFactory.of("cosine-sigma",
                "σ levels of the cosine schedule (Nichol & Dhariwal 2021): tan of evenly spaced angles", """
                        # Largest noise level σ₁, in data units.
                        sigma-max = 20
                        # Smallest noise level σ_L, in data units.
                        sigma-min = 0.01
                        # Number of levels L, from 1 (the single level sigma-min) to 100000.
                        levels = 100
                        """, s -> {
                    double max = s.positive("sigma-max");
                    double min = s.positive("sigma-min");
                    int levels = s.integer("levels", 1);
                    s.require(levels <= CosineSigmaSchedule.MAX_LEVELS, "levels",
                            "must be at most " + CosineSigmaSchedule.MAX_LEVELS + ", got " + levels);
                    s.require(levels == 1 ? max >= min : max > min, "sigma-max",
                            "must be greater than sigma-min (" + min + "), got " + max);
                    return s.build(() -> new CosineSigmaSchedule(max, min, levels));
                }));
    }

    @Override
    public List<ModelFactory> models() {
        return List.of(ModelFactory.of(ResNetMlp.NAME,
                "residual MLP for vectors (σ features, input and 1/σ output scaling), written in SameDiff on "
                        + "score4j-nn's base", """
                        # Units of the hidden layers (at most 16384).
                        hidden = 64
                        # Residual blocks of two dense layers each (0 to 256).
                        blocks = 2
                        """, s -> {
                    int hidden = s.integer("hidden", 1);
                    s.require(hidden <= MAX_HIDDEN, "hidden", "must be at most " + MAX_HIDDEN + ", got " + hidden);
                    int blocks = s.integer("blocks", 0);
                    s.require(blocks <= MAX_BLOCKS, "blocks", "must be at most " + MAX_BLOCKS + ", got " + blocks);
                    return s.build(() -> new SameDiffBlueprint(ResNetMlp.NAME, new ResNetMlp(hidden, blocks)));
                }));
    }
}
