package org.score4j.api;

/**
 * Told of every step a sampler takes ({@link SamplerStep}); progress bars, trajectory figures and the inpainting and
 * imputation hook are listeners. Called on the sampler's thread.
 */
@FunctionalInterface
public interface StepListener {

    /** Does nothing. */
    StepListener NONE = step -> { };

    void afterStep(SamplerStep step);

    /** A listener that reports score evaluations to {@code progress}, out of {@code total}. */
    static StepListener progress(ProgressListener progress, long total) {
        return step -> progress.progress(Math.min(step.evaluations(), total), total);
    }

    /** This listener, then {@code next}. */
    default StepListener andThen(StepListener next) {
        return step -> {
            afterStep(step);
            next.afterStep(step);
        };
    }
}
