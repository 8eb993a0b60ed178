package org.score4j.core.config;

import org.score4j.api.spi.Settings;

/** The {@code eval} section. */
public record EvalSettings(int referenceSamples, int projections, int fisherSamples, boolean plots, Likelihood likelihood) {

    /**
     * The {@code eval.likelihood} keys: held-out negative log-likelihood by the probability-flow ODE.
     *
     * @param examples       examples of vector data (0: off)
     * @param imageExamples  examples of image data (0: off)
     * @param divergence     {@code auto}, {@code exact} or {@code hutchinson}
     * @param probes         Hutchinson's Rademacher probes per example
     * @param tolerance      the integrator's relative and absolute tolerance
     * @param maxEvaluations right-hand-side evaluations a batch may take before it is reported unfinished
     * @param timeBudget     seconds for the whole likelihood, 0 for none
     */
    public record Likelihood(int examples, int imageExamples, String divergence, int probes, double tolerance,
                             int maxEvaluations, double timeBudget) {
        /** Examples for data of {@code shape}: images ([C, H, W]) or vectors. */
        public int examplesFor(long[] shape) {
            return shape.length == 3 ? imageExamples : examples;
        }
    }

    static EvalSettings read(Settings s) {
        int ref = s.integer("reference-samples", 2);
        s.require(ref <= SampleSettings.MAX_COUNT, "reference-samples", "at most " + SampleSettings.MAX_COUNT + ", got " + ref);
        int proj = s.integer("projections", 1);
        s.require(proj <= 100_000, "projections", "at most 100000, got " + proj);
        int fisher = s.integer("fisher-samples", 1);
        s.require(fisher <= SampleSettings.MAX_COUNT, "fisher-samples", "at most " + SampleSettings.MAX_COUNT + ", got " + fisher);
        boolean plots = s.flag("plots");
        int examples = s.integer("likelihood.examples", 0);
        s.require(examples <= SampleSettings.MAX_COUNT, "likelihood.examples", "at most " + SampleSettings.MAX_COUNT
                + ", got " + examples);
        int images = s.integer("likelihood.image-examples", 0);
        s.require(images <= SampleSettings.MAX_COUNT, "likelihood.image-examples", "at most " + SampleSettings.MAX_COUNT
                + ", got " + images);
        String divergence = s.choice("likelihood.divergence", java.util.List.of("auto", "exact", "hutchinson"));
        int probes = s.integer("likelihood.probes", 1);
        s.require(probes <= 1000, "likelihood.probes", "at most 1000, got " + probes);
        double tolerance = s.between("likelihood.tolerance", 1e-13, 0.5);
        int cap = s.integer("likelihood.max-evaluations", 10);
        double budget = s.atLeast("likelihood.time-budget", 0);
        return s.build(() -> new EvalSettings(ref, proj, fisher, plots, new Likelihood(examples, images, divergence,
                probes, tolerance, cap, budget)));
    }
}
