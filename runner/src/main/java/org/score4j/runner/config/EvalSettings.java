package org.score4j.runner.config;

import org.score4j.api.spi.Settings;

/** The {@code eval} section. */
public record EvalSettings(int referenceSamples, int projections, int fisherSamples, boolean plots) {

    static EvalSettings read(Settings s) {
        int ref = s.integer("reference-samples", 2);
        int proj = s.integer("projections", 1);
        int fisher = s.integer("fisher-samples", 1);
        boolean plots = s.flag("plots");
        return s.build(() -> new EvalSettings(ref, proj, fisher, plots));
    }
}
