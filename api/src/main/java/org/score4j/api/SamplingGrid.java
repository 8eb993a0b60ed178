package org.score4j.api;

import java.util.Arrays;

/**
 * The noise levels a sampler visits, largest first: σ₀ &gt; σ₁ &gt; … &gt; σ_{n−1} ≥ 0, all positive except possibly
 * the last, which may be 0 (the clean data). It is chosen for sampling on its own, independently of the schedule a
 * model was trained on (by default it is that schedule, followed by 0).
 *
 * <p>What a sampler does with a final 0 is part of its contract: Langevin samplers end with the Tweedie denoising step
 * x ← D(x, σ_last) = x + σ²·s(x, σ); samplers that integrate between levels (ODE, reverse diffusion, EDM) take their
 * last step to σ = 0. Immutable.
 */
public final class SamplingGrid {
    private final double[] sigmas;

    private SamplingGrid(double[] sigmas) {
        this.sigmas = sigmas;
    }

    /**
     * A grid of the given values.
     *
     * @throws IllegalArgumentException unless there is at least one positive level, every value is finite, values
     *                                  strictly decrease, and only the last may be 0
     */
    public static SamplingGrid of(double... sigmas) {
        double[] s = sigmas.clone();
        if (s.length == 0 || !(s[0] > 0)) {
            throw new IllegalArgumentException("a sampling grid needs at least one level σ > 0, got " + Arrays.toString(s));
        }
        for (int i = 0; i < s.length; i++) {
            boolean last = i == s.length - 1;
            if (!Double.isFinite(s[i]) || s[i] < 0 || (s[i] == 0 && !last)) {
                throw new IllegalArgumentException("sampling levels must be finite and > 0 (the last may be 0), got "
                        + Arrays.toString(s));
            }
            if (i > 0 && !(s[i] < s[i - 1])) {
                throw new IllegalArgumentException("sampling levels must be strictly decreasing: " + Arrays.toString(s));
            }
        }
        return new SamplingGrid(s);
    }

    /** The levels of {@code schedule}, followed by 0 when {@code toZero}. */
    public static SamplingGrid of(NoiseSchedule schedule, boolean toZero) {
        double[] levels = schedule.sigmas();
        return of(toZero ? Arrays.copyOf(levels, levels.length + 1) : levels);
    }

    /**
     * Why a sampler that steps from each grid value to the next cannot run on this grid (it has one value), or empty.
     *
     * @param sampler the sampler's name, for the message
     */
    public java.util.Optional<String> needsTwoValues(String sampler) {
        return sigmas.length < 2 ? java.util.Optional.of(sampler + " steps from each grid value to the next and needs at "
                + "least two values, got " + this) : java.util.Optional.empty();
    }

    /** Number of values n ≥ 1, the final 0 included. */
    public int size() {
        return sigmas.length;
    }

    /** σ_i, 0 ≤ i &lt; {@link #size()}. */
    public double sigma(int i) {
        return sigmas[i];
    }

    /** Every value, largest first; a fresh array. */
    public double[] sigmas() {
        return sigmas.clone();
    }

    /** Whether the last value is 0. */
    public boolean endsAtZero() {
        return sigmas[sigmas.length - 1] == 0;
    }

    /** The positive levels, as a schedule. */
    public NoiseSchedule levels() {
        return NoiseSchedule.of(endsAtZero() ? Arrays.copyOf(sigmas, sigmas.length - 1) : sigmas.clone());
    }

    /** σ₀, the largest level. */
    public double largest() {
        return sigmas[0];
    }

    /** The smallest positive level. */
    public double smallestPositive() {
        return sigmas[endsAtZero() ? sigmas.length - 2 : sigmas.length - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SamplingGrid g && Arrays.equals(sigmas, g.sigmas);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sigmas);
    }

    @Override
    public String toString() {
        return "SamplingGrid" + Arrays.toString(sigmas);
    }
}
