package org.score4j.api;

import org.score4j.api.random.RandomSource;

/**
 * How an objective draws each example's noise level from a schedule: one of its levels (the discrete NCSN form), or
 * continuously between its smallest and largest level (the variance-exploding SDE's training, so that a network can
 * be sampled on any grid).
 */
public enum SigmaDistribution {
    /** A level of the schedule, uniformly: σ ∈ {σ₁, …, σ_L}. */
    LEVELS,
    /** log σ uniform on [log σ_L, log σ₁]: the continuous limit of a geometric schedule. */
    LOG_UNIFORM;

    /** The configuration name: {@code levels} or {@code log-uniform}. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The distribution named {@code key} ({@link #key()}). */
    public static SigmaDistribution of(String key) {
        return valueOf(key.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }

    /** The names of every distribution, for configuration choices. */
    public static java.util.List<String> keys() {
        return java.util.Arrays.stream(values()).map(SigmaDistribution::key).toList();
    }

    /** One σ per example, each &gt; 0. */
    public double[] draw(NoiseSchedule schedule, int n, RandomSource rng) {
        if (this == LEVELS) {
            return schedule.sigmasOf(schedule.drawLevels(n, rng));
        }
        double low = Math.log(schedule.smallest());
        double high = Math.log(schedule.largest());
        float[] u = rng.uniformValues(0, 1, n);
        double[] sigmas = new double[n];
        for (int i = 0; i < n; i++) {
            sigmas[i] = Math.exp(low + u[i] * (high - low));
        }
        return sigmas;
    }
}
