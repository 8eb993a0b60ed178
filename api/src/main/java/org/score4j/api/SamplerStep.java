package org.score4j.api;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a sampler reports after each of its steps to a {@link StepListener}.
 *
 * @param step        the number of this step, 1 for the first
 * @param evaluations score evaluations (of the whole batch) made so far, for progress against
 *                    {@link Sampler#evaluations}
 * @param sigma       the noise level of {@code x} after this step (0 once the sampler has reached the clean data)
 * @param x           the sampler's <em>live</em> state {@code [N, shape...]}: a listener may read it, and may change it in
 *                    place (the inpainting hook resets observed coordinates this way); the sampler continues from what
 *                    it finds. A listener that keeps it must copy it.
 * @param denoised    the denoiser output D(x, σ) the step computed (the sampler's current estimate of the clean data),
 *                    or null for steps that computed none; read-only
 */
public record SamplerStep(long step, long evaluations, double sigma, INDArray x, INDArray denoised) {
}
