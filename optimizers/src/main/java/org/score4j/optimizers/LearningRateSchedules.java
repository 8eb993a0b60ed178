package org.score4j.optimizers;

import org.score4j.api.LearningRateSchedule;

/** The built-in learning-rate schedules: factors on the optimizer's base rate. */
final class LearningRateSchedules {
    private LearningRateSchedules() {
    }

    /** 1 at every step. */
    static LearningRateSchedule constant() {
        return (step, steps) -> 1;
    }

    /** Linear warm-up from 1/w to 1 over the first w steps, then 1. */
    static LearningRateSchedule warmup(long warmupSteps) {
        return (step, steps) -> warm(step, warmupSteps);
    }

    /**
     * The warm-up, then half a cosine from 1 down to {@code finalFactor} at the last step (Loshchilov &amp; Hutter 2017,
     * without restarts).
     */
    static LearningRateSchedule cosine(long warmupSteps, double finalFactor) {
        return (step, steps) -> {
            if (step <= warmupSteps) {
                return warm(step, warmupSteps);
            }
            double span = Math.max(1, steps - warmupSteps);
            double progress = Math.min(1, (step - warmupSteps) / span);
            return finalFactor + (1 - finalFactor) * 0.5 * (1 + Math.cos(Math.PI * progress));
        };
    }

    private static double warm(long step, long warmupSteps) {
        return warmupSteps <= 0 || step >= warmupSteps ? 1 : (double) step / warmupSteps;
    }
}
