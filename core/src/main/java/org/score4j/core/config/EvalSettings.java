package org.score4j.core.config;

import org.score4j.api.spi.Settings;

/** The {@code eval} section. */
public record EvalSettings(int referenceSamples, int projections, int fisherSamples, boolean plots) {

    static EvalSettings read(Settings s) {
        int ref = s.integer("reference-samples", 2);
        s.require(ref <= SampleSettings.MAX_COUNT, "reference-samples", "at most " + SampleSettings.MAX_COUNT + ", got " + ref);
        int proj = s.integer("projections", 1);
        s.require(proj <= 100_000, "projections", "at most 100000, got " + proj);
        int fisher = s.integer("fisher-samples", 1);
        s.require(fisher <= SampleSettings.MAX_COUNT, "fisher-samples", "at most " + SampleSettings.MAX_COUNT + ", got " + fisher);
        boolean plots = s.flag("plots");
        return s.build(() -> new EvalSettings(ref, proj, fisher, plots));
    }
}
