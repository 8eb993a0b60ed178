package org.score4j.api;

/** How the learning rate changes over a run: a factor on the optimizer's base rate, chosen by name in {@code lr-schedule}. */
@FunctionalInterface
public interface LearningRateSchedule {

    /**
     * The factor at step {@code step} (1 for the first) of a run of {@code steps} steps; finite and ≥ 0.
     */
    double factor(long step, long steps);
}
