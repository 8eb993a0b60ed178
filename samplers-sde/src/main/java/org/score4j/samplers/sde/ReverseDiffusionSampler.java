package org.score4j.samplers.sde;

import java.util.Objects;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.Sampler;
import org.score4j.api.SamplerStep;
import org.score4j.api.NonFiniteException;
import org.score4j.api.SamplingGrid;
import org.score4j.api.ScoreFunction;
import org.score4j.api.StepListener;
import org.score4j.api.random.RandomSource;

/**
 * The Euler–Maruyama discretisation of the reverse-time variance-exploding SDE (Song et al. 2021, "Score-based
 * generative modeling through stochastic differential equations", its reverse-diffusion predictor for the VE SDE): from
 * each grid value σ_i to the next, with Δ_i = σ_i² − σ_{i+1}²,
 * <pre>x ← x + Δ_i·s(x, σ_i) + √Δ_i·z</pre>
 * A step to σ_{i+1} = 0 adds no noise: it is then x + σ_i²·s(x, σ_i) = D(x, σ_i), the Tweedie denoiser (score SDE's
 * {@code noise_removal}, which returns the last step's mean). Chains start from the prior N(0, σ₀²·I)
 * ({@link Sampler.Start#PRIOR}).
 *
 * <p>One score evaluation per step, n − 1 on a grid of n values. Euler–Maruyama is accurate only on fine grids (the
 * score SDE paper uses 1000–2000 levels): each step's variance overshoots the target's when the steps are coarse.
 * The listener hears each step with σ = σ_{i+1}; a denoised estimate only on the step to 0.
 */
public final class ReverseDiffusionSampler implements Sampler {
    static final String NAME = "reverse-diffusion";

    @Override
    public INDArray sample(ScoreFunction score, SamplingGrid grid, INDArray start, RandomSource noise,
                           StepListener listener) {
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(listener, "listener");
        INDArray x = start.dup();
        for (int i = 0; i + 1 < grid.size(); i++) {
            INDArray denoised = step(x, score, grid.sigma(i), grid.sigma(i + 1), noise);
            NonFiniteException.requireFiniteChains(x, NAME, i + 1, grid.sigma(i + 1), NonFiniteException.COARSE_GRID);
            listener.afterStep(new SamplerStep(i + 1, i + 1, grid.sigma(i + 1), x, denoised));
        }
        return x;
    }

    /**
     * One Euler–Maruyama step of x in place from σ to next; returns the denoised estimate when next = 0, else null.
     * Predictor-corrector shares it.
     */
    static INDArray step(INDArray x, ScoreFunction score, double sigma, double next, RandomSource noise) {
        INDArray s = score.score(x, sigma);
        if (next == 0) {
            x.addi(s.muli(sigma * sigma));
            return x.dup();
        }
        double jump = sigma * sigma - next * next;
        x.addi(s.muli(jump)).addi(noise.normalLike(x).muli(Math.sqrt(jump)));
        return null;
    }

    @Override
    public long evaluations(SamplingGrid grid) {
        return grid.size() - 1;
    }

    @Override
    public Optional<String> incompatibility(SamplingGrid grid) {
        return grid.needsTwoValues(NAME);
    }

    @Override
    public Start start() {
        return Start.PRIOR;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
