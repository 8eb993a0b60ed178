package org.score4j.api;

import org.score4j.api.tensors.Tensors;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The Langevin update in score4j's one convention (the NCSN paper's): x ← x + (α/2)·s + √α·z, and the conversions
 * from the other forms in use. Samplers use this so that the convention lives in one place.
 *
 * <table>
 *   <caption>Step-size conventions</caption>
 *   <tr><th>source</th><th>its update</th><th>its step</th><th>α here</th></tr>
 *   <tr><td>NCSN paper (Song &amp; Ermon 2019, Alg. 1)</td><td>x + (α/2)·s + √α·z</td><td>α</td><td>α</td></tr>
 *   <tr><td>NCSN reference code</td><td>x + a·s + √(2a)·z</td><td>a = {@code step_lr}·σ²/σ_L²</td><td>2a</td></tr>
 *   <tr><td>score SDE's annealed-Langevin corrector</td><td>x + a·s + √(2a)·z</td><td>a = 2(r·σ)², r = snr</td>
 *       <td>4(r·σ)²</td></tr>
 * </table>
 *
 * <p>Samplers whose noise is not √α (consistent annealed sampling: x + η·σ_i²·s + β·σ_{i+1}·z with η = ε/σ_L², its ε
 * the paper's {@code step_lr} as is; reverse diffusion, EDM, the ODE solvers) write their own update and say so; only
 * the Langevin samplers use {@link #apply}.
 */
public final class LangevinStep {
    private LangevinStep() {
    }

    /**
     * Updates {@code x} in place.
     *
     * @param x     the states, modified
     * @param score the score at x
     * @param alpha the step size α &gt; 0
     * @param z     standard normal noise with the shape of x; used as scratch space (overwritten when it has the
     *              type of x), so pass fresh noise
     */
    public static void apply(INDArray x, INDArray score, double alpha, INDArray z) {
        x.addi(score.mul(alpha / 2)).addi(z.castTo(x.dataType()).muli(Math.sqrt(alpha)));
    }

    /** The Tweedie denoising step in place: x ← x + σ²·s(x, σ), the posterior mean E[x₀ | x]. */
    public static void denoise(INDArray x, INDArray score, double sigma) {
        x.addi(score.mul(sigma * sigma));
    }

    /**
     * Throws a {@link NonFiniteException} naming the sampler, step and level if any state is NaN or
     * infinite.
     */
    public static void checkFinite(INDArray x, String sampler, long step, double sigma) {
        NonFiniteException.requireFiniteChains(x, sampler, step, sigma, "try a smaller step-size");
    }

    /** Converts the NCSN reference code's {@code step_lr} (its update is a·s + √(2a)·z) to ε = 2·step_lr. */
    public static double fromReferenceCodeStepLr(double stepLr) {
        return 2 * stepLr;
    }

    /**
     * The α of score SDE's annealed-Langevin corrector at level σ with signal-to-noise {@code snr}: that code steps
     * a = 2(snr·σ)² in the reference-code form x + a·s + √(2a)·z, which is α = 2a = 4(snr·σ)² here.
     */
    public static double fromSnr(double snr, double sigma) {
        return fromReferenceCodeStepLr(2 * Math.pow(snr * sigma, 2));
    }

}
